import "server-only";
import { z } from "zod";
import { defineJob, type RepeatingJob } from "../types";

/*
 * Hourly: sync YouTube and Instagram metrics for every workspace that connected them (TikTok has
 * its own job, tiktok-metrics.ts, which also settles posts left in the creator's inbox).
 */
const payload = z.object({ workspaceId: z.uuid().optional() }).default({});

export const youtubeMetricsJob = defineJob({
  queue: "analytics",
  name: "youtube-metrics-sync",
  schema: payload,
  feature: "youtube",
});

export const instagramMetricsJob = defineJob({
  queue: "analytics",
  name: "instagram-metrics-sync",
  schema: payload,
  feature: "instagram",
});

const HOUR = 60 * 60 * 1000;
export const youtubeMetricsTick: RepeatingJob = { def: youtubeMetricsJob, everyMs: HOUR, payload: {} };
export const instagramMetricsTick: RepeatingJob = { def: instagramMetricsJob, everyMs: HOUR, payload: {} };
