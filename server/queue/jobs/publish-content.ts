import "server-only";
import { z } from "zod";
import { enqueue, getQueue } from "..";
import { defineJob } from "../types";

/** Publishes one content row. Safe to run twice: the row is claimed before anything happens. */
export const publishContentJob = defineJob({
  queue: "content",
  name: "publish-content",
  schema: z.object({ contentId: z.uuid(), workspaceId: z.uuid() }),
});

/**
 * Resumes a publish that gave its worker slot back while the platform processed the post (see
 * `continuePublish`), once `waitMs` has passed. `claimedAt` is the claim it must still hold.
 */
export const publishCheckJob = defineJob({
  queue: "content",
  name: "publish-check",
  schema: z.object({
    contentId: z.uuid(),
    workspaceId: z.uuid(),
    claimedAt: z.string().min(1),
    waitMs: z.number().int().min(0),
    since: z.number(),
    attempt: z.number().int().min(1),
  }),
});

export async function enqueuePublishCheck(payload: z.infer<typeof publishCheckJob.schema>) {
  await enqueue(publishCheckJob, payload, {
    jobId: `publish-check-${payload.contentId}-${Date.parse(payload.claimedAt)}`,
    delayMs: payload.waitMs,
  });
}

/** The job id of one publish attempt: the same row in the same state always maps to the same id. */
export function publishJobId(row: { id: string; updatedAt: Date }) {
  return `publish-${row.id}-${row.updatedAt.getTime()}`;
}

type PublishRow = { id: string; workspaceId: string; updatedAt: Date };

/**
 * After this long the tick adds a due row's job again even if this process added it already: the
 * queue may have lost it (a flushed Redis). Until then a second add would be merged into the
 * waiting job anyway, so under a backlog of thousands the tick skips them instead of re-sending
 * thousands of adds every second.
 */
export const REENQUEUE_AFTER_MS = 20_000;
const enqueuedAt = new Map<string, number>();

/** Due rows, in one round trip (the scheduler tick). */
export async function enqueueContentPublishes(rows: PublishRow[]) {
  const now = Date.now();
  for (const [jobId, at] of enqueuedAt) if (now - at >= REENQUEUE_AFTER_MS) enqueuedAt.delete(jobId);
  const fresh = rows
    .map((row) => ({ row, jobId: publishJobId(row) }))
    .filter((r) => !enqueuedAt.has(r.jobId));
  await getQueue().enqueueMany(
    publishContentJob,
    fresh.map(({ row, jobId }) => ({
      payload: { contentId: row.id, workspaceId: row.workspaceId },
      opts: { jobId },
    })),
  );
  for (const { jobId } of fresh) enqueuedAt.set(jobId, now);
}
