import "server-only";
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { env } from "@/lib/env";
import type { Db } from "@/server/db";

/**
 * The import's staging area: one temporary table per import on one database session, loaded with
 * COPY FROM STDIN on PostgreSQL (or batched multi-row INSERTs on PGlite and on the embedded
 * database's socket), then de-duplicated and merged into `leads` with a few set-based statements.
 */

/** One data row of the file, as staged. Invalid rows carry `reason`; `raw` is kept only when the row may be rejected. */
export interface StagedRow {
  row: number;
  email: string | null;
  name: string | null;
  tags: string[];
  source: string | null;
  custom: Record<string, unknown> | null;
  /** `custom` as JSON text, when the caller has it already (saves a JSON.stringify per row). */
  customJson?: string | null;
  reason: string | null;
  /** JSON of the record's cells: for invalid rows and rows whose email may repeat an earlier one. */
  raw: string | null;
}

export interface StagingSession {
  /** "copy": PostgreSQL COPY FROM STDIN; "insert": batched INSERT … jsonb_to_recordset. */
  readonly loading: "copy" | "insert";
  /** True on a private PostgreSQL connection (session settings allowed); false on shared PGlite. */
  readonly privateSession: boolean;
  /**
   * "unlogged": the staging tables are UNLOGGED tables other connections can read, so the merge can
   * run on several connections at once; "temporary": session-private tables (PGlite, socket).
   */
  readonly tables: "unlogged" | "temporary";
  /** Another connection for the merge (PostgreSQL only); released with `release`. */
  fork(): Promise<Pick<StagingSession, "query" | "release">>;
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Streams rows into `table`; resolves once every row is stored. */
  loader(table: string): RowLoader;
  release(): Promise<void>;
}

export interface RowLoader {
  /** Stages a row; returns a promise to wait for when the buffer is full, else null. */
  write(row: StagedRow): Promise<void> | null;
  end(): Promise<void>;
  abort(err: Error): Promise<void>;
}

const versionOf = new WeakMap<object, Promise<boolean>>();

/** Whether a pg pool talks to real PostgreSQL (not the embedded PGlite served over a socket). */
function isRealPostgres(pool: pg.Pool): Promise<boolean> {
  let known = versionOf.get(pool);
  if (!known) {
    known = pool.query<{ v: string }>("select version() as v").then((r) => !/PGlite/i.test(r.rows[0]!.v));
    versionOf.set(pool, known);
  }
  return known;
}

const ignore = () => {};

const sessionPools = new Map<string, pg.Pool>();

/**
 * The pool the import's sessions come from. The import keeps session state (an advisory lock on its
 * staging table, settings) across many transactions, which a PgBouncer in transaction pooling would
 * leave on whichever server connection it lent: with `DATABASE_SESSION_URL` set (a direct or
 * session-pooled URL), those sessions open there; otherwise on the app's pool.
 */
function sessionPool(client: pg.Pool): pg.Pool {
  const url = env().DATABASE_SESSION_URL;
  if (!url) return client;
  let pool = sessionPools.get(url);
  if (!pool) {
    pool = new pg.Pool({ connectionString: url, max: 8, idleTimeoutMillis: 10_000, allowExitOnIdle: true });
    pool.on("error", ignore);
    sessionPools.set(url, pool);
  }
  return pool;
}

/**
 * A checked-out pg client has no 'error' listener, so a connection that dies mid-import (server
 * restart, terminated backend) would crash the process; its queries reject instead. The
 * listener goes before the client returns to the pool (see `giveBack`).
 */
function watch(conn: pg.PoolClient): pg.PoolClient {
  conn.on("error", ignore);
  return conn;
}

/** Resets a session (temporary tables, settings, advisory locks) and returns it; a broken one is dropped. */
async function giveBack(conn: pg.PoolClient) {
  try {
    await conn.query("discard all");
    conn.removeListener("error", ignore);
    conn.release();
  } catch (err) {
    conn.removeListener("error", ignore);
    conn.release(err as Error);
  }
}

