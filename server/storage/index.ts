import "server-only";
import { env } from "@/lib/env";
import { assertS3Credentials, type StorageAdapter, type StorageKind } from "./common";
import { createLocalStorage } from "./local";
import { openPostgresStorage } from "./postgres";

export * from "./common";

const g = globalThis as unknown as { organicStorage?: Partial<Record<StorageKind, StorageAdapter>> };

/** The adapter for a given store, created once per process. */
export function storageFor(kind: StorageKind): StorageAdapter {
  g.organicStorage ??= {};
  const existing = g.organicStorage[kind];
  if (existing) return existing;
  const e = env();
  let adapter: StorageAdapter;
  if (kind === "s3") adapter = lazyS3Storage(e);
  else if (kind === "postgres") {
    if (!e.DATABASE_URL) throw new Error("Files stored in PostgreSQL need DATABASE_URL");
    adapter = openPostgresStorage(e.DATABASE_URL);
  } else adapter = createLocalStorage();
  g.organicStorage[kind] = adapter;
  return adapter;
}

/**
 * The S3 adapter, with the AWS SDK loaded on first use: a process that never touches a file (most
 * workers, most requests) does not pay the SDK's ~0.2 s load.
 */
function lazyS3Storage(e: ReturnType<typeof env>): StorageAdapter {
  assertS3Credentials(e);
  let real: Promise<StorageAdapter> | undefined;
  const load = () => {
    real ??= import("./s3").then((m) => m.createS3Storage(e));
    return real;
  };
  return {
    kind: "s3",
    put: async (key, body, contentType) => (await load()).put(key, body, contentType),
    getStream: async (key, range) => (await load()).getStream(key, range),
    exists: async (key) => (await load()).exists(key),
    delete: async (key) => (await load()).delete(key),
    close: async () => {
      if (real) await (await real).close?.();
    },
  };
}

/**
 * Where new files go. FILE_STORAGE when set; otherwise S3 when S3_BUCKET is set, PostgreSQL when
 * DATABASE_URL is (scale-out: web processes and workers on other hosts must all reach the bytes, and
 * the database is the one thing they already share), and local disk for the embedded install.
 */
export function storageKind(): StorageKind {
  const e = env();
  if (e.FILE_STORAGE === "s3" && !e.S3_BUCKET) throw new Error("FILE_STORAGE=s3 needs S3_BUCKET");
  if (e.FILE_STORAGE === "postgres" && !e.DATABASE_URL)
    throw new Error("FILE_STORAGE=postgres needs DATABASE_URL");
  return e.FILE_STORAGE ?? (e.S3_BUCKET ? "s3" : e.DATABASE_URL ? "postgres" : "local");
}

export function getStorage(): StorageAdapter {
  return storageFor(storageKind());
}

/** Test hook: forget the adapters (after changing DATA_DIR, DATABASE_URL or S3_* variables). */
export async function resetStorage(): Promise<void> {
  const adapters = Object.values(g.organicStorage ?? {});
  g.organicStorage = undefined;
  await Promise.all(adapters.map((a) => a.close?.().catch(() => {})));
}
