import { readMigrationFiles } from "drizzle-orm/migrator";
import type pg from "pg";

/**
 * The committed migrations on PostgreSQL, in ONE transaction that first takes a transaction-scoped
 * advisory lock. Web processes and workers may start together: one migrates, the others wait on the
 * lock, then find nothing left to do. A transaction-scoped lock (not a session one) is what keeps
 * this safe behind PgBouncer in transaction pooling: the lock, the DDL and the bookkeeping all run on
 * the one server connection PgBouncer lends for the transaction, and the lock goes with the COMMIT.
 *
 * Same bookkeeping as drizzle's migrator (`drizzle.__drizzle_migrations`, a migration applies when its
 * folder timestamp is newer than the last recorded one), so databases migrated by either agree.
 */

/** Arbitrary, constant advisory-lock key for migrations. */
export const MIGRATION_LOCK = 7_301_042;

const BOOKKEEPING = [
  "create schema if not exists drizzle",
  `create table if not exists drizzle.__drizzle_migrations (
     id serial primary key,
     hash text not null,
     created_at bigint
   )`,
];

export async function migratePostgres(
  client: pg.ClientBase,
  migrationsFolder: string,
  opts: { lock: boolean },
): Promise<{ applied: number }> {
  const migrations = readMigrationFiles({ migrationsFolder });
  await client.query("begin");
  try {
    if (opts.lock) await client.query("select pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    for (const statement of BOOKKEEPING) await client.query(statement);
    const last = await lastAppliedMillis(client);
    let applied = 0;
    for (const migration of migrations) {
      if (last !== null && last >= migration.folderMillis) continue;
      for (const statement of migration.sql) {
        if (statement.trim()) await client.query(statement);
      }
      await client.query('insert into drizzle.__drizzle_migrations ("hash", "created_at") values ($1, $2)', [
        migration.hash,
        migration.folderMillis,
      ]);
      applied++;
    }
    await client.query("commit");
    return { applied };
  } catch (err) {
    await client.query("rollback").catch(() => {});
    throw err;
  }
}

async function lastAppliedMillis(client: Pick<pg.ClientBase, "query">): Promise<number | null> {
  const { rows } = await client.query<{ created_at: string | null }>(
    "select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1",
  );
  return rows[0]?.created_at == null ? null : Number(rows[0].created_at);
}

/**
 * How many committed migrations this database has not applied yet (all of them when it was never
 * migrated), and whether it was migrated further than this code knows, without changing anything:
 * for `doctor`.
 */
export async function pendingMigrations(
  query: (text: string) => Promise<{ rows: Record<string, unknown>[] }>,
  migrationsFolder: string,
): Promise<{ pending: number; total: number; ahead: boolean }> {
  const migrations = readMigrationFiles({ migrationsFolder });
  const { rows } = await query("select to_regclass('drizzle.__drizzle_migrations') is not null as present");
  let last: number | null = null;
  if (rows[0]?.present) {
    const res = await query("select max(created_at) as last from drizzle.__drizzle_migrations");
    last = res.rows[0]?.last == null ? null : Number(res.rows[0].last);
  }
  const pending = migrations.filter((m) => last === null || last < m.folderMillis).length;
  // A migration recorded after the newest one this code has: a newer version migrated this database.
  const newest = Math.max(0, ...migrations.map((m) => m.folderMillis));
  return { pending, total: migrations.length, ahead: last !== null && last > newest };
}
