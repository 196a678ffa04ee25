import "server-only";
import { env } from "@/lib/env";
import type { StorageAdapter, StorageKind } from "./common";
import { createLocalStorage } from "./local";
import { createS3Storage } from "./s3";

export * from "./common";

const g = globalThis as unknown as { organicStorage?: Partial<Record<StorageKind, StorageAdapter>> };

/** The adapter for a given store; `s3` needs S3_BUCKET. Created once per process. */
export function storageFor(kind: StorageKind): StorageAdapter {
  g.organicStorage ??= {};
  const existing = g.organicStorage[kind];
  if (existing) return existing;
  const adapter = kind === "s3" ? createS3Storage(env()) : createLocalStorage();
  g.organicStorage[kind] = adapter;
  return adapter;
}

/** Where new uploads go: S3 when S3_BUCKET is set, else local disk. */
export function getStorage(): StorageAdapter {
  return storageFor(env().S3_BUCKET ? "s3" : "local");
}

/** Test hook: forget the adapters (after changing DATA_DIR or S3_* variables). */
export function resetStorage(): void {
  g.organicStorage = undefined;
}
