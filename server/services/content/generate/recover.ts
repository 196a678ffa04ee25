import "server-only";
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { jobRuns } from "@/server/db/schema";
import { enqueueGenerateContent } from "@/server/queue/jobs/generate-content";
import { QUEUES } from "@/server/queue/types";
import { failJobRun } from "../../jobs";
import { GENERATE_CONTENT_KIND } from "./constants";

const STALE_RUN_MS = 15 * 60_000;

/**
 * AI generations whose job vanished (embedded mode restarted, Redis flushed, worker killed) sit in
 * `queued`/`running` forever unless someone looks: give them another attempt, or fail them plainly
 * once their attempts are spent. Run by the content scheduler's tick.
 */
export async function recoverStaleGenerations(db: Db) {
  const stale = await db
    .select()
    .from(jobRuns)
    .where(
      and(
        eq(jobRuns.kind, GENERATE_CONTENT_KIND),
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
    await enqueueGenerateContent(
      { jobRunId: run.id, workspaceId: run.workspaceId },
      `${run.id}-recover-${run.attempts}`,
    );
  }
  return stale.length;
}
