import "server-only";
import { z } from "zod";
import { enqueue } from "..";
import { defineJob } from "../types";

export const generateContentPayload = z.object({ jobRunId: z.uuid(), workspaceId: z.uuid() });
export type GenerateContentPayload = z.infer<typeof generateContentPayload>;

/**
 * Writes one draft for a `job_runs` row (AI or the offline template writer). The row holds the
 * input, progress and outcome; the payload carries only its id. Safe to run twice: the row is
 * claimed first and a finished run is skipped.
 */
export const generateContentJob = defineJob({
  queue: "content",
  name: "generate-content",
  schema: generateContentPayload,
});

/** The job id is the run's id (or `jobId` for another attempt): enqueueing it twice runs it once. */
export function enqueueGenerateContent(payload: GenerateContentPayload, jobId = payload.jobRunId) {
  return enqueue(generateContentJob, payload, { jobId });
}
