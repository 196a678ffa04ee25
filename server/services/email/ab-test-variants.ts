import { inArray } from "drizzle-orm";
import type { Db } from "@/server/db";
import { campaignStepVariants, type EmailFormat } from "@/server/db/schema";

/** What the renderer needs of a variant: the same fields as a step's content. */
export interface VariantContent {
  subject: string;
  preheader: string;
  body: string;
  format: EmailFormat;
  blocks: unknown[] | null;
}

/**
 * Loads the variants of claimed rows not loaded yet, once per run (like the steps): the sender keeps
 * one object per variant, so the renderer compiles each once and per-message work stays a lookup.
 */
export async function loadVariants(
  db: Db,
  into: Map<string, VariantContent>,
  rows: Array<{ variant_id: string | null }>,
) {
  const missing = [
    ...new Set(rows.map((r) => r.variant_id).filter((id): id is string => id !== null && !into.has(id))),
  ];
  if (missing.length === 0) return;
  const found = await db
    .select({
      id: campaignStepVariants.id,
      subject: campaignStepVariants.subject,
      preheader: campaignStepVariants.preheader,
      body: campaignStepVariants.body,
      format: campaignStepVariants.format,
      blocks: campaignStepVariants.blocks,
    })
    .from(campaignStepVariants)
    .where(inArray(campaignStepVariants.id, missing));
  for (const { id, ...content } of found) into.set(id, content);
}
