import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import v8 from "node:v8";
import vm from "node:vm";
import { isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storedFiles } from "@/server/db/schema";
import { type StorageAdapter, StorageNotFoundError } from "@/server/storage";
import { createLocalStorage } from "@/server/storage/local";
import { createPostgresStorage, openPostgresStorage, PG_CHUNK_SIZE } from "@/server/storage/postgres";
import { createS3Storage } from "@/server/storage/s3";
import { setupTestDb, usingPostgres } from "../helpers/db";
import { type S3Server, startS3Server } from "../helpers/s3-server";

/**
 * One contract, three stores: local disk, PostgreSQL (the test database: real PostgreSQL with
 * DATABASE_URL, else PGlite) and a real S3-compatible server (s3rver in its own process).
 */

const h = await setupTestDb();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-storage-contract-"));
let s3: S3Server;

beforeAll(async () => {
  s3 = await startS3Server();
}, 30_000);
afterAll(async () => {
  await s3?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const MiB = 1024 * 1024;

const backends: { name: string; open: () => StorageAdapter }[] = [
  { name: "local disk", open: () => createLocalStorage(path.join(dataDir, "uploads")) },
  {
    name: "PostgreSQL",
    // As the app opens it (its own small pool) on PostgreSQL; on the test's handle under PGlite.
    open: () =>
      usingPostgres ? openPostgresStorage(process.env.DATABASE_URL!) : createPostgresStorage(h.db),
  },
  {
    name: "S3 (s3rver)",
    open: () =>
      createS3Storage({
        S3_BUCKET: s3.env.S3_BUCKET,
        S3_REGION: s3.env.S3_REGION!,
        S3_ENDPOINT: s3.env.S3_ENDPOINT,
        S3_ACCESS_KEY_ID: s3.env.S3_ACCESS_KEY_ID,
        S3_SECRET_ACCESS_KEY: s3.env.S3_SECRET_ACCESS_KEY,
        S3_FORCE_PATH_STYLE: true,
      }),
  },
];

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(parts);
}

/** `bytes` in pieces of `piece`, as a stream of unknown length (what an upload looks like). */
function pieces(buf: Buffer, piece = 100_000): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < buf.length; at += piece) yield buf.subarray(at, at + piece);
    })(),
  );
}

/** A full garbage collection on demand (the flag can be set at run time; `gc` then exists in a new context). */
v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;

/**
 * The peak growth of live memory (heap + buffers) while `work` runs, sampled every 250 ms, as far as
 * it matters for `limit`. A reading without a collection counts garbage too, so it is an upper bound
 * of what is live: below `limit` it is kept as it is, and only a reading at or over `limit` is taken
 * again after a full collection. A full collection at every sample cost a second or more each in a
 * test process that has run other files (its heap holds their modules): this test took 2 minutes in
 * CI, for the 3 seconds it takes alone.
 */
/** What the 60 MB stream may add to live memory (see the test). */
const MEMORY_LIMIT = 40 * MiB;

async function peakMemoryGrowth(work: () => Promise<void>, limit: number): Promise<number> {
  const reading = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  // Twice: a collection frees dead buffers' memory afterwards, on a background thread (V8's array
  // buffer sweeper), and the next collection first waits for that. After one, `arrayBuffers` could
  // still count every dead piece of the file on a busy machine (53 MiB, once, in CI).
  const live = () => {
    collectGarbage();
    collectGarbage();
    return reading();
  };
  const base = live();
  const growth = () => {
    const upper = reading() - base;
    return upper < limit ? upper : live() - base;
  };
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, growth());
  }, 250);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, growth());
}

