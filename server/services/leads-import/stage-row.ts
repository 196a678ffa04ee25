import "server-only";
import { type CustomFieldDef, normalizeTags, validateCustomFields } from "../leads/normalize";
import { normalizeEmail } from "../leads/schemas";
import { stripNul } from "./common";
import { type CompiledMapping, splitTags } from "./mapping";
import type { EmailHashSet, StagedRow } from "./staging";

const MEMO_LIMIT = 10_000;

type Checked = { value: unknown; json: string } | { error: string };

export interface RowCheckOptions {
  mapping: CompiledMapping;
  defs: CustomFieldDef[];
  /** Tags added to every row (already normalized). */
  applyTags: string[];
  /** The source of rows whose own source cell is empty. */
  defaultSource: string;
  /** Emails of the valid rows so far: a hit marks a row that may repeat an earlier one. */
  seen: EmailHashSet;
}

/** A row of the file as staged: invalid, with its reason and cells. */
export function invalidRow(rec: string[], row: number, reason: string): StagedRow {
  return {
    row,
    email: null,
    name: null,
    tags: [],
    source: null,
    custom: null,
    customJson: null,
    reason,
    raw: JSON.stringify(rec.map(stripNul)),
  };
}

/**
 * Remembers the checked form of repeated cells (up to MEMO_LIMIT distinct cells): real lists
 * repeat the same few tag cells and custom values (plans, countries, yes/no).
 */
function memoized<T>(compute: (cell: string) => T) {
  const memo = new Map<string, T>();
  return (cell: string): T => {
    let value = memo.get(cell);
    if (value === undefined) {
      value = compute(cell);
      if (memo.size < MEMO_LIMIT) memo.set(cell, value);
    }
    return value;
  };
}

function customChecker(defs: CustomFieldDef[], key: string) {
  return memoized((raw): Checked => {
    const one = validateCustomFields(defs, { [key]: raw });
    const v = one.values[key];
    const value = typeof v === "string" ? stripNul(v) : (v ?? null);
    return key in one.errors
      ? { error: one.errors[key]! }
      : { value, json: `${JSON.stringify(key)}:${JSON.stringify(value)}` };
  });
}

/** The name cells joined with spaces (first and last name columns). */
function joinName(rec: string[], columns: number[]): string {
  let name = "";
  for (let k = 0; k < columns.length; k++) {
    const part = (rec[columns[k]!] ?? "").trim();
    if (part) name = name ? `${name} ${part}` : part;
  }
  return stripNul(name);
}

/**
 * The check of one record of a file, returning it as a staged row (valid, or invalid with its
 * reason). It runs once per row of files of millions of rows, hence the plain loops and memos.
 */
export function rowChecker(o: RowCheckOptions): (rec: string[], row: number) => StagedRow {
  const m = o.mapping;
  const tagsOf = memoized((cell) => {
    const split = splitTags(cell);
    return normalizeTags(o.applyTags.length ? [...o.applyTags, ...split] : split).map(stripNul);
  });
  const custom = m.custom.map(([key, i]) => ({ key, i, check: customChecker(o.defs, key) }));

  return (rec, row) => {
    const email = normalizeEmail(m.email >= 0 ? (rec[m.email] ?? "") : "");
    if (!email.ok) return invalidRow(rec, row, email.reason);
    const name = joinName(rec, m.name);
    if (name.length > 255) return invalidRow(rec, row, "Name is longer than 255 characters");
    const source = stripNul(m.source >= 0 ? (rec[m.source] ?? "").trim() : "") || o.defaultSource;
    if (source.length > 255) return invalidRow(rec, row, "Source is longer than 255 characters");
    let values: Record<string, unknown> | null = null;
    let customJson: string | null = null;
    let errors: string[] | null = null;
    for (let k = 0; k < custom.length; k++) {
      const c = custom[k]!;
      const checked = c.check(rec[c.i] ?? "");
      if ("error" in checked) {
        errors ??= [];
        errors.push(checked.error);
      } else if (checked.value !== null) {
        // An empty cell leaves the lead's value alone rather than clearing it.
        values ??= {};
        values[c.key] = checked.value;
        customJson = customJson === null ? `{${checked.json}` : `${customJson},${checked.json}`;
      }
    }
    if (errors) return invalidRow(rec, row, errors.join("; "));
    if (customJson !== null) customJson += "}";
    // Only valid rows count as "seen": a later row with the email of an invalid one is imported.
    const maybeDuplicate = o.seen.addAndCheck(email.email);
    return {
      row,
      email: email.email,
      name: name || null,
      tags: tagsOf(m.tags >= 0 ? (rec[m.tags] ?? "") : ""),
      source: source || null,
      custom: values,
      customJson,
      reason: null,
      raw: maybeDuplicate ? JSON.stringify(rec.map(stripNul)) : null,
    };
  };
}
