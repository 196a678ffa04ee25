import { getTableColumns, getTableName, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";

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

/**
 * A row keyed as `columns` (name → column of one table), from a raw statement that selected those
 * columns by their own names: each column's driver mapping applied, as Drizzle's select would.
 */
export function rowOfColumns<C extends Record<string, PgColumn>>(
  columns: C,
  raw: Record<string, unknown>,
): { [K in keyof C]: C[K]["_"]["notNull"] extends true ? C[K]["_"]["data"] : C[K]["_"]["data"] | null } {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(columns)) {
    const value = raw[column.name];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as never;
}

/** `"table"."column", …` for the given columns (a raw select of them, keyed by their own names). */
export function columnListOf(columns: Record<string, PgColumn>): SQL {
  return sql.raw(
    Object.values(columns)
      .map((c) => `"${getTableName(c.table).replaceAll('"', '""')}"."${c.name.replaceAll('"', '""')}"`)
      .join(", "),
  );
}

const columnLists = new WeakMap<PgTable, SQL>();

/**
 * `"table"."column", …` for every column of `table` this code knows, to select or return instead of
 * `table.*`: a column added later (a migration while an older worker runs) leaves the result's
 * shape alone, which a prepared statement needs (server/db/prepared.ts).
 */
export function columnsOf(table: PgTable): SQL {
  let list = columnLists.get(table);
  if (!list) {
    const name = getTableName(table).replaceAll('"', '""');
    const cols = Object.values(getTableColumns(table)).map(
      (c) => `"${name}"."${c.name.replaceAll('"', '""')}"`,
    );
    list = sql.raw(cols.join(", "));
    columnLists.set(table, list);
  }
  return list;
}
