import "server-only";
import { z } from "zod";
import { enqueue } from "..";
import { defineJob } from "../types";

export const importLeadsPayload = z.object({ jobRunId: z.uuid(), workspaceId: z.uuid() });
export type ImportLeadsPayload = z.infer<typeof importLeadsPayload>;

/**
 * Imports one uploaded CSV for a `job_runs` row (which holds the mapping, progress and result).
 * Failures are recorded on the run rather than retried: a half-done import is finished by running
 * it again with "skip existing", which the person decides. A worker that dies mid-file is re-run
 * by the queue; the claim lets the run be picked up again and skip policy makes that safe.
 */
export const importLeadsJob = defineJob({
  queue: "system",
  name: "import-leads",
  schema: importLeadsPayload,
});

/**
 * The job id is the run's id: enqueueing the same run twice runs it once. A run handed back by a
 * stopping worker is enqueued again under `jobId` (its next attempt) for another worker.
 */
export function enqueueImportLeads(payload: ImportLeadsPayload, jobId = payload.jobRunId) {
  return enqueue(importLeadsJob, payload, { jobId });
}
