import "server-only";
import { z } from "zod";
import { enqueue } from "..";
import { defineJob, type RepeatingJob } from "../types";

export const AMAZON_ORDERS_SYNC_INTERVAL_MS = 15 * 60_000;

export const amazonOrdersSyncPayload = z.object({ jobRunId: z.uuid(), workspaceId: z.uuid() });
export type AmazonOrdersSyncPayload = z.infer<typeof amazonOrdersSyncPayload>;

/** One workspace's Amazon orders sync, reported on its job run. */
export const amazonOrdersSyncJob = defineJob({
  queue: "analytics",
  name: "amazon-orders-sync",
  schema: amazonOrdersSyncPayload,
});

/** The job id is the run's id: enqueueing the same run twice runs it once. */
export function enqueueAmazonOrdersSync(payload: AmazonOrdersSyncPayload) {
  return enqueue(amazonOrdersSyncJob, payload, { jobId: payload.jobRunId });
}

/** Every 15 minutes: a sync run for each workspace with Amazon connected (skipping busy ones). */
export const amazonOrdersTickJob = defineJob({
  queue: "analytics",
  name: "amazon-orders-tick",
  schema: z.object({}).default({}),
});

export const amazonOrdersTick: RepeatingJob = {
  def: amazonOrdersTickJob,
  everyMs: AMAZON_ORDERS_SYNC_INTERVAL_MS,
  payload: {},
};
