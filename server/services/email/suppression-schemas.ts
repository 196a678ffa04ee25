import { z } from "zod";
import { normalizeEmail } from "@/lib/email-address";
import { SUPPRESSION_KINDS, SUPPRESSION_REASONS } from "@/server/db/schema/email-delivery";
import { senderDomainSchema } from "./sender-domain-schemas";

/** The largest CSV a suppression import takes (about 100,000 addresses). */
export const SUPPRESSION_IMPORT_MAX_BYTES = 5 * 1024 * 1024;
/** Rows one import takes at most. */
export const SUPPRESSION_IMPORT_MAX_ROWS = 100_000;
/** Invalid rows an import lists back (the count covers them all). */
export const SUPPRESSION_IMPORT_MAX_LISTED = 100;

export type ParsedSuppressionValue =
  | { ok: true; kind: "address" | "domain"; value: string }
  | { ok: false; reason: string };

/**
 * What a person typed, as a list entry: `someone@example.com` is an address, `example.com` (or
 * `@example.com`) a whole domain. Lower-cased; a domain in its ASCII (punycode) form.
 */
export function parseSuppressionValue(raw: string): ParsedSuppressionValue {
  const v = raw.trim();
  if (!v) return { ok: false, reason: "Enter an email address or a domain, like example.com" };
  if (v.includes("@") && !v.startsWith("@")) {
    const e = normalizeEmail(v);
    return e.ok ? { ok: true, kind: "address", value: e.email } : { ok: false, reason: `${e.reason}` };
  }
  const d = senderDomainSchema.safeParse(v.replace(/^@/, ""));
  if (!d.success) {
    return {
      ok: false,
      reason: "Not an email address or a domain (like someone@example.com or example.com)",
    };
  }
  return { ok: true, kind: "domain", value: d.data };
}

const suppressionValueSchema = z
  .string()
  .max(320, "An address or domain has at most 320 characters")
  .transform((raw, ctx) => {
    const p = parseSuppressionValue(raw);
    if (!p.ok) {
      ctx.addIssue({ code: "custom", message: p.reason });
      return z.NEVER;
    }
    return p;
  });

export const listSuppressionsInput = z.object({
  search: z.string().trim().max(320).optional(),
  kind: z.enum(SUPPRESSION_KINDS).optional(),
  reason: z.enum(SUPPRESSION_REASONS).optional(),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type ListSuppressionsInput = z.input<typeof listSuppressionsInput>;

export const addSuppressionInput = z.object({
  value: suppressionValueSchema,
  note: z.string().trim().max(1000, "A note has at most 1,000 characters").optional(),
});
export type AddSuppressionInput = z.input<typeof addSuppressionInput>;

export const suppressionIdInput = z.object({ id: z.uuid("Not a suppression list entry") });

export const importSuppressionsInput = z.object({
  fileName: z.string().trim().max(255).optional(),
  csv: z
    .string()
    .min(1, "The file is empty")
    .max(SUPPRESSION_IMPORT_MAX_BYTES, "The file is larger than 5 MB: split it and import each part"),
});
export type ImportSuppressionsInput = z.input<typeof importSuppressionsInput>;

export interface SuppressionImportResult {
  added: number;
  already: number;
  invalid: number;
  /** The first SUPPRESSION_IMPORT_MAX_LISTED invalid rows: line number, the cell, why. */
  invalidRows: { line: number; value: string; reason: string }[];
}
