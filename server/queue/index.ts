import "server-only";
import { isRedisEnabled } from "@/lib/env";
import { logger } from "@/lib/logger";
import { getDb } from "@/server/db";
import { withTraceContext } from "@/server/observability/spans";
import { BullQueue } from "./bullmq";
import { InlineQueue } from "./inline";
import type { EnqueueOptions, JobDefinition, JobRegistry, QueueAdapter } from "./types";

export * from "./types";

const g = globalThis as unknown as { organicQueue?: QueueAdapter };

/**
 * BullMQ when REDIS_URL is set, otherwise the in-process runner. Enqueueing needs only this; what
 * runs the jobs is attached by the web boot, the worker or a test helper (server/queue/handlers.ts).
 */
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

/** Enqueues a job; its span will continue the current trace (see `withTraceContext`). */
export function enqueue<P>(def: JobDefinition, payload: P, opts?: EnqueueOptions) {
  return getQueue().enqueue(def, withTraceContext(payload), opts);
}

/**
 * Registers the repeating jobs of the registry (the inline runner also runs them here), and
 * removes the schedules of switched-off features' ticks, which an earlier start may have left.
 */
export async function startRepeatingJobs(registry: JobRegistry) {
  const q = getQueue();
  for (const r of registry.repeating()) await q.repeat(r.def, r.payload, r.everyMs);
  for (const r of registry.disabledRepeating()) await q.unrepeat?.(r.def);
  logger.info(
    { queue: q.kind, repeating: registry.repeating().map((r) => r.def.name) },
    "repeating jobs registered",
  );
}
