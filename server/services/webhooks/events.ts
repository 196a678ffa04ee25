import { and, eq } from "drizzle-orm";
import type { Db } from "@/server/db";
import { leads } from "@/server/db/schema";
import { emitWebhookEvent } from "./emit";

/** The lead as webhook receivers see it (no internal columns). */
async function leadPayload(db: Db, workspaceId: string, leadId: string) {
  const [lead] = await db
    .select({
      id: leads.id,
      email: leads.email,
      name: leads.name,
      status: leads.status,
      source: leads.source,
      tags: leads.tags,
      customFields: leads.customFields,
      createdAt: leads.createdAt,
    })
    .from(leads)
    .where(and(eq(leads.id, leadId), eq(leads.workspaceId, workspaceId)));
  return lead ?? null;
}

export async function emitLeadCreatedWebhook(db: Db, workspaceId: string, leadId: string) {
  const lead = await leadPayload(db, workspaceId, leadId).catch(() => null);
  if (lead) await emitWebhookEvent(db, workspaceId, "lead.created", lead);
}

export async function emitLeadUnsubscribedWebhook(
  db: Db,
  workspaceId: string,
  leadId: string,
  extra: Record<string, unknown> = {},
) {
  const lead = await leadPayload(db, workspaceId, leadId).catch(() => null);
  if (lead) await emitWebhookEvent(db, workspaceId, "lead.unsubscribed", { ...lead, ...extra });
}
