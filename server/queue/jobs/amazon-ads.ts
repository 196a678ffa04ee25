import "server-only";
import { z } from "zod";
import { enqueue } from "..";
import { defineJob, type RepeatingJob } from "../types";

/** Attribution reports settle over the 14-day window; a few passes a day keep the figures fresh. */
export const AMAZON_ATTRIBUTION_SYNC_INTERVAL_MS = 6 * 60 * 60_000;

export const amazonAttributionSyncPayload = z.object({ jobRunId: z.uuid(), workspaceId: z.uuid() });
export type AmazonAttributionSyncPayload = z.infer<typeof amazonAttributionSyncPayload>;

/** One workspace's Amazon Attribution report sync, reported on its job run. */
export const amazonAttributionSyncJob = defineJob({
  queue: "analytics",
  name: "amazon-attribution-sync",
  schema: amazonAttributionSyncPayload,
});

/** The job id is the run's id: enqueueing the same run twice runs it once. */
export function enqueueAmazonAttributionSync(payload: AmazonAttributionSyncPayload) {
  return enqueue(amazonAttributionSyncJob, payload, { jobId: payload.jobRunId });
}

/** Every 6 hours: a sync run for each workspace with Amazon Ads set up (skipping busy ones). */
export const amazonAttributionTickJob = defineJob({
  queue: "analytics",
  name: "amazon-attribution-tick",
  schema: z.object({}).default({}),
});

export const amazonAttributionTick: RepeatingJob = {
  def: amazonAttributionTickJob,
  everyMs: AMAZON_ATTRIBUTION_SYNC_INTERVAL_MS,
  payload: {},
};
