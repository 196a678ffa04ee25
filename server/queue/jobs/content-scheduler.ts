import "server-only";
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { jobRuns } from "@/server/db/schema";
import { findDueContent, reclaimStaleContent } from "@/server/services/content/publish";
import { failJobRun } from "@/server/services/jobs";
import { getQueue } from "..";
import { defineJob, QUEUES } from "../types";
import { generateContentJob } from "./generate-content";
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
    const recovered = await recoverStaleGenerations(db);
    return { reclaimed: reclaimed.length, enqueued: due.length, recovered };
  },
});

const STALE_RUN_MS = 15 * 60_000;

/**
 * AI generations whose job vanished (embedded mode restarted, Redis flushed, worker killed) sit in
 * `queued`/`running` forever unless someone looks: give them another attempt, or fail them plainly
 * once their attempts are spent.
 */
async function recoverStaleGenerations(db: Parameters<typeof failJobRun>[0]) {
  const stale = await db
    .select()
    .from(jobRuns)
    .where(
      and(
        eq(jobRuns.kind, "generate-content"),
        inArray(jobRuns.status, ["queued", "running"]),
        lt(jobRuns.updatedAt, new Date(Date.now() - STALE_RUN_MS)),
      ),
    )
    .limit(100);
  for (const run of stale) {
    if (run.attempts >= QUEUES.content.attempts) {
      await failJobRun(db, run, "This generation was interrupted and ran out of attempts. Start it again.");
      continue;
    }
    // touch it, so the next tick does not re-enqueue it again, then try once more
    await db
      .update(jobRuns)
      .set({ status: "queued", updatedAt: sql`now()` as unknown as Date })
      .where(eq(jobRuns.id, run.id));
    await getQueue().enqueue(
      generateContentJob,
      { jobRunId: run.id, workspaceId: run.workspaceId },
      { jobId: `${run.id}-recover-${run.attempts}` },
    );
  }
  return stale.length;
}
