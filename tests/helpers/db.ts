import fs from "node:fs";
import { afterAll, inject } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { type DbHandle, openDb } from "@/server/db";
import { openMemoryDb } from "@/server/db/pglite";
import { setQueue } from "@/server/queue";
import { jobHandlers } from "@/server/queue/handlers";
import { InlineQueue } from "@/server/queue/inline";
import { scratchDatabase } from "./scratch-db";

export const usingPostgres = Boolean(process.env.DATABASE_URL);
export const redisUrl = process.env.REDIS_URL;

let template: Blob | undefined;

/**
 * A new in-memory PGlite database with the committed migrations. It starts from the data directory
 * global-setup migrated once for the run (when it made one), and still runs `migrate`, which finds
 * nothing to do there.
 */
export async function memoryTestDb(): Promise<DbHandle> {
  const file = inject("pgliteTemplate");
  if (file && !template) template = new Blob([fs.readFileSync(file)]);
  const handle = openMemoryDb(template);
  await handle.migrate();
  return handle;
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
