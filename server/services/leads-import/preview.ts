import "server-only";
import type { Readable } from "node:stream";
import { ValidationError } from "@/server/errors";
import type { WorkspaceServiceContext } from "../context";
import { loadCustomFields, openUpload, sniffUpload } from "./common";
import { suggestMapping } from "./mapping";
import { type CsvShape, csvStreamParser, isBlankRecord, uniqueHeaders } from "./parse";
import { type PreviewImportInput, previewImportInput } from "./schemas";

export const PREVIEW_ROWS = 10;

/** The header row and up to `limit` data rows (blank lines skipped); stops reading after them. */
export async function readPreviewRows(stream: Readable, shape: Pick<CsvShape, "delimiter">, limit: number) {
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
      if (rows.length >= limit) break;
    }
  } catch (err) {
    throw new ValidationError(`This file can't be read as CSV: ${(err as Error).message}`);
  } finally {
    stream.destroy();
    parser.destroy();
  }
  return { headers, rows };
}

/** Headers, the first rows and a suggested mapping, read from the start of the stored file. */
export async function previewImport(ctx: WorkspaceServiceContext, raw: PreviewImportInput) {
  const input = previewImportInput.parse(raw);
  const defs = await loadCustomFields(ctx.db, ctx.workspaceId);
  const shape = await sniffUpload(ctx.workspaceId, input.uploadId);
  const { stream, size } = await openUpload(ctx.workspaceId, input.uploadId);
  const { headers, rows } = await readPreviewRows(stream, shape, PREVIEW_ROWS);
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
