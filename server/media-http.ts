import { Readable } from "node:stream";
import { z } from "zod";
import { logger } from "@/lib/logger";
import type { SessionUser } from "@/server/api/trpc";
import type { Db } from "@/server/db";
import { DomainError, type DomainErrorCode } from "@/server/errors";
import { clientIp } from "@/server/request-info";
import {
  FileTooLargeError,
  getMediaForServing,
  mediaKindSchema,
  mediaLimits,
  saveUpload,
} from "@/server/services/media";
import { getMembership, hasRole } from "@/server/services/workspaces";
import { type ByteRange, StorageNotFoundError, storageFor } from "@/server/storage";

/**
 * The HTTP side of the media library, as plain functions of (db, user, request parts) so tests can
 * call them with a real database; the route files only resolve the session and the database.
 */

const STATUS: Record<DomainErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  TOO_MANY_REQUESTS: 429,
};

function jsonError(status: number, message: string, fieldErrors?: Record<string, string[]>) {
  return Response.json({ error: message, ...(fieldErrors ? { fieldErrors } : {}) }, { status });
}

/** Room for the multipart envelope and the other form fields around the file. */
const MULTIPART_OVERHEAD = 1024 * 1024;

/**
 * Refuses a request body that is over every limit before it is read, from its Content-Length.
 * The exact, per-type limit is enforced while the file is stored.
 */
export function uploadTooLargeResponse(headers: Headers): Response | null {
  const length = Number(headers.get("content-length"));
  const { imageMaxBytes, videoMaxBytes } = mediaLimits();
  if (Number.isFinite(length) && length > Math.max(imageMaxBytes, videoMaxBytes) + MULTIPART_OVERHEAD) {
    return jsonError(413, "This file is larger than any upload allowed here.");
  }
  return null;
}

const uploadFields = z.object({
  workspaceId: z.uuid("workspaceId must be a UUID"),
  kind: mediaKindSchema.optional(),
});

/**
 * POST /api/media/upload (multipart: `workspaceId`, `file`, optional `kind`). Signed out → 401, not
 * a member → 404 (never confirm the workspace exists), viewer → 403; answers 201 with the asset.
 */
export async function handleUpload(p: {
  db: Db;
  user: SessionUser | null;
  formData: FormData;
  headers?: Headers;
}): Promise<Response> {
  if (!p.user) return jsonError(401, "Sign in to continue");
  const kindField = p.formData.get("kind");
  const fields = uploadFields.safeParse({
    workspaceId: p.formData.get("workspaceId") ?? undefined,
    kind: typeof kindField === "string" && kindField !== "" ? kindField : undefined,
  });
  if (!fields.success) {
    const flat = z.flattenError(fields.error);
    return jsonError(400, Object.values(flat.fieldErrors).flat()[0] ?? "Invalid upload", flat.fieldErrors);
  }
  const { workspaceId, kind } = fields.data;

  const membership = await getMembership(p.db, workspaceId, p.user.id);
  if (!membership) return jsonError(404, "Workspace not found");
  if (!hasRole(membership.role, "member"))
    return jsonError(403, "Viewers have read-only access to this workspace");

  const file = p.formData.get("file");
  if (!file || typeof file === "string") {
    return jsonError(400, "Choose a file to upload", { file: ["Choose a file to upload"] });
  }

  const headers = p.headers ?? new Headers();
  try {
    const asset = await saveUpload(
      {
        db: p.db,
        workspaceId,
        actor: { userId: p.user.id, ip: clientIp(headers), userAgent: headers.get("user-agent") },
      },
      {
        filename: file.name || "upload",
        declaredType: file.type || null,
        declaredSize: file.size,
        body: file.stream(),
        expectKind: kind,
      },
    );
    return Response.json(asset, { status: 201 });
  } catch (err) {
    if (err instanceof FileTooLargeError) return jsonError(413, err.message, err.fieldErrors);
    if (err instanceof DomainError) return jsonError(STATUS[err.code], err.message, err.fieldErrors);
    logger.error({ err, workspaceId }, "media upload failed");
    return jsonError(500, "The upload failed on our side. Try again.");
  }
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
