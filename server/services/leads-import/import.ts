import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import { stringify } from "csv-stringify";
import { eq, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { customFieldDefinitions } from "@/server/db/schema";
import { DomainError, NotFoundError, ValidationError } from "@/server/errors";
import { publishEvent } from "@/server/events";
import { enqueueImportLeads } from "@/server/queue/jobs/import-leads";
import { getStorage, StorageNotFoundError } from "@/server/storage";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import {
  claimJobRun,
  createJobRun,
  failJobRun,
  type JobRun,
  reportJobProgress,
  succeedJobRun,
} from "../jobs";
import { type CustomFieldDef, normalizeEmail, normalizeTags, validateCustomFields } from "../leads/normalize";
import { applyMapping, compileMapping, suggestMapping } from "./mapping";
import { csvStreamParser, isBlankRecord, readHead, SNIFF_BYTES, sniffCsv, uniqueHeaders } from "./parse";
import {
  type ImportResult,
  type PreviewImportInput,
  previewImportInput,
  type StartImportInput,
  startImportInput,
} from "./schemas";

export const IMPORT_LEADS_KIND = "import-leads";
export const PREVIEW_ROWS = 10;
/** Rows per INSERT: big enough to amortise the round trip, small enough to keep memory flat. */
export const IMPORT_BATCH_SIZE = 1000;
export const IMPORT_WRITE_CONCURRENCY = Number(process.env.LEADS_IMPORT_CONCURRENCY ?? 3);

const MB = 1024 * 1024;

/** LEADS_IMPORT_MAX_MB (default 200). */
export function importMaxBytes(): number {
  const mb = Number(process.env.LEADS_IMPORT_MAX_MB ?? 200);
  return Math.floor((Number.isFinite(mb) && mb > 0 ? mb : 200) * MB);
}

export class ImportFileTooLargeError extends ValidationError {
  constructor(max: number) {
    const message = `This file is larger than ${Math.round(max / MB)} MB, the most an import can be. Split it into smaller files.`;
    super(message, { file: [message] });
  }
}

// The workspace id is part of every key, so another workspace's upload id simply does not exist here.
export const uploadKey = (workspaceId: string, uploadId: string) =>
  `leads-import/${workspaceId}/${uploadId}.csv`;
export const rejectedKey = (workspaceId: string, jobId: string) =>
  `leads-import/${workspaceId}/${jobId}-rejected.csv`;
export const rejectedUrl = (workspaceId: string, jobId: string) =>
  `/api/leads/import/${jobId}/rejected?workspaceId=${workspaceId}`;

async function loadCustomFields(db: Db, workspaceId: string): Promise<CustomFieldDef[]> {
  return db
    .select({
      key: customFieldDefinitions.key,
      label: customFieldDefinitions.label,
      type: customFieldDefinitions.type,
      options: customFieldDefinitions.options,
    })
    .from(customFieldDefinitions)
    .where(eq(customFieldDefinitions.workspaceId, workspaceId));
}

async function openUpload(workspaceId: string, uploadId: string) {
  try {
    return await getStorage().getStream(uploadKey(workspaceId, uploadId));
  } catch (err) {
    if (err instanceof StorageNotFoundError)
      throw new NotFoundError("Upload not found; upload the file again");
    throw err;
  }
}

// ---- upload --------------------------------------------------------------------------------------

export type ImportSource = Buffer | Uint8Array | ReadableStream<Uint8Array> | Readable;

function toReadable(body: ImportSource): Readable {
  if (body instanceof Readable) return body;
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) return Readable.from([Buffer.from(body)]);
  return Readable.fromWeb(body as unknown as NodeWebReadableStream<Uint8Array>);
}

/**
 * Stores an uploaded CSV for preview and import. The first bytes are checked before anything is
 * written (not CSV → ValidationError, nothing kept); the size cap is enforced as the bytes flow.
 */
