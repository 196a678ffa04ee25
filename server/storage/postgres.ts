import "server-only";
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { executePrepared } from "@/server/db/prepared";
import { rowsOf } from "@/server/db/raw-rows";
import * as schema from "@/server/db/schema";
import { storedFileChunks, storedFiles } from "@/server/db/schema";
import { assertSafeKey, type StorageAdapter, StorageNotFoundError } from "./common";

/**
 * Bytes per row. Large enough that a 500 MB video is 500 rows, small enough that a reader or writer
 * holds about one chunk at a time whatever the file's size.
 */
export const PG_CHUNK_SIZE = 1024 * 1024;

/**
 * Bytes per read query. A piece arrives as base64 text (see `toBuffer`) and each connection keeps a
 * buffer the size of the largest message it saw (doubled), so reading less than a chunk at a time
 * keeps what every pooled connection holds small.
 */
const READ_PIECE = 256 * 1024;

/** A write that has not completed after this long was cut off by a crash; its rows are swept. */
const ABANDONED_AFTER = "1 day";
const SWEEP_EVERY_MS = 60 * 60 * 1000;

/**
 * Files as rows of 1 MiB chunks in PostgreSQL (tables `stored_files` and `stored_file_chunks`), for
 * scale-out without an S3 bucket: every web process and worker reaches the same bytes through the
 * database they already share. Writes stream chunk by chunk (one short statement each, no long
 * transaction holding a connection while a slow client uploads); the key is attached in one
 * transaction at the end, so a reader sees the old file or the whole new one, never a partial one.
 */
