import { z } from "zod";
import { findDueContent, reclaimStaleContent } from "@/server/services/content/publish";
import { getQueue } from "..";
import { defineJob } from "../types";
import { publishContentJob } from "./publish-content";

/** The job id of one publish attempt: the same row in the same state always maps to the same id. */
export function publishJobId(row: { id: string; updatedAt: Date }) {
  return `publish-${row.id}-${row.updatedAt.getTime()}`;
}

/**
 * The scheduler tick (every few seconds): gives back stale claims, then enqueues every due row with
 * a deterministic job id. The database decides what is due, so a lost queue or a restart loses nothing.
 */
export const contentSchedulerJob = defineJob({
  queue: "system",
  name: "content-scheduler",
  schema: z.object({}).default({}),
  async handler(_payload, { db, log }) {
    const reclaimed = await reclaimStaleContent(db);
    if (reclaimed.length) log.warn({ count: reclaimed.length }, "reclaimed stale publishing claims");
    const due = await findDueContent(db);
    await getQueue().enqueueMany(
      publishContentJob,
      due.map((row) => ({
        payload: { contentId: row.id, workspaceId: row.workspaceId },
        opts: { jobId: publishJobId(row) },
      })),
    );
    return { reclaimed: reclaimed.length, enqueued: due.length };
  },
});