export async function openStagingSession(db: Db): Promise<StagingSession> {
  const appClient = (db as unknown as { $client: unknown }).$client;
  if (appClient instanceof pg.Pool) {
    const client = sessionPool(appClient);
    const real = await isRealPostgres(client);
    const conn = watch(await client.connect());
    return {
      loading: real ? "copy" : "insert",
      privateSession: true,
      tables: real ? "unlogged" : "temporary",
      async fork() {
        const other = watch(await client.connect());
        return {
          async query<T>(text: string, params?: unknown[]) {
            return (await other.query(text, params as unknown[])).rows as T[];
          },
          release: () => giveBack(other),
        };
      },
      async query<T>(text: string, params?: unknown[]) {
        return (await conn.query(text, params as unknown[])).rows as T[];
      },
      loader(table) {
        return real ? copyLoader(conn, table) : insertLoader((t, p) => conn.query(t, p), table);
      },
      release: () => giveBack(conn),
    };
  }
  const lite = appClient as PGlite;
  return {
    loading: "insert",
    privateSession: false,
    tables: "temporary",
    async fork() {
      throw new Error("PGlite has one connection");
    },
    async query<T>(text: string, params?: unknown[]) {
      return (await lite.query<T>(text, params)).rows;
    },
    loader(table) {
      return insertLoader((t, p) => lite.query(t, p), table);
    },
    async release() {},
  };
}

// ---- COPY text format ----------------------------------------------------------------------------

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** A value as a field of COPY's text format (`\N` is NULL). */
export function copyField(v: string | null): string {
  if (v === null) return "\\N";
  return COPY_SPECIAL.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : v;
}

