import "server-only";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { refreshStalePlannerFigures } from "@/server/db/planner-figures";
import { ValidationError } from "@/server/errors";
import { normalizeTags } from "../leads/normalize";
import { loadCustomFields, openUpload, rejectedKey, rejectedUrl, sniffUpload, stripNul } from "./common";
import { collectRejectedRows, readRejectedRows } from "./duplicates";
import { compileMapping } from "./mapping";
import {
  IMPORT_MERGE_CONNECTIONS,
  leadMerger,
  mergeByPages,
  mergeChunk,
  mergeChunkRows,
  mergeMaybeDuplicates,
} from "./merge";
import { MergePipeline } from "./merge-pipeline";
import { STAGE_SHARE, throttledProgress } from "./progress";
import { type RejectedWriter, rejectedWriter } from "./rejected-rows";
import type { ImportResult, startImportInput } from "./schemas";
import { stageFile } from "./stage-file";
import { rowChecker } from "./stage-row";
import {
  createStagingSql,
  EmailHashSet,
  lockStagingTable,
  openStagingSession,
  type StagingSession,
  sweepStagingTables,
} from "./staging";

export interface ImportOptions {
  workspaceId: string;
  jobId: string;
  input: ReturnType<typeof startImportInput.parse>;
  onProgress?: (percent: number) => Promise<void>;
  /** Rows merged into `leads` per statement (roughly: chunks are ranges of the staging table). */
  mergeChunkRows?: number;
}

type Fork = Awaited<ReturnType<StagingSession["fork"]>>;

/** Before a pipelined import: its tables marked as in use, other imports' leftovers swept. */
async function claimSharedStaging(db: Db, session: StagingSession, table: string, rejTable: string) {
  await lockStagingTable(session, table);
  await sweepStagingTables(db).catch((err) => logger.warn({ err }, "staging table sweep failed"));
  // A run picked up again after a crash starts over from the file.
  await session.query(`drop table if exists ${table}, ${rejTable}`);
  // Private connection (reset by DISCARD ALL on release): no waiting for the WAL flush per chunk —
  // a chunk lost to a crash right after commit is re-imported by running again with "skip". The
  // staging tables are unlogged anyway.
  await session.query("set synchronous_commit = off");
}

/** Opens the merge pipeline's connections into `forks` (released by the caller), each in a transaction. */
async function openMergeConnections(session: StagingSession, forks: Fork[]) {
  for (let i = 0; i < IMPORT_MERGE_CONNECTIONS; i++) forks.push(await session.fork());
  for (const f of forks) {
    await f.query("set synchronous_commit = off");
    await f.query("begin");
  }
}

async function prepareDuplicateCheck(session: StagingSession, table: string) {
  if (session.privateSession) {
    // More memory for the duplicate join (the session is reset on release).
    await session.query("set work_mem = '64MB'");
    await session.query("set synchronous_commit = off");
    // The plan needs only rough figures (how few rows may be duplicates).
    await session.query("set default_statistics_target = 10");
  }
  await session.query(`analyze ${table}`);
}

/**
 * Imports an uploaded file: stage every row (stage-file), find the duplicates (duplicates), write
 * the rejected rows CSV in row order (rejected-rows), and merge the rest into `leads` in chunks of
 * a few statements each (merge) — on PostgreSQL while the file is still being read
 * (merge-pipeline). Memory holds one write buffer and 8 bytes per email (see EmailHashSet),
 * whatever the file size.
 */
