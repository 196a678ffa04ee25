import "server-only";
import { z } from "zod";
import { env } from "@/lib/env";
import { defineJob, type RepeatingJob } from "../types";

/**
 * Every minute (and a moment after a lead arrives, a post publishes or a send progresses): rolls up
 * what changed since the last run into the daily analytics tables. Only touched buckets are
 * recomputed; a run that finds another one in progress skips. `live`: asked for by new data
 * (services/analytics/live.ts), and paced there by how long the last run took.
 */
export const analyticsRollupJob = defineJob({
  queue: "analytics",
  name: "analytics-rollup",
  schema: z.object({ full: z.boolean().optional(), live: z.boolean().optional() }).default({}),
  feature: "analytics",
});

export const analyticsRollupTick = (): RepeatingJob => ({
  def: analyticsRollupJob,
  everyMs: env().ANALYTICS_ROLLUP_INTERVAL_MS,
  payload: {},
});
