import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, inject } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { type Db, type DbHandle, migrationsFolder, openDb } from "@/server/db";
import { openMemoryDb, PGLITE_CONF, PGlite, pgliteHandle } from "@/server/db/pglite";
import { setQueue } from "@/server/queue";
import { jobHandlers } from "@/server/queue/handlers";
import { InlineQueue } from "@/server/queue/inline";
import { scratchDatabase } from "./scratch-db";

export const usingPostgres = Boolean(process.env.DATABASE_URL);
export const redisUrl = process.env.REDIS_URL;

let template: Blob | undefined;

/*
 * Loading the migrated template into a new PGlite costs about a second of CPU (untarring 44 MB into
 * its in-memory file system, then starting the backend); a hundred-odd files each did it once. A
 * database a file has finished with is put back to the template's state instead (TRUNCATE of every
 * table, DISCARD ALL: about a tenth of a second) and kept for the next file in this worker process.
 * It is kept only when its catalog still matches the template's (a file that ran DDL or migrations
 * leaves a database that is closed instead), and a file's handle refuses every call once the file
 * has closed it, so a late write from one file cannot land in the next file's database.
 */
const idle: PGlite[] = [];
const KEEP_IDLE = 2;
let truncateAll: string | undefined;
let templateCatalog: string | undefined;

/** Everything migrations make, by name and shape: changes when a file runs DDL. */
const CATALOG = `select md5(string_agg(x, ',' order by x)) as f from (
  select c.oid::text || ' ' || c.relname || ' ' || c.relkind::text || ' ' || a.attname || ' ' || a.atttypid::text
         || ' ' || a.attnotnull::text || ' ' || a.attisdropped::text as x
    from pg_class c left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0
   where c.relpersistence <> 't' and c.relnamespace not in ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
  union all select oid::text || ' ' || proname || ' ' || md5(prosrc) from pg_proc where pronamespace <> 'pg_catalog'::regnamespace
  union all select oid::text || ' ' || tgname || ' ' || tgenabled::text from pg_trigger
  union all select oid::text || ' ' || conname from pg_constraint
  union all select oid::text || ' ' || rolname from pg_authid
  union all select oid::text || ' ' || extname from pg_extension
  union all select oid::text || ' ' || nspname from pg_namespace where nspname not like 'pg_%temp_%'
) catalog`;

async function catalogOf(pg: PGlite) {
  const { rows } = await pg.query<{ f: string }>(CATALOG);
  return rows[0]!.f;
}

async function loadTemplate(): Promise<PGlite> {
  const file = inject("pgliteTemplate");
  if (file && !template) template = new Blob([fs.readFileSync(file)]);
  const handle = openMemoryDb(template);
  await handle.migrate();
  const pg = handle.pglite!;
  if (!truncateAll) {
    const { rows } = await pg.query<{ t: string }>(
      `select format('%I.%I', schemaname, tablename) as t from pg_tables
        where schemaname not in ('pg_catalog', 'information_schema', 'drizzle')`,
    );
    truncateAll = `truncate ${rows.map((r) => r.t).join(", ")} restart identity cascade`;
    templateCatalog = await catalogOf(pg);
  }
  return pg;
}

/** Back to the template's state, or closed. */
async function giveBack(pg: PGlite) {
  try {
    // A file may end inside a transaction (a failed test); DISCARD ALL cannot run in one.
    await pg.exec("rollback");
    await pg.exec("discard all");
    await pg.exec(truncateAll!);
    await pg.exec("delete from pg_statistic");
    if (idle.length < KEEP_IDLE && (await catalogOf(pg)) === templateCatalog) {
      idle.push(pg);
      return;
    }
  } catch {
    // Closed below.
  }
  await pg.close().catch(() => {});
}

