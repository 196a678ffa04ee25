import type pg from "pg";

/**
 * What one database's PostgreSQL backends do, for the schedule bench: statement counts from
 * pg_stat_database, and (when profiling) a sampling of pg_stat_activity: which statements are
 * running or waiting, and on what, at each sample. Without pg_stat_statements this is the cheapest
 * view of where the database's time goes.
 */

async function counters(db: pg.Pool, database: string) {
  const { rows } = await db.query(
    `select xact_commit + xact_rollback as xacts, tup_inserted, tup_updated, tup_deleted, tup_fetched
     from pg_stat_database where datname = $1`,
    [database],
  );
  const r = rows[0] ?? {};
  return {
    transactions: Number(r.xacts ?? 0),
    inserted: Number(r.tup_inserted ?? 0),
    updated: Number(r.tup_updated ?? 0),
    deleted: Number(r.tup_deleted ?? 0),
    fetched: Number(r.tup_fetched ?? 0),
  };
}

/** Statement and row counts of `database` from now until `delta()` (a statement outside a transaction is one). */
export async function databaseCounters(db: pg.Pool, database: string) {
  const first = await counters(db, database);
  return {
    async delta() {
      // The statistics collector reports with a delay: give it a moment.
      await new Promise((r) => setTimeout(r, 1000));
      const last = await counters(db, database);
      return Object.fromEntries(
        Object.entries(last).map(([k, v]) => [k, v - first[k as keyof typeof first]]),
      ) as typeof first;
    },
  };
}

/** Samples the active backends of `database` every `everyMs`; `top()` gives the most seen statements. */
export function sampleActivity(db: pg.Pool, database: string, everyMs = 200) {
  const seen = new Map<string, number>();
  let samples = 0;
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const { rows } = await db.query(
        `select left(regexp_replace(query, '\\s+', ' ', 'g'), 90) as query,
                coalesce(wait_event_type || ':' || wait_event, 'CPU') as waiting
         from pg_stat_activity
         where datname = $1 and state = 'active' and pid <> pg_backend_pid()`,
        [database],
      );
      samples++;
      for (const r of rows) {
        const key = `${r.waiting} | ${r.query}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
    } catch {
      // a sample lost is fine
    } finally {
      busy = false;
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
    },
    /** The statements most often active, with the mean number active at once. */
    top(n = 12) {
      return [...seen]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([what, count]) => ({
          meanActive: Math.round((count / Math.max(1, samples)) * 100) / 100,
          what,
        }));
    },
  };
}
