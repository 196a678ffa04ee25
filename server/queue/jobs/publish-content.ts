import "server-only";
import { z } from "zod";
import { getQueue } from "..";
import { defineJob } from "../types";

/** Publishes one content row. Safe to run twice: the row is claimed before anything happens. */
export const publishContentJob = defineJob({
  queue: "content",
  name: "publish-content",
  schema: z.object({ contentId: z.uuid(), workspaceId: z.uuid() }),
});

/** The job id of one publish attempt: the same row in the same state always maps to the same id. */
export function publishJobId(row: { id: string; updatedAt: Date }) {
  return `publish-${row.id}-${row.updatedAt.getTime()}`;
}

type PublishRow = { id: string; workspaceId: string; updatedAt: Date };

/** Due rows, in one round trip (the scheduler tick). */
export async function enqueueContentPublishes(rows: PublishRow[]) {
  await getQueue().enqueueMany(
    publishContentJob,
    rows.map((row) => ({
      payload: { contentId: row.id, workspaceId: row.workspaceId },
      opts: { jobId: publishJobId(row) },
    })),
  );
}