/** The instance behind a proxy that refuses every use once `released()` says so. */
function leased(pg: PGlite, released: () => boolean): PGlite {
  return new Proxy(pg, {
    get(target, key) {
      if (released() && key !== "closed")
        throw new Error("This test database was closed: the test file that opened it has ended.");
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * An in-memory PGlite database with the committed migrations and no rows: one this worker process
 * reset after an earlier file, else a new one from the data directory global-setup migrated once
 * for the run (then `migrate` finds nothing to do). Closing the handle gives it back.
 */
export async function memoryTestDb(): Promise<DbHandle> {
  const pg = idle.pop() ?? (await loadTemplate());
  let released = false;
  const handle = pgliteHandle(leased(pg, () => released));
  return Object.assign(handle, {
    async close() {
      if (released) return;
      released = true;
      await giveBack(pg);
    },
  });
}

/**
 * Makes the embedded database of `dataDir` (its `pgdata` folder, as server/db/index.ts names it)
 * from the migrated template, as `migrate` would leave a new install's, without PGlite's initdb and
 * the migrations: about 8 s of CPU a folder. For files about something else than a first start
 * (cli.test.ts still starts from nothing). Does nothing on PostgreSQL runs, which have no template.
 */
export async function seedEmbeddedDataDir(dataDir: string) {
  const file = inject("pgliteTemplate");
  if (!file) return;
  fs.mkdirSync(dataDir, { recursive: true });
  const pg = new PGlite(path.join(dataDir, "pgdata"), {
    loadDataDir: new Blob([fs.readFileSync(file)]),
    postgresqlconf: PGLITE_CONF,
  });
  await pg.waitReady;
  await pg.close();
}

/**
 * A real database for one test file: the shared PostgreSQL database when DATABASE_URL is set
 * (migrated by global-setup), otherwise a fresh in-memory PGlite with the committed migrations.
 * Also points the job queue at an in-process runner on this database, running the app's job
 * handlers (server/queue/handlers.ts). Closed after the file.
 *
 * `ownDatabase`: on PostgreSQL, a database of this file's own (created, migrated, dropped after).
 * For files that switch a process-wide setting which the event dispatcher or its consumers read
 * (an ENABLE_* flag, EMAIL_STEP_DELAY_UNIT_MS, WEBHOOKS_ALLOW_PRIVATE): the dispatcher claims every
 * workspace's events, so on the shared database another file's process could consume this file's
 * events under its settings, or this one consume theirs under these. (A webhook delivery made by
 * another file's process refused a private receiver and was put off for a retry: CI, 2026-12-06.)
 */
export async function setupTestDb(
  opts: { ownDatabase?: boolean } = {},
): Promise<DbHandle & { queue: InlineQueue }> {
  let handle: DbHandle;
  if (usingPostgres && opts.ownDatabase) {
    const own = scratchDatabase("own");
    await own.create();
    process.env.DATABASE_URL = own.url;
    resetEnvCache();
    handle = await openDb();
    await handle.migrate();
    afterAll(() => own.drop(), 60_000);
  } else if (usingPostgres) {
    handle = await openDb();
  } else {
    handle = await memoryTestDb();
  }
  const queue = newInlineQueue(async () => handle.db);
  setQueue(queue);
  afterAll(async () => {
    await queue.drain().catch(() => {});
    await queue.close();
    setQueue(undefined);
    await handle.close();
  });
  return Object.assign(handle, { queue });
}

/** An in-process runner with the app's job handlers (what the web boot starts in embedded mode). */
export function newInlineQueue(
  getDb: ConstructorParameters<typeof InlineQueue>[0],
  opts: { concurrency?: number; backoffScale?: number } = {},
) {
  return new InlineQueue(getDb, { ...opts, handlers: jobHandlers() });
}

/**
 * Runs one committed migration's statements (the file starting with `number`, e.g. "0035") on `db`,
 * as the migrator would: for tests that put a database back to the shape before it first.
 */
export async function runMigration(db: Db, number: string) {
  const file = fs.readdirSync(migrationsFolder()).find((n) => n.startsWith(`${number}_`));
  if (!file) throw new Error(`no migration ${number}`);
  const statements = fs
    .readFileSync(path.join(migrationsFolder(), file), "utf8")
    .split("--> statement-breakpoint")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of statements) await db.execute(sql.raw(s));
}
