import "server-only";
import { z } from "zod";
import { defineJob, type RepeatingJob } from "../types";

/**
 * Hourly: sync TikTok video metrics for every workspace with TikTok connected. One workspace's
 * failure (provider down, dead token) is recorded on its card and does not stop the others.
 */
export const tiktokMetricsJob = defineJob({
  queue: "analytics",
  name: "tiktok-metrics-sync",
  schema: z.object({ workspaceId: z.uuid().optional() }).default({}),
  feature: "tiktok",
});

export const tiktokMetricsTick: RepeatingJob = {
  def: tiktokMetricsJob,
  everyMs: 60 * 60 * 1000,
  payload: {},
};
