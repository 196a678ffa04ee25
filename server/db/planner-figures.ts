import { sql } from "drizzle-orm";
import { logger } from "@/lib/logger";
import type { Db } from "./index";
import { rowsOf } from "./raw-rows";

/** Tables whose figures the audience and suppression queries lean on. */
type PlannedTable = "leads" | "email_suppressions";

/**
 * ANALYZEs the tables whose planner figures lag far behind their contents: never analysed yet, grown
 * past their recorded size by a fifth (pages on disk against `relpages`), or — on PostgreSQL, where
 * the counters are kept — changed in more than a tenth of their rows since. Autovacuum gets there
 * about a minute later and PGlite never does; in between, a planner that believes a 10,000-entry
 * suppression list is empty picks a plan that compares every lead with every entry (minutes instead
 * of a second at 100k leads). Costs one catalogue read when nothing is stale; never throws.
 */
export async function refreshStalePlannerFigures(db: Db, tables: readonly PlannedTable[]) {
  try {
    const names = sql.join(
      tables.map((t) => sql`${t}`),
      sql`, `,
    );
    const stale = rowsOf<{ relname: PlannedTable }>(
      await db.execute(sql`
        select c.relname
        from pg_class c
        left join pg_stat_user_tables s on s.relid = c.oid
        where c.relnamespace = current_schema()::regnamespace and c.relname in (${names})
          and (
            (c.reltuples < 0 and pg_relation_size(c.oid) > 0)
            or pg_relation_size(c.oid) / current_setting('block_size')::int > c.relpages * 1.2 + 8
            or coalesce(s.n_mod_since_analyze, 0) > greatest(1000, c.reltuples * 0.1)
          )`),
    );
    for (const { relname } of stale) {
      if (tables.includes(relname)) await db.execute(sql.raw(`analyze ${relname}`));
    }
  } catch (err) {
    logger.warn({ err, tables }, "could not refresh planner figures");
  }
}