export async function saveImportUpload(
  ctx: WorkspaceServiceContext,
  input: { body: ImportSource; declaredSize?: number; filename?: string },
) {
  const max = importMaxBytes();
  if (input.declaredSize !== undefined && input.declaredSize > max) throw new ImportFileTooLargeError(max);
  const iterator = toReadable(input.body)[Symbol.asyncIterator]() as AsyncIterator<Buffer | Uint8Array>;
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    const b = Buffer.from(next.value);
    head.push(b);
    headBytes += b.length;
  }
  const first = Buffer.concat(head);
  let shape: ReturnType<typeof sniffCsv>;
  try {
    shape = sniffCsv(first);
    if (first.length > max) throw new ImportFileTooLargeError(max);
  } catch (err) {
    if (!ended) await iterator.return?.();
    throw err;
  }
  const uploadId = randomUUID();
  const key = uploadKey(ctx.workspaceId, uploadId);
  const body = ended
    ? first
    : Readable.from(
        (async function* () {
          let total = first.length;
          yield first;
          for (;;) {
            const next = await iterator.next();
            if (next.done) return;
            total += next.value.length;
            if (total > max) {
              await iterator.return?.();
              throw new ImportFileTooLargeError(max);
            }
            yield Buffer.from(next.value);
          }
        })(),
      );
  const storage = getStorage();
  let size: number;
  try {
    ({ size } = await storage.put(key, body, "text/csv"));
  } catch (err) {
    await storage.delete(key).catch(() => {});
    throw err;
  }
  return {
    uploadId,
    size,
    filename: (input.filename ?? "import.csv").slice(0, 255),
    delimiter: shape.delimiter,
    headers: shape.headers,
  };
}

// ---- preview -------------------------------------------------------------------------------------

/** Headers, the first rows and a suggested mapping, read from the start of the stored file. */
export async function previewImport(ctx: WorkspaceServiceContext, raw: PreviewImportInput) {
  const input = previewImportInput.parse(raw);
  const defs = await loadCustomFields(ctx.db, ctx.workspaceId);
  const head = await readHead((await openUpload(ctx.workspaceId, input.uploadId)).stream);
  const shape = sniffCsv(head);
  const { stream, size } = await openUpload(ctx.workspaceId, input.uploadId);
  const parser = csvStreamParser(shape);
  stream.pipe(parser);
  const rows: string[][] = [];
  let headers: string[] | null = null;
  try {
    for await (const rec of parser as AsyncIterable<string[]>) {
      if (isBlankRecord(rec)) continue;
      if (!headers) {
        headers = uniqueHeaders(rec);
        continue;
      }
      rows.push(headers.map((_, i) => rec[i] ?? ""));
      if (rows.length >= PREVIEW_ROWS) break;
    }
  } catch (err) {
    throw new ValidationError(`This file can't be read as CSV: ${(err as Error).message}`);
  } finally {
    stream.destroy();
    parser.destroy();
  }
  const cols = headers ?? shape.headers;
  return {
    uploadId: input.uploadId,
    size,
    delimiter: shape.delimiter,
    headers: cols,
    rows,
    suggestedMapping: suggestMapping(cols, defs),
    customFields: defs,
  };
}

// ---- start ---------------------------------------------------------------------------------------

