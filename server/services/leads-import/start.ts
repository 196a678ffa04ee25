import "server-only";
import { enqueueImportLeads } from "@/server/queue/jobs/import-leads";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import { createJobRun, failJobRun } from "../jobs";
import { normalizeTags } from "../leads/normalize";
import { IMPORT_LEADS_KIND, loadCustomFields, sniffUpload } from "./common";
import { compileMapping } from "./mapping";
import { type StartImportInput, startImportInput } from "./schemas";

/** Checks the mapping against the file and creates the run (not yet queued). */
export async function createImportRun(ctx: WorkspaceServiceContext, raw: StartImportInput) {
  const input = startImportInput.parse(raw);
  const defs = await loadCustomFields(ctx.db, ctx.workspaceId);
  compileMapping((await sniffUpload(ctx.workspaceId, input.uploadId)).headers, input.mapping, defs);
  const tags = normalizeTags(input.tags);
  const run = await createJobRun(ctx.db, {
    workspaceId: ctx.workspaceId,
    kind: IMPORT_LEADS_KIND,
    input: { ...input, tags },
    createdBy: ctx.actor.userId,
  });
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "lead.import_started",
    { type: "job_run", id: run.id },
    {
      policy: input.policy,
    },
  );
  return run;
}

/** Queues an import: a `job_runs` row the page follows, and a job that carries only its id. */
export async function startImport(ctx: WorkspaceServiceContext, raw: StartImportInput) {
  const run = await createImportRun(ctx, raw);
  try {
    await enqueueImportLeads({ jobRunId: run.id, workspaceId: ctx.workspaceId });
  } catch (err) {
    await failJobRun(ctx.db, run, "The import could not be queued. Try again in a moment.");
    throw err;
  }
  return { jobId: run.id };
}
