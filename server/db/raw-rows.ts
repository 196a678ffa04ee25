import { getTableColumns } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

/** Rows of a raw `db.execute`: node-postgres and PGlite both put them under `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/**
 * A row of `table` from a raw statement's result (`returning "table".*`), keyed and typed as
 * Drizzle's own queries return it (each column's driver mapping: timestamps to Date, JSON parsed).
 * For hot paths where building the query with Drizzle costs more than running it.
 */
export function tableRowOf<T extends PgTable>(table: T, raw: Record<string, unknown>): T["$inferSelect"] {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = raw[column.name];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as T["$inferSelect"];
}
