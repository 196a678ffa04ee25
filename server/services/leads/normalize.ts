import type { CustomFieldType } from "@/server/db/schema";

export interface CustomFieldDef {
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
}

export type FieldValue = string | number | boolean | null;

/**
 * Coerces and checks custom-field values against their declared types (text, number, date as
 * YYYY-MM-DD, boolean, select from options). Unknown keys and empty strings are dropped; returns
 * the clean values and a message per bad key.
 */
export function validateCustomFields(
  defs: CustomFieldDef[],
  values: Record<string, unknown>,
): { values: Record<string, FieldValue>; errors: Record<string, string> } {
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const out: Record<string, FieldValue> = {};
  const errors: Record<string, string> = {};
  for (const [key, raw] of Object.entries(values)) {
    const def = byKey.get(key);
    if (!def) {
      errors[key] = `Unknown field "${key}"`;
      continue;
    }
    if (raw === null || raw === undefined || (typeof raw === "string" && raw.trim() === "")) {
      out[key] = null;
      continue;
    }
    const text = typeof raw === "string" ? raw.trim() : raw;
    switch (def.type) {
      case "text":
        if (String(text).length > 1000) errors[key] = `${def.label} is longer than 1,000 characters`;
        else out[key] = String(text);
        break;
      case "number": {
        const n = typeof text === "number" ? text : Number(String(text).replace(/,/g, ""));
        if (!Number.isFinite(n)) errors[key] = `${def.label} must be a number`;
        else out[key] = n;
        break;
      }
      case "date": {
        const s = String(text);
        const d = /^\d{4}-\d{2}-\d{2}$/.test(s) ? new Date(`${s}T00:00:00Z`) : null;
        if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) {
          errors[key] = `${def.label} must be a date like 2026-12-31`;
        } else out[key] = s;
        break;
      }
      case "boolean": {
        const s = String(text).toLowerCase();
        if (text === true || ["true", "yes", "1", "y"].includes(s)) out[key] = true;
        else if (text === false || ["false", "no", "0", "n"].includes(s)) out[key] = false;
        else errors[key] = `${def.label} must be yes or no`;
        break;
      }
      case "select":
        if (!def.options.includes(String(text)))
          errors[key] = `${def.label} must be one of: ${def.options.join(", ")}`;
        else out[key] = String(text);
        break;
    }
  }
  return { values: out, errors };
}

/** Tags: trimmed, at most 50 characters, no duplicates (case-insensitive), at most 50 per lead. */
export function normalizeTags(tags: unknown[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of tags) {
    if (typeof t !== "string") continue;
    const tag = t.trim().slice(0, 50);
    if (!tag || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push(tag);
    if (out.length >= 50) break;
  }
  return out;
}
