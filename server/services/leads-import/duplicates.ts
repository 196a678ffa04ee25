import "server-only";
import type { StagingSession } from "./staging";

type Query = Pick<StagingSession, "query">;

/**
 * Fills the rejected rows table: the invalid rows, and the valid ones whose email an earlier valid
 * row already has ("Duplicate of row N"). Only rows the email hashes flagged can be duplicates, and
 * only they kept their cells. Returns the number of duplicates.
 */
export async function collectRejectedRows(
  session: Pick<StagingSession, "query" | "tables">,
  table: string,
  rejTable: string,
): Promise<number> {
  await session.query(
    `create ${session.tables === "unlogged" ? "unlogged" : "temporary"} table ${rejTable} (row integer primary key, raw text not null, reason text not null)`,
  );
  await session.query(
    `insert into ${rejTable} (row, raw, reason) select row, raw, reason from ${table} where reason is not null`,
  );
  const [dup] = await session.query<{ n: number }>(`
      with found as (
        insert into ${rejTable} (row, raw, reason)
        select c.row, c.raw, 'Duplicate of row ' || min(f.row)
        from ${table} c join ${table} f on f.email = c.email and f.reason is null and f.row < c.row
        where c.reason is null and c.raw is not null
        group by c.row, c.raw
        returning 1
      )
      select count(*)::int as n from found`);
  return Number(dup!.n);
}

/** Rejected rows in file order, a page at a time. */
export async function* readRejectedRows(q: Query, rejTable: string, pageSize = 5000) {
  let after = 0;
  for (;;) {
    const page = await q.query<{ row: number; raw: string; reason: string }>(
      `select row, raw, reason from ${rejTable} where row > $1 order by row limit ${pageSize}`,
      [after],
    );
    for (const r of page) yield { cells: JSON.parse(r.raw) as string[], row: r.row, reason: r.reason };
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.row;
  }
}
