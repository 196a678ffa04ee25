import { Readable } from "node:stream";
import { z } from "zod";
import { logger } from "@/lib/logger";
import type { SessionUser } from "@/server/api/trpc";
import type { Db } from "@/server/db";
import type { MediaKind } from "@/server/db/schema";
import { jsonError } from "@/server/http/errors";
import { actorOf, authorizeWorkspace, mapErrors } from "@/server/http/with-workspace";
import {
  formatMegabytes,
  getMediaForServing,
  type MediaRow,
  mediaKindSchema,
  mediaLimits,
  saveUpload,
  type UploadSource,
} from "@/server/services/media";
import { type ByteRange, StorageNotFoundError, storageFor } from "@/server/storage";
import { checkedBody, declaredLength, streamMultipart } from "@/server/upload-body";

/**
 * The HTTP side of the media library, as plain functions of (db, user, request parts) so tests can
 * call them with a real database; the route files only resolve the session and the database.
 */

/** Room for the multipart envelope and the other form fields around the file. */
const MULTIPART_OVERHEAD = 1024 * 1024;

/**
 * Refuses a request body that is over every limit before it is read, from its Content-Length,
 * naming the limits. The exact, per-type limit is enforced while the file is stored.
 */
export function uploadTooLargeResponse(headers: Headers): Response | null {
  const length = declaredLength(headers);
  const { imageMaxBytes, videoMaxBytes } = mediaLimits();
  if (length !== null && length > Math.max(imageMaxBytes, videoMaxBytes) + MULTIPART_OVERHEAD) {
    return jsonError(
      413,
      `This upload is ${formatMegabytes(length)}; videos can be at most ${formatMegabytes(videoMaxBytes)} and images ${formatMegabytes(imageMaxBytes)}.`,
    );
  }
  return null;
}

const kindField = z.object({ kind: mediaKindSchema.optional() });

/** A member of the workspace (404 otherwise, never confirming it exists), not a viewer; the kind valid. */
async function authorizeUpload(
  db: Db,
  user: SessionUser | null,
  raw: { workspaceId?: unknown; kind?: unknown },
): Promise<{ workspaceId: string; kind?: MediaKind }> {
  const { kind } = kindField.parse({
    kind: typeof raw.kind === "string" && raw.kind !== "" ? raw.kind : undefined,
  });
  const { workspaceId } = await authorizeWorkspace(db, user, raw.workspaceId ?? undefined, "member");
  return { workspaceId, kind };
}

const noFile = () => jsonError(400, "Choose a file to upload", { file: ["Choose a file to upload"] });

async function storeUpload(
  db: Db,
  user: SessionUser,
  target: { workspaceId: string; kind?: MediaKind },
  file: { filename: string; type: string; size?: number; body: UploadSource },
  headers: Headers,
): Promise<Response> {
  const asset = await saveUpload(
    { db, workspaceId: target.workspaceId, actor: actorOf(user, headers) },
    {
      filename: file.filename || "upload",
      declaredType: file.type || null,
      declaredSize: file.size,
      body: file.body,
      expectKind: target.kind,
    },
  );
  return Response.json(asset, { status: 201 });
}

/**
 * POST /api/media/upload (multipart: `workspaceId`, `file`, optional `kind`), from a parsed form.
 * Signed out → 401, not a member → 404 (never confirm the workspace exists), viewer → 403; answers 201 with the asset.
 */
export function handleUpload(p: {
  db: Db;
  user: SessionUser | null;
  formData: FormData;
  headers?: Headers;
}): Promise<Response> {
  return mapErrors(async () => {
    const target = await authorizeUpload(p.db, p.user, {
      workspaceId: p.formData.get("workspaceId"),
      kind: p.formData.get("kind"),
    });
    const file = p.formData.get("file");
    if (!file || typeof file === "string") return noFile();
    return storeUpload(
      p.db,
      p.user!,
      target,
      { filename: file.name, type: file.type, size: file.size, body: file.stream() },
      p.headers ?? new Headers(),
    );
  });
}

