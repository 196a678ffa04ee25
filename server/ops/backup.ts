import "server-only";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { dataDir } from "@/lib/env";
import { type DbHandle, embeddedPgdata, holdsDatabase, openDb } from "@/server/db";
import { PGLITE_CONF } from "@/server/db/pglite-conf";
import { ConflictError, ValidationError } from "@/server/errors";
import { assertToolFitsServer, connectionFor, runPgTool } from "./pg-tools";

/**
 * `npm run cli -- backup` / `restore`. PostgreSQL: pg_dump's custom format (restored with pg_restore
 * in one transaction). Embedded: PGlite's own dump of its data folder (a gzipped tar, `dumpDataDir`),
 * loaded back with `loadDataDir`. Either way the database only: files in S3 or on disk, and the
 * DATA_DIR secrets of an embedded install, are backed up apart (docs/OPERATIONS.md).
 */

export type BackupFormat = "pg_dump" | "pglite";

export interface BackupResult {
  format: BackupFormat;
  file: string;
  bytes: number;
}

const APP_RUNNING =
  "The embedded database is open in the running app. Stop the app (npm start / npm run dev) first, then run this again.";

function embeddedFiles(handle: DbHandle): PGlite {
  if (!handle.pglite) throw new ValidationError(APP_RUNNING);
  return handle.pglite;
}

export async function backupDatabase(handle: DbHandle, url: string | undefined, out: string) {
  const file = path.resolve(out);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (handle.kind === "postgres" && url) {
    await assertToolFitsServer("pg_dump", url);
    const { dbname, env } = connectionFor(url);
    await runPgTool(
      "pg_dump",
      ["--format=custom", "--no-owner", "--no-privileges", `--file=${file}`, `--dbname=${dbname}`],
      env,
    );
    return { format: "pg_dump", file, bytes: fs.statSync(file).size } satisfies BackupResult;
  }
  const dump = await embeddedFiles(handle).dumpDataDir("gzip");
  // Written beside the target and renamed, so a failed dump never leaves a half file under its name.
  const partial = `${file}.partial`;
  fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(partial, file);
  return { format: "pglite", file, bytes: fs.statSync(file).size } satisfies BackupResult;
}

/** Workspaces and users already in a database (zero when it was never migrated). */
async function contents(query: (text: string) => Promise<{ rows: Record<string, unknown>[] }>) {
  const { rows } = await query(
    "select to_regclass('public.workspaces') is not null and to_regclass('public.users') is not null as present",
  );
  if (!rows[0]?.present) return { workspaces: 0, users: 0 };
  const counts = await query(
    "select (select count(*) from workspaces)::int as workspaces, (select count(*) from users)::int as users",
  );
  return { workspaces: Number(counts.rows[0]!.workspaces), users: Number(counts.rows[0]!.users) };
}

function refuseOverwrite(where: string, found: { workspaces: number; users: number }, force: boolean) {
  if (force || (found.workspaces === 0 && found.users === 0)) return;
  throw new ConflictError(
    `${where} is not empty (${found.workspaces} workspace(s), ${found.users} user(s)); restoring would replace all of it. ` +
      "Restore into an empty database, or add --force to replace its contents.",
  );
}

type RestoreResult = { format: BackupFormat; replaced: { workspaces: number; users: number } };

function assertBackupFile(file: string) {
  if (!fs.existsSync(file)) throw new ValidationError(`No backup file at ${file}`);
}

/**
 * An embedded install whose data folder holds no database yet (a restore onto a new machine):
 * nothing there to refuse to overwrite, so `restoreIntoNewEmbedded` needs no database opened first.
 * Opening it would create one only to replace it (PGlite's initdb and every migration: about 10
 * CPU-seconds).
 */
export function noEmbeddedDatabaseYet(url: string | undefined): boolean {
  return !url && !holdsDatabase(embeddedPgdata());
}