export async function importLeadsFromUpload(db: Db, o: ImportOptions): Promise<ImportResult> {
  const { input } = o;
  if (!/^[0-9a-f-]{36}$/.test(o.jobId)) throw new Error("job id must be a UUID");
  const defs = await loadCustomFields(db, o.workspaceId);
  const shape = await sniffUpload(o.workspaceId, input.uploadId);
  const { stream, size } = await openUpload(o.workspaceId, input.uploadId);

  const table = `leads_import_${o.jobId.replaceAll("-", "")}`;
  const rejTable = `${table}_rejected`;
  const counts = { imported: 0, updated: 0, skipped: 0, invalid: 0, duplicates: 0, total: 0 };
  const progress = throttledProgress(o.onProgress);
  const session = await openStagingSession(db);
  const chunkRows = o.mergeChunkRows ?? mergeChunkRows();
  const merge = leadMerger({ table, workspaceId: o.workspaceId, policy: input.policy, counts });
  const fileShare = (bytes: number) => bytes / Math.max(size, 1);
  const pipeline: MergePipeline | null =
    session.tables === "unlogged"
      ? new MergePipeline(
          (q, c) => mergeChunk(q, table, c, merge),
          (staged, merged) => progress(fileShare(staged) * 45 + fileShare(merged) * 50),
        )
      : null;
  const forks: Fork[] = [];
  let rejected: RejectedWriter | null = null;
  try {
    if (pipeline) await claimSharedStaging(db, session, table, rejTable);
    await session.query(createStagingSql(table, session.tables));
    if (pipeline) {
      await openMergeConnections(session, forks);
      pipeline.start(forks);
    }
    const applyTags = normalizeTags(input.tags);
    const seen = new EmailHashSet();
    const staged = await stageFile({
      session,
      table,
      stream,
      delimiter: shape.delimiter,
      onHeaders: (headers) =>
        rowChecker({
          mapping: compileMapping(headers, input.mapping, defs),
          defs,
          applyTags,
          defaultSource: stripNul(input.source ?? ""),
          seen,
        }),
      onBatch: async (bytes) => {
        if (!pipeline) return progress(fileShare(bytes) * STAGE_SHARE);
        pipeline.throwIfFailed();
        await pipeline.staged(bytes);
      },
      pipeline: pipeline && { merger: pipeline, chunkRows, fileSize: size },
    });
    counts.total = staged.total;
    counts.invalid = staged.invalid;
    if (pipeline) {
      await pipeline.finish();
      // The whole file was read: what was merged so far becomes visible.
      for (const f of forks) await f.query("commit");
    }
    if (!staged.headers) throw new ValidationError("This file has no line of column names.");
    await progress(pipeline ? 95 : STAGE_SHARE);

    await prepareDuplicateCheck(session, table);
    counts.duplicates = await collectRejectedRows(session, table, rejTable);
    counts.invalid += counts.duplicates;
    if (counts.invalid > 0) {
      rejected = rejectedWriter(rejectedKey(o.workspaceId, o.jobId), staged.headers);
      for await (const r of readRejectedRows(session, rejTable))
        await rejected.write(r.cells, r.row, r.reason);
    }

    if (!pipeline) {
      await mergeByPages(session, table, chunkRows, merge, (done, chunks) =>
        progress(STAGE_SHARE + (done / chunks) * (99 - STAGE_SHARE)),
      );
    }
    await mergeMaybeDuplicates(session, rejTable, merge);
    counts.skipped = counts.total - counts.invalid - counts.imported - counts.updated;

    const hasRejected = (await rejected?.finish()) ?? false;
    // A large import leaves `leads` far past the planner's figures (segments, audiences).
    await refreshStalePlannerFigures(db, ["leads"]);
    return {
      ...counts,
      rejectedUrl: hasRejected ? rejectedUrl(o.workspaceId, o.jobId) : null,
    };
  } catch (err) {
    stream.destroy();
    await pipeline?.abort(err);
    await rejected?.abort();
    throw err;
  } finally {
    // Uncommitted merges (a broken file, a failure) are rolled back; a broken connection is dropped.
    await Promise.all(forks.map((f) => f.query("rollback").catch(() => {})));
    await Promise.all(forks.map((f) => f.release()));
    await session.query(`drop table if exists ${table}, ${rejTable}`).catch(() => {});
    await session.release();
  }
}