/** Checks the mapping against the file and creates the run (not yet queued). */
export async function createImportRun(ctx: WorkspaceServiceContext, raw: StartImportInput) {
  const input = startImportInput.parse(raw);
  const defs = await loadCustomFields(ctx.db, ctx.workspaceId);
  const head = await readHead((await openUpload(ctx.workspaceId, input.uploadId)).stream);
  compileMapping(sniffCsv(head).headers, input.mapping, defs);
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

// ---- the job -------------------------------------------------------------------------------------

interface LeadRow {
  email: string;
  name: string | null;
  tags: string[];
  source: string | null;
  custom_fields: Record<string, unknown>;
}

function lineBreaksIn(rec: string[]): number {
  let n = 0;
  for (const v of rec) if (v.includes("\n")) n += v.split("\n").length - 1;
  return n;
}

// PostgreSQL text and jsonb cannot hold NUL characters.
const stripNul = (s: string) => (s.includes("\u0000") ? s.replaceAll("\u0000", "") : s);

/**
 * One statement per batch, so each batch commits on its own: a crash keeps the batches before it,
 * and re-running with "skip" picks up where it stopped. `xmax = 0` tells a fresh insert from an
 * updated row (PostgreSQL and PGlite alike); skipped rows are the batch minus what came back.
 */
async function writeBatch(db: Db, workspaceId: string, policy: "skip" | "update", rows: LeadRow[]) {
  const json = JSON.stringify(rows);
  const onConflict =
    policy === "skip"
      ? sql`do nothing`
      : sql`do update set
          name = coalesce(excluded.name, leads.name),
          tags = array(select t from unnest(leads.tags || excluded.tags) with ordinality as u(t, i)
                       group by t order by min(i)),
          source = coalesce(leads.source, excluded.source),
          custom_fields = leads.custom_fields || excluded.custom_fields,
          updated_at = now()`;
  const result = await db.transaction(async (tx) => {
    // A batch lost to a crash right after commit is re-imported by running again with "skip";
    // not waiting for the WAL flush on every batch roughly doubles throughput.
    await tx.execute(sql`set local synchronous_commit = off`);
    return tx.execute(sql`
    with written as (
      insert into leads (workspace_id, email, name, tags, source, custom_fields)
      select ${workspaceId}::uuid, x.email, x.name, coalesce(x.tags, '{}'::text[]), x.source,
             coalesce(x.custom_fields, '{}'::jsonb)
      from jsonb_to_recordset(${json}::jsonb)
        as x(email text, name text, tags text[], source text, custom_fields jsonb)
      on conflict (workspace_id, email) ${onConflict}
      returning (xmax = 0) as inserted
    )
    select count(*) filter (where inserted)::int as inserted, count(*) filter (where not inserted)::int as updated
    from written`);
  });
  const row = (result as unknown as { rows: { inserted: number; updated: number }[] }).rows[0]!;
  const inserted = Number(row.inserted);
  const updated = Number(row.updated);
  return { inserted, updated, skipped: rows.length - inserted - updated };
}

/** Rejected rows go to a CSV in storage as they are found: original columns, then row and reason. */
function rejectedWriter(key: string, headers: string[]) {
  let stringifier: ReturnType<typeof stringify> | null = null;
  let stored: Promise<unknown> | null = null as Promise<unknown> | null;
  return {
    async write(rec: string[], row: number, reason: string) {
      if (!stringifier) {
        const s = stringify({ bom: true });
        stringifier = s;
        stored = getStorage().put(key, s, "text/csv");
        stored.catch(() => {});
        s.write([...headers, "row", "reason"]);
      }
      const values = headers.map((_, i) => rec[i] ?? "");
      if (rec.length > headers.length) values.push(...rec.slice(headers.length));
      if (!stringifier.write([...values.slice(0, headers.length), String(row), reason])) {
        await Promise.race([once(stringifier, "drain"), stored]);
      }
    },
    async finish() {
      if (!stringifier) return false;
      stringifier.end();
      await stored;
      return true;
    },
    async abort() {
      if (!stringifier) return;
      stringifier.destroy();
      await stored?.catch(() => {});
      await getStorage()
        .delete(key)
        .catch(() => {});
    },
  };
}

export interface ImportOptions {
  workspaceId: string;
  jobId: string;
  input: ReturnType<typeof startImportInput.parse>;
  onProgress?: (percent: number) => Promise<void>;
  batchSize?: number;
  /** Batches written at once (each on its own pooled connection). */
  concurrency?: number;
}

/**
 * Streams the uploaded file through csv-parse, validates and de-duplicates each row, and writes
 * batches with one multi-row upsert each (one batch in flight while the next is parsed). Memory
 * holds two batches and the set of emails seen so far (for "Duplicate of row N").
 */
export async function importLeadsFromUpload(db: Db, o: ImportOptions): Promise<ImportResult> {
  const { input } = o;
  const defs = await loadCustomFields(db, o.workspaceId);
  const head = await readHead((await openUpload(o.workspaceId, input.uploadId)).stream);
  const shape = sniffCsv(head);
  const { stream, size } = await openUpload(o.workspaceId, input.uploadId);
  const parser = csvStreamParser(shape, { info: true });
  stream.pipe(parser);
  stream.on("error", (err) => parser.destroy(err));

  const batchSize = o.batchSize ?? IMPORT_BATCH_SIZE;
  const concurrency = Math.max(1, o.concurrency ?? IMPORT_WRITE_CONCURRENCY);
  const counts = { imported: 0, updated: 0, skipped: 0, invalid: 0, duplicates: 0, total: 0 };
  const seen = new Map<string, number>();
  const applyTags = normalizeTags(input.tags);
  let headers: string[] | null = null;
  let compiled: ReturnType<typeof compileMapping> | null = null;
  let rejected = null as ReturnType<typeof rejectedWriter> | null;
  let batch: LeadRow[] = [];
  let lastPercent = -1;
  let lastReport = 0;
  let bytes = 0;

  const inflight = new Set<Promise<void>>();
  let failure: unknown = null;
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    // Batches never share an email (de-duplicated above), so a few may be written at once on
    // separate connections while the next one is parsed.
    while (inflight.size >= concurrency) await Promise.race(inflight);
    if (failure) throw failure;
    const read = bytes;
    const write: Promise<void> = writeBatch(db, o.workspaceId, input.policy, rows)
      .then(async (r) => {
        counts.imported += r.inserted;
        counts.updated += r.updated;
        counts.skipped += r.skipped;
        const percent = Math.min(99, Math.floor((read / Math.max(size, 1)) * 100));
        // Every batch, but no more than one event a second unless the percentage moved.
        if (o.onProgress && (percent > lastPercent || Date.now() - lastReport > 1000)) {
          lastPercent = Math.max(percent, lastPercent);
          lastReport = Date.now();
          await o.onProgress(lastPercent);
        }
      })
      .catch((err) => {
        failure ??= err;
      })
      .finally(() => inflight.delete(write));
    inflight.add(write);
  };
  const settle = async () => {
    await Promise.all(inflight);
    if (failure) throw failure;
  };

  try {
    for await (const item of parser as AsyncIterable<{
      record: string[];
      info: { lines: number; bytes: number };
    }>) {
      const rec = item.record;
      bytes = item.info.bytes;
      if (isBlankRecord(rec)) continue;
      if (!headers) {
        headers = uniqueHeaders(rec);
        compiled = compileMapping(headers, input.mapping, defs);
        rejected = rejectedWriter(rejectedKey(o.workspaceId, o.jobId), headers);
        continue;
      }
      counts.total++;
      // The line the record starts on, as an editor shows it (quoted line breaks make it end later).
      const row = item.info.lines - lineBreaksIn(rec);
      const reject = async (reason: string) => {
        counts.invalid++;
        await rejected!.write(rec, row, reason);
      };
      const m = applyMapping(rec, compiled!);
      const email = normalizeEmail(m.email);
      if (!email.ok) {
        await reject(email.reason);
        continue;
      }
      const firstRow = seen.get(email.email);
      if (firstRow !== undefined) {
        counts.duplicates++;
        await reject(`Duplicate of row ${firstRow}`);
        continue;
      }
      const name = stripNul(m.name);
      if (name.length > 255) {
        await reject("Name is longer than 255 characters");
        continue;
      }
      const source = stripNul(m.source || input.source || "");
      if (source.length > 255) {
        await reject("Source is longer than 255 characters");
        continue;
      }
      const custom: Record<string, unknown> = {};
      if (compiled!.custom.length > 0) {
        const checked = validateCustomFields(defs, m.custom);
        const errors = Object.values(checked.errors);
        if (errors.length > 0) {
          await reject(errors.join("; "));
          continue;
        }
        // An empty cell leaves the lead's value alone rather than clearing it.
        for (const [k, v] of Object.entries(checked.values))
          if (v !== null) custom[k] = typeof v === "string" ? stripNul(v) : v;
      }
      seen.set(email.email, row);
      batch.push({
        email: email.email,
        name: name || null,
        tags: normalizeTags(applyTags.length ? [...applyTags, ...m.tags] : m.tags).map(stripNul),
        source: source || null,
        custom_fields: custom,
      });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    await settle();
    if (!headers) throw new ValidationError("This file has no line of column names.");
    const hasRejected = (await rejected?.finish()) ?? false;
    return {
      ...counts,
      rejectedUrl: hasRejected ? rejectedUrl(o.workspaceId, o.jobId) : null,
    };
  } catch (err) {
    parser.destroy();
    stream.destroy();
    await Promise.all(inflight);
    await rejected?.abort();
    throw err;
  }
}

/** The job's work: claim the run, import, record the outcome and tell the page. */
export async function runImport(
  db: Db,
  p: { jobRunId: string; workspaceId: string; log?: Logger; reportProgress?: (n: number) => Promise<void> },
): Promise<
  | { outcome: "skipped" }
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
        await reportJobProgress(db, run, n);
        await p.reportProgress?.(n);
      },
    });
    await succeedJobRun(db, run, { ...result });
    // Imports deliberately emit no `lead.created` events: a bulk import is not a signup, and
    // triggered campaigns starting for every imported row would mail whole lists by surprise
    // (the usual choice in Mailchimp-like tools).
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