/**
 * The same upload read from the request as it arrives: the multipart body streams to storage part
 * by part (a 500 MB video is never held in memory), the fields before the file are checked before
 * a byte of it is stored, and a body shorter than its Content-Length fails with 400, nothing kept.
 * The route wraps it in `withSession`, which maps what it throws.
 */
export async function handleUploadRequest(p: {
  db: Db;
  user: SessionUser;
  request: Request;
}): Promise<Response> {
  const { user, request } = p;
  const tooLarge = uploadTooLargeResponse(request.headers);
  if (tooLarge) return tooLarge;
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\b/i.test(contentType) || !request.body) {
    return jsonError(400, "Send the file as multipart/form-data");
  }
  return streamMultipart({
    contentType,
    body: checkedBody(request.body, declaredLength(request.headers)),
    fileField: "file",
    onFile: (fields, file) =>
      mapErrors(async () =>
        storeUpload(
          p.db,
          user,
          await authorizeUpload(p.db, user, fields),
          { filename: file.filename, type: file.mimeType, body: file.stream },
          request.headers,
        ),
      ),
    onNoFile: (fields) =>
      mapErrors(async () => {
        await authorizeUpload(p.db, user, fields);
        return noFile();
      }),
  });
}

/**
 * One `bytes=` range of a `size`-byte file: a range, "unsatisfiable", or null to send the whole
 * file (no header, a malformed one, or several ranges, which RFC 9110 lets a server ignore).
 */
export function parseRange(header: string | null, size: number): ByteRange | "unsatisfiable" | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== "" && Number(m[2]) < start) return null;
  if (start >= size) return "unsatisfiable";
  return { start, end };
}

const uuid = z.uuid();

/**
 * GET/HEAD /api/media/<id>/<filename>. Public: the random id is the capability, so the public blog
 * and sent emails can show images without a session. The bytes go out with the type sniffed at
 * upload, `nosniff` and `inline`, so a file can never be run as a page.
 */
export async function serveMedia(p: {
  db: Db;
  id: string;
  filename: string;
  method: string;
  headers: Headers;
}): Promise<Response> {
  if (!uuid.safeParse(p.id).success) return jsonError(404, "Not found");
  const row = await getMediaForServing(p.db, p.id);
  if (!row || row.filename !== p.filename) return jsonError(404, "Not found");
  return serveMediaRow(row, p);
}

/** The answer for a media row already looked up (the signed route reads it to check the token's workspace). */
export async function serveMediaRow(
  row: MediaRow,
  p: { method: string; headers: Headers },
): Promise<Response> {
  const etag = `"${row.id}"`;
  const common: Record<string, string> = {
    "content-type": row.mimeType,
    "x-content-type-options": "nosniff",
    "content-disposition": `inline; filename="${row.filename}"`,
    // An asset's bytes never change under its id (a new upload gets a new id).
    "cache-control": "public, max-age=31536000, immutable",
    etag,
    "accept-ranges": "bytes",
  };
  if (
    p.headers
      .get("if-none-match")
      ?.split(",")
      .some((t) => t.trim() === etag || t.trim() === "*")
  ) {
    return new Response(null, { status: 304, headers: common });
  }

  const size = row.sizeBytes;
  const ifRange = p.headers.get("if-range");
  const range = ifRange && ifRange !== etag ? null : parseRange(p.headers.get("range"), size);
  if (range === "unsatisfiable") {
    return new Response(null, { status: 416, headers: { ...common, "content-range": `bytes */${size}` } });
  }
  const headers = range
    ? {
        ...common,
        "content-range": `bytes ${range.start}-${range.end}/${size}`,
        "content-length": `${range.end - range.start + 1}`,
      }
    : { ...common, "content-length": `${size}` };
  const status = range ? 206 : 200;
  if (p.method === "HEAD") return new Response(null, { status, headers });

  try {
    const { stream } = await storageFor(row.storage).getStream(row.storageKey, range ?? undefined);
    return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status, headers });
  } catch (err) {
    if (err instanceof StorageNotFoundError) {
      logger.warn({ id: row.id, key: row.storageKey }, "media row without its file");
      return jsonError(404, "Not found");
    }
    throw err;
  }
}
