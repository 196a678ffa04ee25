import "server-only";
import { z } from "zod";
import { enqueue } from "..";
import { defineJob } from "../types";

export const attributionRebuildPayload = z.object({ jobRunId: z.uuid(), workspaceId: z.uuid() });
export type AttributionRebuildPayload = z.infer<typeof attributionRebuildPayload>;

/** Every order of a workspace credited again (the model or window changed), reported on its job run. */
export const attributionRebuildJob = defineJob({
  queue: "analytics",
  name: "attribution-rebuild",
  schema: attributionRebuildPayload,
});

/** The job id is the run's id: enqueueing the same run twice runs it once. */
export function enqueueAttributionRebuild(payload: AttributionRebuildPayload) {
  return enqueue(attributionRebuildJob, payload, { jobId: payload.jobRunId });
}
