import "server-only";
import type { Logger } from "pino";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { DomainError } from "@/server/errors";
import { publishEvent } from "@/server/events";
import { getStorage } from "@/server/storage";
import { record } from "../activity";
import { dispatchSoon, recordDomainEvents } from "../domain-events/record";
import {
  claimJobRun,
  failJobRun,
  type JobRun,
  reportJobProgress,
  requeueJobRun,
  succeedJobRun,
} from "../jobs";
import { IMPORT_LEADS_KIND, uploadKey } from "./common";
import { importLeadsFromUpload } from "./import-file";
import { importedLeadEvents } from "./imported-events";
import { fillLeadTimeZones } from "./time-zones";

/** Thrown from the progress callback when the process is stopping: the run is handed back. */
class ImportInterrupted extends Error {}

import { type ImportResult, startImportInput } from "./schemas";

/** The job's work: claim the run, import, record the outcome and tell the page. */
export async function runImport(
  db: Db,
  p: {
    jobRunId: string;
    workspaceId: string;
    log?: Logger;
    reportProgress?: (n: number) => Promise<void>;
    /** Aborted on shutdown: the import stops at its next progress report and the run is requeued. */
    signal?: AbortSignal;
  },
): Promise<
  | { outcome: "skipped" }
  | { outcome: "released" }
  | { outcome: "succeeded"; result: ImportResult }
  | { outcome: "failed"; error: string }
> {
  const log = p.log ?? logger;
  const run = await claimJobRun(db, { id: p.jobRunId, workspaceId: p.workspaceId, kind: IMPORT_LEADS_KIND });
  if (!run) return { outcome: "skipped" };
  const parsed = startImportInput.safeParse(run.input);
  if (!parsed.success) {
    const error = "The saved import settings are not valid; start the import again.";
    await failJobRun(db, run, error);
    return { outcome: "failed", error };
  }
  const actor = { userId: run.createdBy, ip: null, userAgent: "organic worker (lead import)" };
  try {
    const result = await importLeadsFromUpload(db, {
      workspaceId: run.workspaceId,
      jobId: run.id,
      input: parsed.data,
      onProgress: async (n) => {
        if (p.signal?.aborted) throw new ImportInterrupted();
        await reportJobProgress(db, run, n);
        await p.reportProgress?.(n);
      },
    });
    // Time zones from the imported `timezone` and `country` fields (one set-based update).
    await fillLeadTimeZones(db, run.workspaceId);
    // Imports deliberately start no triggered campaigns: a bulk import is not a signup, and
    // campaigns starting for every imported row would mail whole lists by surprise (the usual
    // choice in Mailchimp-like tools). Their `lead.imported` events (webhooks only) commit with
    // the run's success.
    const eventIds = await db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      if (!(await succeedJobRun(tx, run, { ...result }))) return [];
      const events = await importedLeadEvents(tx, {
        workspaceId: run.workspaceId,
        jobId: run.id,
        startedAt: run.createdAt,
        imported: result.imported,
      });
      return recordDomainEvents(tx, events);
    });
    await dispatchSoon(eventIds);
    await record(
      db,
      actor,
      run.workspaceId,
      "lead.imported",
      { type: "job_run", id: run.id },
      {
        imported: result.imported,
        updated: result.updated,
        skipped: result.skipped,
        invalid: result.invalid,
        total: result.total,
        policy: parsed.data.policy,
      },
    );
    await getStorage()
      .delete(uploadKey(run.workspaceId, parsed.data.uploadId))
      .catch(() => {});
    await finishEvents(run, { status: "succeeded", ...result });
    return { outcome: "succeeded", result };
  } catch (err) {
    if (err instanceof ImportInterrupted) {
      // Another worker starts it over from the file; "skip existing" rows already merged.
      await requeueJobRun(db, run, "Interrupted by a worker restart; continuing on another worker.");
      log.info({ jobRunId: run.id }, "lead import handed back on shutdown");
      return { outcome: "released" };
    }
    const error =
      err instanceof DomainError
        ? err.message
        : "The import stopped because of an error on our side. Rows before that point were saved; run it again with “skip existing” to finish.";
    if (!(err instanceof DomainError)) log.error({ err, jobRunId: run.id }, "lead import failed");
    await failJobRun(db, run, error);
    await record(
      db,
      actor,
      run.workspaceId,
      "lead.import_failed",
      { type: "job_run", id: run.id },
      { error },
    );
    return { outcome: "failed", error };
  }
}

async function finishEvents(run: Pick<JobRun, "id" | "workspaceId" | "kind">, data: Record<string, unknown>) {
  await publishEvent({
    workspaceId: run.workspaceId,
    type: "job.progress",
    data: { jobId: run.id, progress: 100, kind: run.kind },
  });
  await publishEvent({
    workspaceId: run.workspaceId,
    type: "job.finished",
    data: { jobId: run.id, kind: run.kind, ...data },
  });
}
