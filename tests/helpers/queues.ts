import { randomUUID } from "node:crypto";
import type { QueueAdapter } from "@/server/queue";
import type { EnqueueOptions } from "@/server/queue/types";

export interface EnqueuedJob {
  name: string;
  payload: unknown;
  opts?: EnqueueOptions;
}

/**
 * A queue that takes every job and runs none, keeping what it was given (`enqueued`): for tests of
 * what the code asks for, and of a lost fast path (a crash right after a commit).
 */
export function recordingQueue(): QueueAdapter & { enqueued: EnqueuedJob[] } {
  const enqueued: EnqueuedJob[] = [];
  return {
    kind: "inline",
    enqueued,
    async enqueue(def, payload, opts) {
      enqueued.push({ name: def.name, payload, opts });
      return { jobId: opts?.jobId ?? randomUUID() };
    },
    async enqueueMany(def, jobs) {
      for (const j of jobs) enqueued.push({ name: def.name, payload: j.payload, opts: j.opts });
    },
    async repeat() {},
    async health() {
      return "ok";
    },
    async close() {},
  };
}
