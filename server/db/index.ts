import "server-only";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import pg from "pg";
import { dataDir, env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { type Db, type DbHandle, type DbKind, migrationsFolder } from "./handle";
import { migratePostgres } from "./migrate-postgres";
import { PGLITE_CONF } from "./pglite-conf";
import { lockedForSocket } from "./pglite-socket-lock";
import * as schema from "./schema";

export type { Db, DbHandle, DbKind, Schema } from "./handle";
export { migrationsFolder, schema };

const pools = globalThis as unknown as { organicPools?: Set<pg.Pool> };
pools.organicPools ??= new Set<pg.Pool>();
const openPools = pools.organicPools;

/** Clients of this process's PostgreSQL pools (for the DB-pool metric): total, idle, waiting. */
export function poolStats(): { total: number; idle: number; waiting: number } {
  let total = 0;
  let idle = 0;
  let waiting = 0;
  for (const p of openPools) {
    total += p.totalCount;
    idle += p.idleCount;
    waiting += p.waitingCount;
  }
  return { total, idle, waiting };
}

/** PostgreSQL handles' pool sizes, by their db (PGlite, served or not, runs one statement at a time). */
const poolSizes = new WeakMap<Db, number>();

/**
 * How many statements `db` can run at once besides a transaction it holds open: its pool's size
 * less one on PostgreSQL, 0 on PGlite (where work outside an open transaction would wait for it).
 */
export function spareConnections(db: Db): number {
  return Math.max(0, (poolSizes.get(db) ?? 1) - 1);
}

function postgresHandle(connectionString: string, kind: DbKind, poolSize: number): DbHandle {
  const pool = new pg.Pool({ connectionString, max: poolSize, idleTimeoutMillis: 30_000 });
  if (kind === "postgres") openPools.add(pool);
  pool.on("error", (err) => logger.error({ err }, "idle PostgreSQL client error"));
  const db = drizzlePg(pool, { schema, casing: "snake_case" }) as unknown as Db;
  if (kind === "postgres") poolSizes.set(db, poolSize);
  return {
    db,
    kind,
    async migrate() {
      const client = await pool.connect();
      try {
        // One transaction under a transaction-scoped lock: see migrate-postgres.ts (PgBouncer-safe).
        // PGlite behind its socket is one process and needs no lock.
        await migratePostgres(client, migrationsFolder(), { lock: kind === "postgres" });
      } finally {
        client.release();
      }
    },
    async ping() {
      await pool.query("select 1");
    },
    async close() {
      openPools.delete(pool);
      await pool.end();
    },
  };
}

// ---- embedded mode: one process owns the PGlite files and serves them on a unix socket ----

interface LockInfo {
  pid: number;
  socketDir: string;
}

function lockFile(dir: string) {
  return path.join(dir, "pglite.lock.json");
}

function socketDirFor(dir: string): string {
  // unix socket paths are limited to ~107 bytes; fall back to a short per-data-dir folder in /tmp
  const candidate = dir;
  if (path.join(candidate, ".s.PGSQL.5432").length < 100) return candidate;
  const short = path.join(
    os.tmpdir(),
    `organic-${createHash("sha1").update(dir).digest("hex").slice(0, 12)}`,
  );
  fs.mkdirSync(short, { recursive: true });
  return short;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(dir: string): LockInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(lockFile(dir), "utf8")) as LockInfo;
    if (info.pid !== process.pid && isAlive(info.pid)) return info;
  } catch {
    // no lock, or unreadable: nobody owns the files
  }
  return null;
}