describe.each(backends)("storage contract: $name", ({ name, open }) => {
  let store: StorageAdapter;
  beforeAll(() => {
    store = open();
  });
  afterAll(async () => {
    await store.close?.();
  });
  const prefix = `contract/${name.split(" ")[0]!.toLowerCase()}-${randomBytes(4).toString("hex")}`;

  it("puts a buffer, reads it back with its size and type, tells it exists, deletes it", async () => {
    const key = `${prefix}/one.png`;
    const bytes = randomBytes(5000);
    expect(await store.exists(key)).toBe(false);
    await expect(store.put(key, bytes, "image/png")).resolves.toEqual({ size: 5000 });
    expect(await store.exists(key)).toBe(true);
    const got = await store.getStream(key);
    expect(got.size).toBe(5000);
    expect(got.contentType).toBe("image/png");
    expect((await readAll(got.stream)).equals(bytes)).toBe(true);
    await store.delete(key);
    expect(await store.exists(key)).toBe(false);
    await expect(store.getStream(key)).rejects.toBeInstanceOf(StorageNotFoundError);
  });

  it("stores a stream of unknown length spanning several chunks", async () => {
    const key = `${prefix}/stream.csv`;
    const bytes = randomBytes(Math.round(3.5 * MiB));
    await expect(store.put(key, pieces(bytes), "text/csv")).resolves.toEqual({ size: bytes.length });
    const got = await store.getStream(key);
    expect(got.size).toBe(bytes.length);
    expect(got.contentType).toBe("text/csv");
    expect((await readAll(got.stream)).equals(bytes)).toBe(true);
  });

  it("reads byte ranges, within and across chunk boundaries, and reports the whole size", async () => {
    const key = `${prefix}/ranges.mp4`;
    const bytes = randomBytes(3 * MiB + 123);
    await store.put(key, pieces(bytes, 256 * 1024), "video/mp4");
    const ranges: [number, number][] = [
      [0, 0],
      [1, 3],
      [PG_CHUNK_SIZE - 2, PG_CHUNK_SIZE + 1],
      [PG_CHUNK_SIZE, 2 * PG_CHUNK_SIZE - 1],
      [10, 3 * MiB + 50],
      [bytes.length - 1, bytes.length - 1],
      [2 * MiB + 7, bytes.length - 1],
    ];
    for (const [start, end] of ranges) {
      const got = await store.getStream(key, { start, end });
      expect(got.size, `${start}-${end}`).toBe(bytes.length);
      const data = await readAll(got.stream);
      expect(data.length, `${start}-${end}`).toBe(end - start + 1);
      expect(data.equals(bytes.subarray(start, end + 1)), `${start}-${end}`).toBe(true);
    }
  });

  it("replaces a file put again under the same key", async () => {
    const key = `${prefix}/again.webp`;
    await store.put(key, Buffer.from("first version"), "image/webp");
    await store.put(key, pieces(Buffer.from("second")), "image/webp");
    expect((await readAll((await store.getStream(key)).stream)).toString()).toBe("second");
  });

  it("keeps nothing of a stream that fails part-way, and rethrows its error", async () => {
    const key = `${prefix}/broken.mp4`;
    const before =
      store.kind === "postgres" ? await h.db.$count(storedFiles, isNull(storedFiles.key)) : undefined;
    const failing = Readable.from(
      (async function* () {
        // Past one S3 part, so the S3 store has a multipart upload to abort.
        for (let i = 0; i < 9; i++) yield randomBytes(MiB);
        throw new Error("client went away");
      })(),
    );
    await expect(store.put(key, failing, "video/mp4")).rejects.toThrow("client went away");
    expect(await store.exists(key)).toBe(false);
    await expect(store.getStream(key)).rejects.toBeInstanceOf(StorageNotFoundError);
    if (store.kind === "postgres") {
      expect(await h.db.$count(storedFiles, isNull(storedFiles.key))).toBe(before);
    }
    if (store.kind === "local") {
      expect(fs.readdirSync(path.join(dataDir, "uploads", prefix))).not.toContain("broken.mp4");
    }
  });

  it("treats a missing key as not found, and deleting it as done", async () => {
    const key = `${prefix}/never.png`;
    await expect(store.getStream(key)).rejects.toBeInstanceOf(StorageNotFoundError);
    await expect(store.getStream(key, { start: 0, end: 10 })).rejects.toBeInstanceOf(StorageNotFoundError);
    await expect(store.delete(key)).resolves.toBeUndefined();
    expect(await store.exists(key)).toBe(false);
  });

  it.each(["../evil.png", "/etc/passwd", "a//b.png", ".hidden", "a\\..\\b.png", ""])(
    "refuses the unsafe key %j on every operation",
    async (key) => {
      await expect(store.put(key, Buffer.from("x"), "image/png")).rejects.toThrow(/Unsafe storage key/);
      await expect(store.getStream(key)).rejects.toThrow(/Unsafe storage key/);
      await expect(store.exists(key)).rejects.toThrow(/Unsafe storage key/);
      await expect(store.delete(key)).rejects.toThrow(/Unsafe storage key/);
    },
  );

  // Files go to PostgreSQL only with DATABASE_URL: under in-memory PGlite the database itself (and so
  // the file) lives in this process's memory, which is what the test measures.
  const inProcessDb = name === "PostgreSQL" && !usingPostgres;
  it.skipIf(inProcessDb)(
    "streams a 60 MB file in and out without holding it in memory",
    { timeout: 180_000 },
    async () => {
      const key = `${prefix}/large.mp4`;
      const total = 60 * MiB;
      const block = randomBytes(MiB);
      const written = createHash("sha256");
      // Produced on demand, 64 KiB at a time, each piece different (a counter in its first bytes).
      const source = Readable.from(
        (function* () {
          for (let at = 0, n = 0; at < total; at += 64 * 1024, n++) {
            const piece = Buffer.from(block.subarray(at % MiB, (at % MiB) + 64 * 1024));
            piece.writeUInt32BE(n, 0);
            written.update(piece);
            yield piece;
          }
        })(),
      );
      let stored = 0;
      const putGrowth = await peakMemoryGrowth(async () => {
        ({ size: stored } = await store.put(key, source, "video/mp4"));
      }, MEMORY_LIMIT);
      expect(stored).toBe(total);

      const read = createHash("sha256");
      let readBytes = 0;
      const getGrowth = await peakMemoryGrowth(async () => {
        const { stream, size } = await store.getStream(key);
        expect(size).toBe(total);
        for await (const c of stream) {
          read.update(c as Buffer);
          readBytes += (c as Buffer).length;
        }
      }, MEMORY_LIMIT);
      expect(readBytes).toBe(total);
      expect(read.digest("hex")).toBe(written.digest("hex"));
      // A store that buffered the file would grow by its 60 MiB. These hold a chunk or an S3 part or
      // two, plus what the drivers keep per connection (node-postgres grows a connection's buffer to
      // its largest message): 5 to 25 MiB measured, hence the margin.
      expect(putGrowth, `put grew live memory by ${Math.round(putGrowth / MiB)} MiB`).toBeLessThan(
        MEMORY_LIMIT,
      );
      expect(getGrowth, `read grew live memory by ${Math.round(getGrowth / MiB)} MiB`).toBeLessThan(
        MEMORY_LIMIT,
      );
      await store.delete(key);
      expect(await store.exists(key)).toBe(false);
    },
  );
});

describe("PostgreSQL store", () => {
  it("reads a file with the chunk size it was written with", async () => {
    const bytes = randomBytes(700_000);
    const key = `contract/pg-chunks-${randomBytes(4).toString("hex")}/small-chunks.mp4`;
    await createPostgresStorage(h.db, { chunkSize: 100_000 }).put(key, pieces(bytes, 64 * 1024), "video/mp4");
    const reader = createPostgresStorage(h.db);
    expect((await readAll((await reader.getStream(key)).stream)).equals(bytes)).toBe(true);
    const part = await reader.getStream(key, { start: 99_990, end: 300_009 });
    expect((await readAll(part.stream)).equals(bytes.subarray(99_990, 300_010))).toBe(true);
    await reader.delete(key);
  });
});
