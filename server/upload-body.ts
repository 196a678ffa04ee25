import { Readable } from "node:stream";
import Busboy from "busboy";
import { ValidationError } from "@/server/errors";

/**
 * Request bodies of the upload routes, read as streams: never buffered whole, checked against the
 * Content-Length the client announced, and multipart parsed part by part (busboy).
 */

/** Content-Length as a number; null when absent or not a plain decimal. */
export function declaredLength(headers: Headers): number | null {
  const raw = headers.get("content-length")?.trim();
  if (!raw || !/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : null;
}

/** A body whose size is not what its Content-Length said: refused, nothing kept. */
export class BodyLengthMismatchError extends ValidationError {
  constructor(
    readonly received: number,
    readonly declared: number,
  ) {
    const message =
      received < declared
        ? `The upload was cut short: ${received} of the ${declared} bytes announced arrived. Nothing was saved; try again.`
        : `The upload was longer than the ${declared} bytes announced. Nothing was saved; try again.`;
    super(message, { file: [message] });
  }
}

/**
 * The body as a Node stream that fails with BodyLengthMismatchError when it ends short of the
 * declared length (or runs past it), so a truncated upload fails loudly instead of being stored as
 * if it were whole. A body that breaks off (the client went away) fails the same way.
 */
export function checkedBody(body: ReadableStream<Uint8Array> | Readable, declared: number | null): Readable {
  const source = body instanceof Readable ? body : Readable.fromWeb(body as never);
  if (declared === null) return source;
  return Readable.from(
    (async function* () {
      let received = 0;
      try {
        for await (const chunk of source as AsyncIterable<Uint8Array>) {
          received += chunk.length;
          if (received > declared) throw new BodyLengthMismatchError(received, declared);
          yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
        }
      } catch (err) {
        if (err instanceof BodyLengthMismatchError || received >= declared) throw err;
        throw new BodyLengthMismatchError(received, declared);
      }
      if (received !== declared) throw new BodyLengthMismatchError(received, declared);
    })(),
    { objectMode: false },
  );
}

export interface MultipartFile {
  filename: string;
  mimeType: string;
  stream: Readable;
}

export class MalformedMultipartError extends ValidationError {
  constructor() {
    super("Send the file as multipart/form-data");
  }
}

/**
 * Parses a multipart body as it arrives. The text fields sent before the file part are collected,
 * then `onFile` gets them with the file as a stream (so it can authorize before storing a byte);
 * without a `fileField` part, `onNoFile` gets the fields at the end. Extra files are skipped. A
 * body that breaks off fails the file stream with the body's error (e.g. BodyLengthMismatchError).
 */
export function streamMultipart<T>(p: {
  contentType: string;
  body: Readable;
  fileField: string;
  onFile: (fields: Record<string, string>, file: MultipartFile) => Promise<T>;
  onNoFile: (fields: Record<string, string>) => Promise<T>;
}): Promise<T> {
  let parser: Busboy.Busboy;
  try {
    parser = Busboy({
      headers: { "content-type": p.contentType },
      limits: { files: 1, fields: 20, fieldSize: 64 * 1024, parts: 40 },
    });
  } catch {
    return Promise.reject(new MalformedMultipartError());
  }
  const fields: Record<string, string> = {};
  let file: Readable | null = null;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: Promise<T>) => {
      if (settled) return;
      settled = true;
      outcome.then(resolve, reject).finally(() => {
        // Whatever the handler left unread is drained and discarded, so the answer can go out.
        p.body.unpipe(parser);
        p.body.resume();
      });
    };
    parser.on("field", (name, value) => {
      fields[name] = value;
    });
    parser.on("file", (name, stream, info) => {
      if (name !== p.fileField || file) {
        stream.resume();
        return;
      }
      file = stream;
      settle(p.onFile({ ...fields }, { filename: info.filename ?? "", mimeType: info.mimeType, stream }));
    });
    parser.on("close", () => {
      if (!settled) settle(p.onNoFile({ ...fields }));
    });
    // A broken body or envelope fails the file being stored (its handler answers) or, before the
    // file part, the whole parse.
    const fail = (err: unknown) => {
      const failure = err instanceof ValidationError ? err : new MalformedMultipartError();
      file?.destroy(failure);
      if (!settled) settle(Promise.reject(failure));
    };
    parser.on("error", fail);
    p.body.on("error", fail);
    p.body.pipe(parser);
  });
}

/**
 * A small body read whole, at most `max` bytes: "too-large" when the Content-Length or the bytes
 * that arrive pass it (the rest is not read). A request without a body reads as empty.
 */
export async function readBodyUpTo(request: Request, max: number): Promise<Buffer | "too-large"> {
  const declared = declaredLength(request.headers);
  if (declared !== null && declared > max) return "too-large";
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel().catch(() => {});
      return "too-large";
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