function canConnect(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(socketPath);
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

/** The embedded database's folder in DATA_DIR. */
export const embeddedPgdata = (dir = dataDir()) => path.join(dir, "pgdata");

/** Whether `pgdata` holds a database (PGlite's initdb has run there). */
export const holdsDatabase = (pgdata: string) => fs.existsSync(path.join(pgdata, "PG_VERSION"));

/**
 * Creates a new embedded data directory (PGlite runs initdb) in a short-lived child process. Created
 * in this process, initdb's WebAssembly memory stays with it: 900 MB resident from the first start
 * on, against 350 MB when the directory exists. If the child fails, the directory is created here.
 *
 * The child runs PGlite's WebAssembly with V8's baseline compiler only (`--liftoff-only`): optimizing
 * postgres's code pays off in a long-lived process, not in one initdb. Measured here, two runs each:
 * 7.7 → 5.4 CPU-seconds, 8.4 → 5.8 s, 875 → 758 MB peak.
 */
async function createDataDirApart(pgdata: string) {
  if (holdsDatabase(pgdata)) return;
  const script =
    "const { PGlite } = await import('@electric-sql/pglite'); " +
    `const db = new PGlite(process.argv[1], { postgresqlconf: ${JSON.stringify(PGLITE_CONF)} }); ` +
    "await db.waitReady; await db.close();";
  try {
    await promisify(execFile)(
      process.execPath,
      ["--liftoff-only", "--input-type=module", "-e", script, pgdata],
      {
        cwd: process.cwd(),
        timeout: 120_000,
      },
    );
  } catch (err) {
    logger.warn(
      { err },
      "could not create the embedded database in a child process: creating it in this one",
    );
    if (!holdsDatabase(pgdata)) fs.rmSync(pgdata, { recursive: true, force: true });
  }
}

/**
 * Opens the embedded database. If another live process owns the files, connect to it over its
 * socket; otherwise open the files here and (when `serve` is set) share them on a socket.
 */
export async function openEmbeddedDb(opts: { serve: boolean }): Promise<DbHandle> {
  const dir = dataDir();
  fs.mkdirSync(dir, { recursive: true });
  const owner = readLock(dir);
  if (owner) {
    const socket = path.join(owner.socketDir, ".s.PGSQL.5432");
    if (await canConnect(socket)) {
      const url = `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(owner.socketDir)}`;
      logger.debug({ pid: owner.pid }, "connecting to the embedded database served by another process");
      return postgresHandle(url, "pglite-socket", 4);
    }
    throw new Error(
      `The embedded database in ${dir} is open in process ${owner.pid}, which does not answer on its socket. Stop that process first.`,
    );
  }

  // PGlite (WebAssembly PostgreSQL) loads only here: a process on PostgreSQL never needs it.
  await createDataDirApart(embeddedPgdata(dir));
  const { PGlite, pgliteHandle } = await import("./pglite");
  const client = new PGlite(embeddedPgdata(dir), { postgresqlconf: PGLITE_CONF });
  await client.waitReady;
  const socketDir = socketDirFor(dir);
  let server: { stop(): Promise<void> } | undefined;
  if (opts.serve) {
    const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
    const socketPath = path.join(socketDir, ".s.PGSQL.5432");
    fs.rmSync(socketPath, { force: true });
    const s = new PGLiteSocketServer({ db: lockedForSocket(client), path: socketPath, maxConnections: 16 });
    await s.start();
    server = s;
  }
  fs.writeFileSync(lockFile(dir), JSON.stringify({ pid: process.pid, socketDir } satisfies LockInfo));
  const release = () => {
    try {
      const info = JSON.parse(fs.readFileSync(lockFile(dir), "utf8")) as LockInfo;
      if (info.pid === process.pid) fs.rmSync(lockFile(dir), { force: true });
    } catch {
      // already gone
    }
  };
  process.once("exit", release);
  return pgliteHandle(client, async () => {
    await server?.stop();
    release();
  });
}

/** Opens the database the environment names: PostgreSQL with DATABASE_URL, else embedded PGlite. */
export async function openDb(opts: { serve?: boolean } = {}): Promise<DbHandle> {
  const url = env().DATABASE_URL;
  if (url) return postgresHandle(url, "postgres", env().DATABASE_POOL_SIZE);
  return openEmbeddedDb({ serve: opts.serve ?? false });
}

// ---- the process-wide handle used by the web app and workers ----

const g = globalThis as unknown as { organicDb?: Promise<DbHandle> };

/** The app's database, opened and migrated once per process. */
export function getDbHandle(): Promise<DbHandle> {
  if (!g.organicDb) {
    g.organicDb = (async () => {
      const handle = await openDb({ serve: true });
      await handle.migrate();
      logger.info({ kind: handle.kind }, "database ready");
      return handle;
    })();
    g.organicDb.catch(() => {
      g.organicDb = undefined;
    });
  }
  return g.organicDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}
