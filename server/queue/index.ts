import "server-only";
import { isRedisEnabled } from "@/lib/env";
import { logger } from "@/lib/logger";
import { getDb } from "@/server/db";
import { BullQueue } from "./bullmq";
import { InlineQueue } from "./inline";
import type { EnqueueOptions, JobDefinition, QueueAdapter } from "./types";

export * from "./types";

const g = globalThis as unknown as { organicQueue?: QueueAdapter };

/** BullMQ when REDIS_URL is set, otherwise the in-process runner. */
export function getQueue(): QueueAdapter {
  if (!g.organicQueue) {
    g.organicQueue = isRedisEnabled() ? new BullQueue() : new InlineQueue(getDb);
  }
  return g.organicQueue;
}

/** Test hook: use this adapter for the rest of the process. */
export function setQueue(q: QueueAdapter | undefined) {
  g.organicQueue = q;
}

export function enqueue<P>(def: JobDefinition, payload: P, opts?: EnqueueOptions) {
  return getQueue().enqueue(def, payload, opts);
}

/** Registers the repeating jobs; in embedded mode the inline runner also runs them here. */
export async function startRepeatingJobs() {
  const { REPEATING } = await import("./jobs");
  const q = getQueue();
  for (const r of REPEATING) await q.repeat(r.def, r.payload, r.everyMs);
  logger.info({ queue: q.kind, repeating: REPEATING.map((r) => r.def.name) }, "repeating jobs registered");
}