export function createPostgresStorage(
  db: Db,
  opts: { chunkSize?: number; close?: () => Promise<void> } = {},
): StorageAdapter {
  const chunkSize = opts.chunkSize ?? PG_CHUNK_SIZE;
  let lastSweep = 0;

  /** Deletes what crashed writers left (their chunks go by cascade); at most hourly per process. */
  async function sweepAbandoned() {
    if (Date.now() - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = Date.now();
    await db
      .delete(storedFiles)
      .where(
        and(isNull(storedFiles.key), lt(storedFiles.createdAt, sql`now() - ${ABANDONED_AFTER}::interval`)),
      )
      .catch((err) => logger.warn({ err }, "could not sweep abandoned stored files"));
  }

  async function putChunks(fileId: string, body: Buffer | Readable): Promise<number> {
    let seq = 0;
    let size = 0;
    const insert = async (data: Buffer) => {
      await db.insert(storedFileChunks).values({ fileId, seq, data });
      seq += 1;
      size += data.length;
    };
    if (Buffer.isBuffer(body)) {
      for (let at = 0; at < body.length; at += chunkSize) await insert(body.subarray(at, at + chunkSize));
      return size;
    }
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    for await (const piece of body) {
      const buf = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as Uint8Array);
      pending.push(buf);
      pendingBytes += buf.length;
      if (pendingBytes < chunkSize) continue;
      const all = Buffer.concat(pending, pendingBytes);
      let at = 0;
      for (; all.length - at >= chunkSize; at += chunkSize) await insert(all.subarray(at, at + chunkSize));
      pending = at < all.length ? [all.subarray(at)] : [];
      pendingBytes = all.length - at;
    }
    if (pendingBytes > 0) await insert(Buffer.concat(pending, pendingBytes));
    return size;
  }

  async function find(key: string) {
    const [row] = await db
      .select({
        id: storedFiles.id,
        size: storedFiles.size,
        contentType: storedFiles.contentType,
        chunkSize: storedFiles.chunkSize,
      })
      .from(storedFiles)
      .where(eq(storedFiles.key, key));
    return row;
  }

  return {
    kind: "postgres",

    async put(key, body, contentType) {
      assertSafeKey(key);
      await sweepAbandoned();
      const fileId = randomUUID();
      await db.insert(storedFiles).values({ id: fileId, key: null, contentType, chunkSize });
      let size: number;
      try {
        size = await putChunks(fileId, body);
        await db.transaction(async (tx) => {
          // Two writers of one key take turns (keys are ids, so this is only ever belt and braces).
          await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`stored_files:${key}`}))`);
          await tx.delete(storedFiles).where(eq(storedFiles.key, key));
          await tx.update(storedFiles).set({ key, size }).where(eq(storedFiles.id, fileId));
        });
      } catch (err) {
        if (!Buffer.isBuffer(body)) body.destroy();
        await db
          .delete(storedFiles)
          .where(eq(storedFiles.id, fileId))
          .catch(() => {});
        throw err;
      }
      return { size };
    },

    async getStream(key, range) {
      assertSafeKey(key);
      const start = range?.start ?? 0;
      const wantedEnd = range?.end ?? Number.MAX_SAFE_INTEGER;
      // The file and its first piece in one round trip (a publish reads one small video per post),
      // prepared (server/db/prepared.ts).
      const [file] = rowsOf<{
        id: string;
        size: number;
        content_type: string;
        chunk_size: number;
        first: unknown;
      }>(
        await executePrepared(
          db,
          sql`
          select f.id, f.size, f.content_type, f.chunk_size,
            case when ${start}::bigint <= least(${wantedEnd}::bigint, f.size - 1) then (
              select encode(substring(c.data from (${start}::bigint % f.chunk_size)::int + 1
                for least(f.chunk_size - (${start}::bigint % f.chunk_size),
                  least(${wantedEnd}::bigint, f.size - 1) - ${start}::bigint + 1, ${READ_PIECE})::int), 'base64')
              from ${storedFileChunks} c
              where c.file_id = f.id and c.seq = (${start}::bigint / f.chunk_size)::int)
            end as first
          from ${storedFiles} f where f.key = ${key}`,
        ),
      );
      if (!file) throw new StorageNotFoundError(key);
      const size = Number(file.size);
      const end = Math.min(wantedEnd, size - 1);
      // The file's own chunk size: files written with another one stay readable.
      const fileId = file.id;
      const fileChunk = Number(file.chunk_size);
      const pieceAt = (at: number) => {
        const seq = Math.floor(at / fileChunk);
        const offset = at - seq * fileChunk;
        return { seq, offset, length: Math.min(fileChunk - offset, end - at + 1, READ_PIECE) };
      };
      const checked = (v: unknown, length: number) => {
        // Deleted or replaced while being read.
        if (v === null || v === undefined) throw new StorageNotFoundError(key);
        const data = toBuffer(v);
        if (data.length !== length) throw new Error(`Stored file ${key} is shorter than recorded`);
        return data;
      };
      async function* chunks() {
        let at = start;
        if (at <= end) {
          const first = checked(file!.first, pieceAt(at).length);
          yield first;
          at += first.length;
        }
        // A piece per round trip, and only when the reader wants more: a client that stops reading
        // (a video seek, a closed tab) stops the queries too.
        while (at <= end) {
          const { seq, offset, length } = pieceAt(at);
          const [row] = await db
            .select({
              data: sql<string>`encode(substring(${storedFileChunks.data} from ${offset + 1} for ${length}), 'base64')`,
            })
            .from(storedFileChunks)
            .where(and(eq(storedFileChunks.fileId, fileId), eq(storedFileChunks.seq, seq)));
          const data = checked(row?.data, length);
          yield data;
          at += length;
        }
      }
      // Byte mode, so the stream buffers about one piece ahead rather than 16 of them.
      const stream = Readable.from(chunks(), { objectMode: false });
      return { stream, size, contentType: file.content_type };
    },

    async exists(key) {
      assertSafeKey(key);
      return (await find(key)) !== undefined;
    },

    async delete(key) {
      assertSafeKey(key);
      await db.delete(storedFiles).where(eq(storedFiles.key, key));
    },

    close: opts.close,
  };
}

/**
 * A piece as read: base64 text. node-postgres would receive a bytea as hex, twice its size: a
 * 64 kB piece became a 128 kB string, over V8's limit for an ordinary heap object, and each one
 * cost a full garbage collection's share. Base64 is a third larger than the bytes (PostgreSQL's
 * line breaks, which the decoder skips, included). Buffers (a raw bytea) are taken as they are.
 */
function toBuffer(v: unknown): Buffer {
  if (typeof v === "string") return Buffer.from(v, "base64");
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  throw new Error("Unexpected bytea value from the database");
}

/**
 * The store on its own small pool: uploads and downloads stream for as long as the client takes,
 * so they must not hold the connections that requests and jobs need.
 */
export function openPostgresStorage(connectionString: string): StorageAdapter {
  const pool = new pg.Pool({ connectionString, max: 4, idleTimeoutMillis: 10_000, allowExitOnIdle: true });
  pool.on("error", (err) => logger.error({ err }, "idle PostgreSQL client error (file storage)"));
  const db = drizzle(pool, { schema, casing: "snake_case" }) as unknown as Db;
  return createPostgresStorage(db, { close: () => pool.end() });
}
