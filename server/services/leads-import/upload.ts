import "server-only";
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import { env } from "@/lib/env";
import { PayloadTooLargeError } from "@/server/errors";
import { getStorage } from "@/server/storage";
import type { WorkspaceServiceContext } from "../context";
import { uploadKey } from "./common";
import { SNIFF_BYTES, sniffCsv } from "./parse";

const MB = 1024 * 1024;

/** LEADS_IMPORT_MAX_MB (default 200). */
export function importMaxBytes(): number {
  return Math.floor(env().LEADS_IMPORT_MAX_MB * MB);
}

export class ImportFileTooLargeError extends PayloadTooLargeError {
  constructor(max: number) {
    const message = `This file is larger than ${Math.round(max / MB)} MB, the most an import can be. Split it into smaller files.`;
    super(message, { file: [message] });
  }
}

export type ImportSource = Buffer | Uint8Array | ReadableStream<Uint8Array> | Readable;
type Chunks = AsyncIterator<Buffer | Uint8Array>;

function toReadable(body: ImportSource): Readable {
  if (body instanceof Readable) return body;
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) return Readable.from([Buffer.from(body)]);
  return Readable.fromWeb(body as unknown as NodeWebReadableStream<Uint8Array>);
}

/** Reads at least `bytes` (or everything, if less) from the iterator; `ended` when nothing is left. */
export async function readFirstBytes(
  chunks: Chunks,
  bytes: number,
): Promise<{ first: Buffer; ended: boolean }> {
  const head: Buffer[] = [];
  let read = 0;
  while (read < bytes) {
    const next = await chunks.next();
    if (next.done) return { first: Buffer.concat(head), ended: true };
    const b = Buffer.from(next.value);
    head.push(b);
    read += b.length;
  }
  return { first: Buffer.concat(head), ended: false };
}

/** `first`, then the rest of the iterator; fails (and stops reading) once more than `max` bytes came. */
export function cappedRest(first: Buffer, chunks: Chunks, max: number): Readable {
  return Readable.from(
    (async function* () {
      let total = first.length;
      yield first;
      for (;;) {
        const next = await chunks.next();
        if (next.done) return;
        total += next.value.length;
        if (total > max) {
          await chunks.return?.();
          throw new ImportFileTooLargeError(max);
        }
        yield Buffer.from(next.value);
      }
    })(),
  );
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
  const chunks = toReadable(input.body)[Symbol.asyncIterator]() as Chunks;
  const { first, ended } = await readFirstBytes(chunks, SNIFF_BYTES);
  let shape: ReturnType<typeof sniffCsv>;
  try {
    shape = sniffCsv(first);
    if (first.length > max) throw new ImportFileTooLargeError(max);
  } catch (err) {
    if (!ended) await chunks.return?.();
    throw err;
  }
  const uploadId = randomUUID();
  const key = uploadKey(ctx.workspaceId, uploadId);
  const storage = getStorage();
  let size: number;
  try {
    ({ size } = await storage.put(key, ended ? first : cappedRest(first, chunks, max), "text/csv"));
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