/** Restores an embedded backup where `noEmbeddedDatabaseYet`. */
export async function restoreIntoNewEmbedded(input: string): Promise<RestoreResult> {
  const file = path.resolve(input);
  assertBackupFile(file);
  fs.mkdirSync(dataDir(), { recursive: true });
  await restoreEmbedded(file);
  return { format: "pglite", replaced: { workspaces: 0, users: 0 } };
}

/**
 * Restores `input` into the database `handle` points at, closing `handle` first (an embedded restore
 * replaces the files it has open).
 */
export async function restoreDatabase(
  handle: DbHandle,
  url: string | undefined,
  input: string,
  opts: { force: boolean; where: string },
): Promise<RestoreResult> {
  const file = path.resolve(input);
  let found: { workspaces: number; users: number } | undefined;
  try {
    assertBackupFile(file);
    if (handle.kind === "pglite-socket") throw new ValidationError(APP_RUNNING);
    if (handle.kind === "pglite") {
      const client = embeddedFiles(handle);
      found = await contents((text) => client.query(text));
      refuseOverwrite(opts.where, found, opts.force);
    }
  } finally {
    await handle.close();
  }
  if (found) {
    await restoreEmbedded(file);
    return { format: "pglite", replaced: found };
  }
  if (!url) throw new Error("DATABASE_URL is not set");
  return restorePostgres(url, file, opts);
}

async function restorePostgres(url: string, file: string, opts: { force: boolean; where: string }) {
  await assertToolFitsServer("pg_restore", url);
  const { dbname, env } = connectionFor(url);
  // Read the archive's table of contents before touching anything: a wrong or broken file stops here.
  const list = await runPgTool("pg_restore", ["--list", file], env).catch(() => {
    throw new ValidationError(`${file} is not a pg_dump custom-format archive (make one with: backup --out)`);
  });
  if (!/ TABLE public workspaces /.test(list.stdout)) {
    throw new ValidationError(
      `${file} is a pg_dump archive, but not of an Organic database (no workspaces table)`,
    );
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let found: { workspaces: number; users: number };
  try {
    found = await contents((text) => client.query(text));
    refuseOverwrite(opts.where, found, opts.force);
    // Tables from a newer migration would survive `pg_restore --clean`: start from empty schemas.
    await client.query(`drop schema if exists drizzle cascade;
      drop schema if exists public cascade;
      create schema public authorization pg_database_owner;
      grant usage on schema public to public`);
  } finally {
    await client.end();
  }
  await runPgTool(
    "pg_restore",
    ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", `--dbname=${dbname}`, file],
    env,
  );
  return { format: "pg_dump" as const, replaced: found };
}

/**
 * Loads the dump into a new folder beside DATA_DIR/pgdata, checks it is an Organic database, and only
 * then swaps it in: a wrong or broken file leaves the current database as it was.
 */
async function restoreEmbedded(file: string) {
  const dir = dataDir();
  const target = embeddedPgdata(dir);
  const incoming = path.join(dir, "pgdata.restoring");
  fs.rmSync(incoming, { recursive: true, force: true });
  let loaded: PGlite | undefined;
  try {
    loaded = new PGlite(incoming, {
      loadDataDir: new Blob([fs.readFileSync(file)]),
      postgresqlconf: PGLITE_CONF,
    });
    await loaded.waitReady;
    const { rows } = await loaded.query<{ ok: boolean }>(
      "select to_regclass('public.workspaces') is not null as ok",
    );
    if (!rows[0]?.ok)
      throw new ValidationError(`${file} is a PGlite data folder, but not of an Organic database`);
  } catch (err) {
    await loaded?.close().catch(() => {});
    fs.rmSync(incoming, { recursive: true, force: true });
    if (err instanceof ValidationError) throw err;
    throw new ValidationError(
      `${file} is not a PGlite backup (make one with: backup --out): ${(err as Error).message}`,
    );
  }
  await loaded.close();
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(incoming, target);
}

/** Opens the restored database as the app would and brings it up to this version's migrations. */
export async function migrateRestored(): Promise<void> {
  const handle = await openDb();
  try {
    await handle.migrate();
  } finally {
    await handle.close();
  }
}
