import "server-only";
import { z } from "zod";
import { env } from "@/lib/env";
import { defineJob, type RepeatingJob } from "../types";

/** The job id of one publish attempt: the same row in the same state always maps to the same id. */
export function publishJobId(row: { id: string; updatedAt: Date }) {
  return `publish-${row.id}-${row.updatedAt.getTime()}`;
}

/**
 * The scheduler tick (every few seconds): gives back stale claims, then enqueues every due row with
 * a deterministic job id. The database decides what is due, so a lost queue or a restart loses nothing.
 */
export const contentSchedulerJob = defineJob({
  queue: "system",
  name: "content-scheduler",
  schema: z.object({}).default({}),
});

export const contentSchedulerTick = (): RepeatingJob => ({
  def: contentSchedulerJob,
  everyMs: env().CONTENT_SCHEDULER_INTERVAL_MS,
  payload: {},
});