const ARRAY_PLAIN = /^[^\s"\\{},]+$/;

/** A text[] literal: `{a,"b c"}`. */
export function arrayLiteral(values: string[]): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (i > 0) out += ",";
    out +=
      ARRAY_PLAIN.test(v) && v.toLowerCase() !== "null" ? v : `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  }
  return `${out}}`;
}

export function copyLine(r: StagedRow): string {
  return `${r.row}\t${copyField(r.email)}\t${copyField(r.name)}\t${copyField(arrayLiteral(r.tags))}\t${copyField(r.source)}\t${copyField(r.customJson !== undefined ? r.customJson : r.custom ? JSON.stringify(r.custom) : null)}\t${copyField(r.reason)}\t${copyField(r.raw)}\n`;
}

export const STAGING_COLUMNS = "row, email, name, tags, source, custom, reason, raw";

export function createStagingSql(table: string, kind: StagingSession["tables"]) {
  return `create ${kind === "unlogged" ? "unlogged" : "temporary"} table ${table} (
    row integer not null, email text, name text, tags text[] not null, source text, custom jsonb,
    reason text, raw text)`;
}

/** Lines are gathered into ~256 KB writes; the socket's back-pressure keeps memory flat. */
function copyLoader(conn: pg.PoolClient, table: string): RowLoader {
  const stream = conn.query(copyFrom(`copy ${table} (${STAGING_COLUMNS}) from stdin`));
  const done = new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
  });
  done.catch(() => {});
  let buf = "";
  const flush = async () => {
    const chunk = buf;
    buf = "";
    if (!stream.write(chunk)) {
      await Promise.race([new Promise((r) => stream.once("drain", r)), done]);
    }
  };
  return {
    write(r) {
      buf += copyLine(r);
      return buf.length >= 256 * 1024 ? flush() : null;
    },
    async end() {
      if (buf) await flush();
      stream.end();
      await done;
    },
    async abort(err) {
      stream.destroy(err);
      await done.catch(() => {});
    },
  };
}

const INSERT_BATCH = 2000;

function insertLoader(run: (text: string, params: unknown[]) => Promise<unknown>, table: string): RowLoader {
  let batch: StagedRow[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const json = JSON.stringify(batch);
    batch = [];
    await run(
      `insert into ${table} (${STAGING_COLUMNS})
       select x.row, x.email, x.name, coalesce(x.tags, '{}'), x.source, x.custom, x.reason, x.raw
       from jsonb_to_recordset($1::jsonb)
         as x(row integer, email text, name text, tags text[], source text, custom jsonb, reason text, raw text)`,
      [json],
    );
  };
  return {
    write(r) {
      batch.push(r);
      return batch.length >= INSERT_BATCH ? flush() : null;
    },
    async end() {
      await flush();
    },
    async abort() {
      batch = [];
    },
  };
}

// ---- email hashes --------------------------------------------------------------------------------

/**
 * A set of 63-bit hashes of the emails seen so far (8 bytes an email instead of a Map's ~100). A
 * hit means "this email may repeat an earlier row": the row keeps its cells so SQL, which compares
 * the emails themselves, can reject it as a duplicate. A false hit (a hash collision) only keeps
 * cells that are never used, so the outcome stays exact.
 */
export class EmailHashSet {
  private hi: Int32Array;
  private lo: Int32Array;
  private size = 0;
  private mask: number;

  constructor(capacity = 1 << 16) {
    this.hi = new Int32Array(capacity);
    this.lo = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  /** Adds the email; true when its hash was already there. */
  addAndCheck(email: string): boolean {
    let a = 0x811c9dc5;
    let b = 0x9747b28c ^ email.length;
    for (let i = 0; i < email.length; i++) {
      const c = email.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 13;
    }
    a ^= a >>> 16;
    a = Math.imul(a, 0x85ebca6b);
    a ^= a >>> 13;
    a = Math.imul(a, 0xc2b2ae35);
    a ^= a >>> 16;
    b ^= b >>> 15;
    b = Math.imul(b, 0x2c1b3c6d);
    b ^= b >>> 12;
    b |= 1; // never 0, which marks an empty slot
    if (this.insert(a, b)) return true;
    if (++this.size * 2 > this.hi.length) this.grow();
    return false;
  }

  private insert(a: number, b: number): boolean {
    let i = a & this.mask;
    for (;;) {
      const lo = this.lo[i]!;
      if (lo === 0) {
        this.hi[i] = a;
        this.lo[i] = b;
        return false;
      }
      if (lo === b && this.hi[i] === a) return true;
      i = (i + 1) & this.mask;
    }
  }

  private grow() {
    const { hi, lo } = this;
    this.hi = new Int32Array(hi.length * 2);
    this.lo = new Int32Array(lo.length * 2);
    this.mask = this.hi.length - 1;
    for (let i = 0; i < hi.length; i++) if (lo[i] !== 0) this.insert(hi[i]!, lo[i]!);
  }
}

// ---- leftovers -----------------------------------------------------------------------------------

/** Advisory-lock namespace (first key) of running imports; the second key is hashtext(table). */
export const IMPORT_LOCK_NAMESPACE = 7853;
/** `leads_import_<job id without dashes>`, and its `_rejected` companion. */
const STAGING_NAME = /^leads_import_[0-9a-f]{32}$/;

/**
 * Holds the import's advisory lock on this session (released by DISCARD ALL, or by PostgreSQL when
 * the connection dies with its process): the sweep leaves a locked import's tables alone.
 */
export async function lockStagingTable(session: Pick<StagingSession, "query">, table: string) {
  if (!STAGING_NAME.test(table)) throw new Error(`not a staging table name: ${table}`);
  await session.query("select pg_advisory_lock($1, hashtext($2))", [IMPORT_LOCK_NAMESPACE, table]);
}

/**
 * Drops the UNLOGGED staging tables of imports that are no longer running (their process was
 * killed, or their connection broke before the tables were dropped). An import holds an advisory
 * lock on its table's name while it runs, so a table whose lock can be taken has no owner. Only on
 * PostgreSQL: PGlite's staging tables are temporary and go with their session. Returns the dropped
 * staging tables' names.
 */
export async function sweepStagingTables(db: Db): Promise<string[]> {
  const appClient = (db as unknown as { $client: unknown }).$client;
  if (!(appClient instanceof pg.Pool)) return [];
  const client = sessionPool(appClient);
  if (!(await isRealPostgres(client))) return [];
  const conn = watch(await client.connect());
  const swept: string[] = [];
  try {
    const { rows } = await conn.query<{ name: string }>(
      `select distinct regexp_replace(c.relname, '_rejected$', '') as name
       from pg_class c
       where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r'
         and c.relpersistence = 'u' and c.relname ~ '^leads_import_[0-9a-f]{32}(_rejected)?$'
       order by 1`,
    );
    for (const { name } of rows) {
      if (!STAGING_NAME.test(name)) continue;
      const { rows: got } = await conn.query<{ ok: boolean }>(
        "select pg_try_advisory_lock($1, hashtext($2)) as ok",
        [IMPORT_LOCK_NAMESPACE, name],
      );
      if (!got[0]?.ok) continue;
      try {
        await conn.query(`drop table if exists ${name}, ${name}_rejected`);
        swept.push(name);
      } finally {
        await conn.query("select pg_advisory_unlock($1, hashtext($2))", [IMPORT_LOCK_NAMESPACE, name]);
      }
    }
  } finally {
    await giveBack(conn);
  }
  return swept;
}
