/**
 * The columns of a file that no lead field takes, and how the import page proposes to keep them as
 * custom fields. Pure (imports nothing server-only): the page and the server share it.
 */
import { fieldKeyFromLabel } from "@/lib/custom-field-key";
import type { ImportMapping, KeptColumn, KeptFieldType } from "@/server/services/leads-import/schemas";

/** The headers a mapping feeds into a lead field (email, name, tags, source or a custom field). */
export function mappedHeaders(mapping: ImportMapping): Set<string> {
  const used = new Set<string>();
  const add = (h: string | undefined) => {
    if (h) used.add(h);
  };
  add(mapping.email);
  for (const h of Array.isArray(mapping.name) ? mapping.name : [mapping.name]) add(h);
  add(mapping.tags);
  add(mapping.source);
  for (const h of Object.values(mapping.custom ?? {})) add(h);
  return used;
}

/** The headers the mapping leaves to "keep or ignore", in file order. */
export function unmappedHeaders(headers: string[], mapping: ImportMapping): string[] {
  const used = mappedHeaders(mapping);
  return headers.filter((h) => !used.has(h));
}

// Codes that look like numbers but are not quantities: zip codes, phone numbers, ids.
const CODE_HEADER = /phone|mobile|fax|zip|postal|postcode|(^|[^a-z])(tel|code|id|no)([^a-z]|$)/i;
const NUMBER = /^-?(0|[1-9]\d{0,2}(,\d{3})+|[1-9]\d*)(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isDate(s: string) {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * Text unless the sample clearly holds numbers or dates: every non-empty cell (at least one) is a
 * plain number (no leading zero, at most 15 digits) or a YYYY-MM-DD date. Headers that name codes
 * (phone, zip, id) stay text. A row whose cell does not fit the type is rejected, hence the caution.
 */
export function guessFieldType(header: string, cells: string[]): KeptFieldType {
  const values = cells.map((c) => c.trim()).filter(Boolean);
  if (values.length === 0) return "text";
  if (values.every(isDate)) return "date";
  if (CODE_HEADER.test(header)) return "text";
  if (values.every((v) => NUMBER.test(v) && v.replace(/\D/g, "").length <= 15)) return "number";
  return "text";
}

/** The field name a kept column gets: its header (never blank: the parser names blank ones). */
export function keptLabel(header: string): string {
  return header.trim().slice(0, 120) || "Column";
}

export { fieldKeyFromLabel };

export interface OtherColumn {
  header: string;
  /** The custom field it fills: `key`, and its label and type (an existing field's, or the new one's). */
  key: string;
  /** The new field's name (the header); the server derives `key` from it. */
  label: string;
  /** What the page shows: the existing field's label and type, or the new field's. */
  fieldLabel: string;
  type: string;
  existing: boolean;
  keep: boolean;
  /** Why it cannot be kept: the field is filled from another column already. */
  conflict?: string;
}

/**
 * What the page proposes for each column no lead field takes: kept as a custom field unless the
 * person chose "Ignore" (`ignored`), with the type they chose or the guessed one. A column whose
 * field another column fills already is ignored, with the reason.
 */
export function planOtherColumns(p: {
  headers: string[];
  rows: string[][];
  mapping: ImportMapping;
  fields: { key: string; label: string; type: string }[];
  ignored: ReadonlySet<string>;
  types: Readonly<Record<string, KeptFieldType>>;
}): OtherColumn[] {
  const filledBy = new Map(Object.entries(p.mapping.custom ?? {}));
  return unmappedHeaders(p.headers, p.mapping).map((header) => {
    const label = keptLabel(header);
    const key = fieldKeyFromLabel(label);
    const field = p.fields.find((f) => f.key === key);
    const other = filledBy.get(key);
    if (!other) filledBy.set(key, header);
    const i = p.headers.indexOf(header);
    const type =
      p.types[header] ??
      guessFieldType(
        header,
        p.rows.map((r) => r[i] ?? ""),
      );
    return {
      header,
      key,
      label,
      fieldLabel: field?.label ?? label,
      type: field?.type ?? type,
      existing: Boolean(field),
      keep: !other && !p.ignored.has(header),
      ...(other && { conflict: `“${field?.label ?? label}” is filled from the column “${other}”` }),
    };
  });
}

/** The `keep` list of the mapping sent to the server. */
export function keptColumns(columns: OtherColumn[]): KeptColumn[] {
  return columns
    .filter((c) => c.keep)
    .map((c) => ({
      header: c.header,
      label: c.label,
      type: c.existing ? "text" : (c.type as KeptFieldType),
    }));
}
