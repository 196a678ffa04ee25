import "server-only";
import type { Readable } from "node:stream";
import { type MergeChunk, stagedBlocks } from "./merge";
import type { MergePipeline } from "./merge-pipeline";
import { type Delimiter, isBlankRecord, readCsvBatches, uniqueHeaders } from "./parse";
import type { RowLoader, StagedRow, StagingSession } from "./staging";

export interface StageFileOptions {
  session: StagingSession;
  table: string;
  stream: Readable;
  delimiter: Delimiter;
  /** Called with the header row; returns the check of the data rows. */
  onHeaders: (headers: string[]) => (rec: string[], line: number) => StagedRow;
  /** After each batch of rows, with the bytes of the file read so far. */
  onBatch: (bytes: number) => Promise<void>;
  /** Where committed chunks of `chunkRows` rows go to be merged while reading on (PostgreSQL). */
  pipeline: { merger: MergePipeline; chunkRows: number; fileSize: number } | null;
}

/**
 * Streams the file through the CSV reader and checks each row, staging every row (valid ones with
 * their clean values, invalid ones with their reason and cells) in the staging table.
 */
export async function stageFile(o: StageFileOptions) {
  const counts = { total: 0, invalid: 0 };
  let headers: string[] | null = null;
  let check: ReturnType<StageFileOptions["onHeaders"]> | null = null;
  let chunk = { firstRow: 0, lastRow: 0, staged: 0, plain: 0, fromBlock: 0 };
  let loader: RowLoader | null = o.session.loader(o.table);

  /** Commits the staged chunk and hands it to the merging connections. */
  const cutChunk = async (merger: MergePipeline, bytes: number) => {
    await loader!.end();
    loader = null;
    const toBlock = await stagedBlocks(o.session, o.table);
    if (chunk.plain > 0) merger.push({ ...chunk, toBlock, bytes } satisfies MergeChunk);
    chunk = { firstRow: 0, lastRow: 0, staged: 0, plain: 0, fromBlock: Math.max(0, toBlock - 1) };
  };

  try {
    for await (const batch of readCsvBatches(o.stream, o.delimiter)) {
      for (const { record: rec, line } of batch.rows) {
        if (isBlankRecord(rec)) continue;
        if (!check) {
          headers = uniqueHeaders(rec);
          check = o.onHeaders(headers);
          continue;
        }
        counts.total++;
        const staged = check(rec, line);
        if (staged.reason !== null) counts.invalid++;
        loader ??= o.session.loader(o.table);
        // Waits only when the database is behind (the loader's buffer is full).
        const wait = loader.write(staged);
        if (wait) await wait;
        if (chunk.staged++ === 0) chunk.firstRow = line;
        chunk.lastRow = line;
        if (staged.reason === null && staged.raw === null) chunk.plain++;
        if (o.pipeline && chunk.staged >= o.pipeline.chunkRows)
          await cutChunk(o.pipeline.merger, batch.bytes);
      }
      await o.onBatch(batch.bytes);
    }
    if (o.pipeline) {
      if (loader) await cutChunk(o.pipeline.merger, o.pipeline.fileSize);
    } else if (loader) {
      await loader.end();
      loader = null;
    }
  } catch (err) {
    await (loader as RowLoader | null)?.abort(err as Error);
    throw err;
  }
  return { headers, ...counts };
}
