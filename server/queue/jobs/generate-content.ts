import "server-only";
import { z } from "zod";
import { runGeneration } from "@/server/services/content/generate/run";
import { enqueue } from "..";
import { defineJob, QUEUES } from "../types";

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
  async handler({ jobRunId, workspaceId }, { db, log, attempt, reportProgress }) {
    const result = await runGeneration(db, {
      jobRunId,
      workspaceId,
      attempt,
      maxAttempts: QUEUES.content.attempts,
      log,
      reportProgress,
    });
    // Ask the queue for another attempt (with its backoff); the run is back in `queued`.
    if (result.outcome === "retry") throw new Error(result.error);
    return result;
  },
});

/** The job id is the run's id: enqueueing the same run twice runs it once. */
export function enqueueGenerateContent(payload: GenerateContentPayload) {
  return enqueue(generateContentJob, payload, { jobId: payload.jobRunId });
}
