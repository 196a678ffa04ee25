import { afterAll } from "vitest";
import { type DbHandle, openDb, openMemoryDb } from "@/server/db";
import { setQueue } from "@/server/queue";
import { jobHandlers } from "@/server/queue/handlers";
import { InlineQueue } from "@/server/queue/inline";

export const usingPostgres = Boolean(process.env.DATABASE_URL);
export const redisUrl = process.env.REDIS_URL;

/**
 * A real database for one test file: the shared PostgreSQL database when DATABASE_URL is set
 * (migrated by global-setup), otherwise a fresh in-memory PGlite with the committed migrations.
 * Also points the job queue at an in-process runner on this database, running the app's job
 * handlers (server/queue/handlers.ts). Closed after the file.
 */
export async function setupTestDb(): Promise<DbHandle & { queue: InlineQueue }> {
  let handle: DbHandle;
  if (usingPostgres) {
    handle = await openDb();
  } else {
    handle = openMemoryDb();
    await handle.migrate();
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
