import "server-only";
import { and, eq, gt, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/server/db";
import { jobRuns } from "@/server/db/schema";
import { NotFoundError } from "@/server/errors";
import { publishEvent } from "@/server/events";

export type JobRun = typeof jobRuns.$inferSelect;

export const jobRunIdInput = z.object({ id: z.uuid("Job id must be a UUID") });

/** What a page may see of a job run: everything but the workspace id it already knows. */
const visible = {
  id: jobRuns.id,
  kind: jobRuns.kind,
  status: jobRuns.status,
  progress: jobRuns.progress,
  input: jobRuns.input,
  result: jobRuns.result,
  error: jobRuns.error,
  attempts: jobRuns.attempts,
  createdBy: jobRuns.createdBy,
  createdAt: jobRuns.createdAt,
  updatedAt: jobRuns.updatedAt,
  finishedAt: jobRuns.finishedAt,
};

/** One job run of this workspace; another workspace's run is NOT_FOUND. */
export async function getJobRun(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select(visible)
    .from(jobRuns)
    .where(and(eq(jobRuns.id, id), eq(jobRuns.workspaceId, workspaceId)));
  if (!row) throw new NotFoundError("Job not found");
  return row;
}

export async function createJobRun(
  db: Db,
  p: { workspaceId: string; kind: string; input: Record<string, unknown>; createdBy: string | null },
) {
  const [row] = await db
    .insert(jobRuns)
    .values({ workspaceId: p.workspaceId, kind: p.kind, input: p.input, createdBy: p.createdBy })
    .returning();
  return row!;
}

/** Runs of `kind` in this workspace still queued or running, started within `withinMs`. */
export async function countUnfinishedRuns(db: Db, workspaceId: string, kind: string, withinMs: number) {
  const rows = await db
    .select({ id: jobRuns.id })
    .from(jobRuns)
    .where(
      and(
        eq(jobRuns.workspaceId, workspaceId),
        eq(jobRuns.kind, kind),
        inArray(jobRuns.status, ["queued", "running"]),
        gt(jobRuns.createdAt, new Date(Date.now() - withinMs)),
      ),
    );
  return rows.length;
}

/**
 * Claims a run for one attempt: `queued` (or `running`, left by a worker that died) → `running`,
 * counting the attempt. A run that already finished is not claimed again (a duplicate job).
 */
export async function claimJobRun(db: Db, p: { id: string; workspaceId: string; kind: string }) {
  const [row] = await db
    .update(jobRuns)
    .set({ status: "running", attempts: sql`${jobRuns.attempts} + 1`, error: null })
    .where(
      and(
        eq(jobRuns.id, p.id),
        eq(jobRuns.workspaceId, p.workspaceId),
        eq(jobRuns.kind, p.kind),
        inArray(jobRuns.status, ["queued", "running"]),
      ),
    )
    .returning();
  return row ?? null;
}

/** Stores progress (0–100) and tells the workspace's open pages. */
export async function reportJobProgress(
  db: Db,
  run: Pick<JobRun, "id" | "workspaceId" | "kind">,
  progress: number,
) {
  await db
    .update(jobRuns)
    .set({ progress })
    .where(
      and(eq(jobRuns.id, run.id), eq(jobRuns.workspaceId, run.workspaceId), eq(jobRuns.status, "running")),
    );
  await publishEvent({
    workspaceId: run.workspaceId,
    type: "job.progress",
    data: { jobId: run.id, progress, kind: run.kind },
  });
}

/** An attempt failed but another will follow: back to `queued`, with the error to show meanwhile. */
export async function requeueJobRun(db: Db, run: Pick<JobRun, "id" | "workspaceId">, error: string) {
  await db
    .update(jobRuns)
    .set({ status: "queued", progress: 0, error })
    .where(
      and(eq(jobRuns.id, run.id), eq(jobRuns.workspaceId, run.workspaceId), eq(jobRuns.status, "running")),
    );
}

/** Final failure: `failed` with a message a person can act on, and a `job.finished` event. */
export async function failJobRun(db: Db, run: Pick<JobRun, "id" | "workspaceId" | "kind">, error: string) {
  const [row] = await db
    .update(jobRuns)
    .set({ status: "failed", error, finishedAt: new Date() })
    .where(
      and(
        eq(jobRuns.id, run.id),
        eq(jobRuns.workspaceId, run.workspaceId),
        inArray(jobRuns.status, ["queued", "running"]),
      ),
    )
    .returning();
  if (row) {
    await publishEvent({
      workspaceId: run.workspaceId,
      type: "job.finished",
      data: { jobId: run.id, kind: run.kind, status: "failed", error },
    });
  }
  return row ?? null;
}

/**
 * Marks a running run succeeded. Returns null when the run was no longer running (another attempt
 * finished it), so a caller inside a transaction can roll its own work back.
 */
export async function succeedJobRun(
  db: Db,
  run: Pick<JobRun, "id" | "workspaceId">,
  result: Record<string, unknown>,
) {
  const [row] = await db
    .update(jobRuns)
    .set({ status: "succeeded", progress: 100, result, error: null, finishedAt: new Date() })
    .where(
      and(eq(jobRuns.id, run.id), eq(jobRuns.workspaceId, run.workspaceId), eq(jobRuns.status, "running")),
    )
    .returning();
  return row ?? null;
}

/**
 * A sync that reports on its job run (Amazon orders, Amazon Attribution): claim the run (nothing if
 * another attempt has it), run `sync` with a progress callback per page, then record success — and
 * tell the workspace's open pages — or the failure. Not retried in place: the next scheduled run
 * asks for the same data again.
 */
export async function runSyncOnJobRun<R extends Record<string, unknown>>(
  db: Db,
  p: {
    jobRunId: string;
    workspaceId: string;
    kind: string;
    log: { warn: (obj: object, msg: string) => void };
    /** Progress per page fetched, in percent (capped at 95 until done). */
    percentPerPage: number;
    failureMessage: string;
  },
  sync: (onPage: (pages: number) => Promise<void>) => Promise<R>,
): Promise<R | { skipped: true } | { failed: true; error: string }> {
  const run = await claimJobRun(db, { id: p.jobRunId, workspaceId: p.workspaceId, kind: p.kind });
  if (!run) return { skipped: true };
  try {
    const result = await sync((pages) => reportJobProgress(db, run, Math.min(95, pages * p.percentPerPage)));
    await succeedJobRun(db, run, result);
    await publishEvent({
      workspaceId: p.workspaceId,
      type: "job.finished",
      data: { jobId: run.id, kind: run.kind, status: "succeeded" },
    });
    return result;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    p.log.warn({ workspaceId: p.workspaceId, err: message }, p.failureMessage);
    await failJobRun(db, run, message);
    return { failed: true, error: message };
  }
}
