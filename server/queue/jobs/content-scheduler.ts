import "server-only";
import { z } from "zod";
import { env } from "@/lib/env";
import { defineJob, type RepeatingJob } from "../types";

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
