import "server-only";
import { fieldKeyFromLabel, keptLabel, mappedHeaders } from "@/lib/import-columns";
import { ValidationError } from "@/server/errors";
import type { CustomFieldDef } from "@/server/services/leads/normalize";
import type { ImportMapping, KeptFieldType } from "./schemas";

/** "E-mail Address" → "emailaddress": how headers are compared. */
export function headerKey(header: string): string {
  return header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

const EMAIL = ["email", "emailaddress", "mail", "emailaddr", "primaryemail", "workemail", "emailid"];
const NAME = ["name", "fullname", "contactname", "displayname", "subscribername"];
const FIRST = ["firstname", "first", "givenname", "fname", "forename"];
const LAST = ["lastname", "last", "surname", "familyname", "lname"];
const TAGS = ["tags", "tag", "labels", "label"];
const SOURCE = ["source", "leadsource", "signupsource", "origin"];

/**
 * A first guess at the mapping from common exports' headers (Mailchimp, HubSpot, Google Contacts,
 * spreadsheets): `Email Address`, `E-mail`, `First Name` + `Last Name`, `Tags`, `Source`, and
 * headers equal to a custom field's key or label. The person confirms or changes it.
 */
export function suggestMapping(
  headers: string[],
  defs: Pick<CustomFieldDef, "key" | "label">[],
): ImportMapping {
  const keys = headers.map(headerKey);
  const find = (names: string[]) => {
    for (const n of names) {
      const i = keys.indexOf(n);
      if (i >= 0) return headers[i];
    }
    return undefined;
  };
  const used = new Set<string>();
  const take = (h: string | undefined) => {
    if (h) used.add(h);
    return h;
  };
  const email = take(find(EMAIL) ?? headers.find((h) => /e-?mail/i.test(h))) ?? "";
  const first = find(FIRST);
  const last = find(LAST);
  const full = find(NAME);
  let name: ImportMapping["name"];
  if (first && last) name = [take(first)!, take(last)!];
  else name = take(full ?? first ?? last);
  const tags = take(find(TAGS));
  const source = take(find(SOURCE));
  const custom: Record<string, string> = {};
  for (const def of defs) {
    const wanted = new Set([headerKey(def.key), headerKey(def.label)]);
    const i = keys.findIndex((k, idx) => wanted.has(k) && !used.has(headers[idx]!));
    if (i >= 0) custom[def.key] = take(headers[i])!;
  }
  return {
    email,
    ...(name ? { name } : {}),
    ...(tags ? { tags } : {}),
    ...(source ? { source } : {}),
    custom,
  };
}

/** A mapping resolved to column positions, checked against the file's headers and custom fields. */
export interface CompiledMapping {
  email: number;
  name: number[];
  tags: number;
  source: number;
  custom: [key: string, index: number][];
}

export function compileMapping(
  headers: string[],
  mapping: ImportMapping,
  defs: Pick<CustomFieldDef, "key">[],
): CompiledMapping {
  const errors: Record<string, string[]> = {};
  const index = (field: string, header: string | undefined) => {
    if (header === undefined || header === "") return -1;
    const i = headers.indexOf(header);
    if (i < 0) errors[field] = [`The file has no column "${header}"`];
    return i;
  };
  const email = index("email", mapping.email);
  if (!mapping.email) errors.email = ["Choose the column that holds email addresses"];
  const nameHeaders =
    mapping.name === undefined ? [] : Array.isArray(mapping.name) ? mapping.name : [mapping.name];
  const name = nameHeaders.map((h) => index("name", h)).filter((i) => i >= 0);
  const tags = index("tags", mapping.tags);
  const source = index("source", mapping.source);
  const known = new Set(defs.map((d) => d.key));
  const custom: [string, number][] = [];
  for (const [key, header] of Object.entries(mapping.custom ?? {})) {
    if (!header) continue;
    if (!known.has(key)) {
      errors[`custom.${key}`] = [`There is no custom field "${key}" in this workspace`];
      continue;
    }
    const i = index(`custom.${key}`, header);
    if (i >= 0) custom.push([key, i]);
  }
  if (Object.keys(errors).length > 0) {
    throw new ValidationError(Object.values(errors)[0]![0]!, errors);
  }
  return { email, name, tags, source, custom };
}

export interface NewImportField {
  key: string;
  label: string;
  type: KeptFieldType;
}

/**
 * Turns the kept columns into custom-field mappings: a column whose key names a field of the
 * workspace fills that field; the others become new fields (created when the import starts).
 * Refuses a kept column that is not in the file, is mapped already, or would fill a field that
 * another column fills. Returns the mapping without `keep`, the fields to create, and the columns
 * nothing takes (ignored).
 */
export function resolveKeptColumns(
  headers: string[],
  mapping: ImportMapping,
  defs: Pick<CustomFieldDef, "key">[],
): { mapping: ImportMapping; create: NewImportField[]; ignored: string[] } {
  const existing = new Set(defs.map((d) => d.key));
  const used = mappedHeaders(mapping);
  const custom: Record<string, string> = { ...mapping.custom };
  const create: NewImportField[] = [];
  const errors: Record<string, string[]> = {};
  const problem = (header: string, key: string) => {
    if (!headers.includes(header)) return `The file has no column "${header}"`;
    if (used.has(header)) return `The column "${header}" is already matched to a field`;
    if (custom[key] !== undefined)
      return `The columns "${custom[key]}" and "${header}" would both fill the field "${key}"`;
    return null;
  };
  (mapping.keep ?? []).forEach((kept, i) => {
    const label = keptLabel(kept.label);
    const key = fieldKeyFromLabel(label);
    const message = problem(kept.header, key);
    if (message) {
      errors[`keep.${i}`] = [message];
      return;
    }
    used.add(kept.header);
    custom[key] = kept.header;
    if (!existing.has(key)) create.push({ key, label, type: kept.type ?? "text" });
  });
  if (Object.keys(errors).length > 0) throw new ValidationError(Object.values(errors)[0]![0]!, errors);
  const { keep: _, ...rest } = mapping;
  return { mapping: { ...rest, custom }, create, ignored: headers.filter((h) => !used.has(h)) };
}

/** Splits a tags cell on commas or semicolons. */
export function splitTags(cell: string | undefined): string[] {
  if (!cell) return [];
  return cell.split(/[,;]/);
}

export interface MappedRow {
  email: string;
  name: string;
  tags: string[];
  source: string;
  custom: Record<string, string>;
}

/** One record's values for each target field (raw text, not yet validated). */
export function applyMapping(record: string[], m: CompiledMapping): MappedRow {
  const cell = (i: number) => (i >= 0 ? (record[i] ?? "") : "");
  const custom: Record<string, string> = {};
  for (const [key, i] of m.custom) custom[key] = cell(i);
  return {
    email: cell(m.email),
    name: m.name
      .map(cell)
      .map((s) => s.trim())
      .filter(Boolean)
      .join(" "),
    tags: splitTags(cell(m.tags)),
    source: cell(m.source).trim(),
    custom,
  };
}
