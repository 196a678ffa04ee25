import "server-only";
import type { Db } from "@/server/db";
import { customFieldDefinitions } from "@/server/db/schema";
import { enqueueImportLeads } from "@/server/queue/jobs/import-leads";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import { createJobRun, failJobRun } from "../jobs";
import { normalizeTags } from "../leads/normalize";
import { IMPORT_LEADS_KIND, loadCustomFields, sniffUpload } from "./common";
import { compileMapping, type NewImportField, resolveKeptColumns } from "./mapping";
import { type StartImportInput, startImportInput } from "./schemas";

/**
 * Creates the custom fields of the kept columns. A field another request created meanwhile under
 * the same key is left as it is and reused (the rows are checked against it when the job runs).
 */
async function createImportFields(db: Db, ctx: WorkspaceServiceContext, fields: NewImportField[]) {
  if (fields.length === 0) return [];
  const rows = await db
    .insert(customFieldDefinitions)
    .values(fields.map((f) => ({ workspaceId: ctx.workspaceId, ...f, options: [] })))
    .onConflictDoNothing({ target: [customFieldDefinitions.workspaceId, customFieldDefinitions.key] })
    .returning();
  for (const row of rows) {
    await record(
      db,
      ctx.actor,
      ctx.workspaceId,
      "custom_field.created",
      { type: "custom_field", id: row.id },
      { key: row.key, label: row.label, type: row.type, via: "import" },
    );
  }
  return rows.map((r) => r.key);
}

/**
 * Checks the mapping against the file, creates the custom fields of the kept columns and the run
 * (not yet queued), all or nothing. The run's saved mapping names every kept column's field.
 */
export async function createImportRun(ctx: WorkspaceServiceContext, raw: StartImportInput) {
  const input = startImportInput.parse(raw);
  const defs = await loadCustomFields(ctx.db, ctx.workspaceId);
  const headers = (await sniffUpload(ctx.workspaceId, input.uploadId)).headers;
  const { mapping, create, ignored } = resolveKeptColumns(headers, input.mapping, defs);
  compileMapping(headers, mapping, [...defs, ...create]);
  const tags = normalizeTags(input.tags);
  return ctx.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const createdFields = await createImportFields(tx, ctx, create);
    const run = await createJobRun(tx, {
      workspaceId: ctx.workspaceId,
      kind: IMPORT_LEADS_KIND,
      input: { ...input, mapping, tags },
      createdBy: ctx.actor.userId,
    });
    await record(
      tx,
      ctx.actor,
      ctx.workspaceId,
      "lead.import_started",
      { type: "job_run", id: run.id },
      { policy: input.policy, createdFields, ignored },
    );
    return Object.assign(run, { createdFields, ignored });
  });
}

/**
 * Queues an import: a `job_runs` row the page follows, and a job that carries only its id. Says
 * which custom fields it created and which columns it ignores.
 */
export async function startImport(ctx: WorkspaceServiceContext, raw: StartImportInput) {
  const run = await createImportRun(ctx, raw);
  try {
    await enqueueImportLeads({ jobRunId: run.id, workspaceId: ctx.workspaceId });
  } catch (err) {
    await failJobRun(ctx.db, run, "The import could not be queued. Try again in a moment.");
    throw err;
  }
  return { jobId: run.id, createdFields: run.createdFields, ignored: run.ignored };
}
