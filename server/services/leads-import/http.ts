import { Readable } from "node:stream";
import { z } from "zod";
import { logger } from "@/lib/logger";
import type { SessionUser } from "@/server/api/trpc";
import type { Db } from "@/server/db";
import { DomainError, type DomainErrorCode } from "@/server/errors";
import { clientIp } from "@/server/request-info";
import { getJobRun } from "@/server/services/jobs";
import { getMembership, hasRole } from "@/server/services/workspaces";
import { getStorage, StorageNotFoundError } from "@/server/storage";
import { checkedBody, declaredLength, streamMultipart } from "@/server/upload-body";
import {
  IMPORT_LEADS_KIND,
  ImportFileTooLargeError,
  importMaxBytes,
  rejectedKey,
  saveImportUpload,
} from "./import";

/**
 * The HTTP side of CSV import as plain functions of (db, user, request parts), so tests call them
 * with a real database; the route files only resolve the session and the body.
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

/** Refuses a body over the limit from its Content-Length, before reading it. */
export function importTooLargeResponse(headers: Headers): Response | null {
  const length = declaredLength(headers);
  if (length !== null && length > importMaxBytes() + 1024 * 1024) {
    return jsonError(
      413,
      `This file is larger than ${Math.round(importMaxBytes() / 1024 / 1024)} MB, the most an import can be.`,
    );
  }
  return null;
}

const workspaceIdSchema = z.uuid("workspaceId must be a UUID");

async function authorize(
  db: Db,
  user: SessionUser | null,
  workspaceId: unknown,
  minRole: "viewer" | "member",
) {
  if (!user) return { ok: false, error: jsonError(401, "Sign in to continue") } as const;
  const ws = workspaceIdSchema.safeParse(workspaceId);
  if (!ws.success) return { ok: false, error: jsonError(400, "workspaceId must be a UUID") } as const;
  const membership = await getMembership(db, ws.data, user.id);
  if (!membership) return { ok: false, error: jsonError(404, "Workspace not found") } as const;
  if (!hasRole(membership.role, minRole))
    return { ok: false, error: jsonError(403, "Viewers have read-only access to this workspace") } as const;
  return { ok: true, workspaceId: ws.data } as const;
}

/**
 * POST /api/leads/import/upload. Signed out → 401, not a member → 404, viewer → 403, not CSV → 400
 * (nothing stored), too large → 413; 201 with `{ uploadId, size, filename, headers, delimiter }`.
 */
export async function handleImportUpload(p: {
  db: Db;
  user: SessionUser | null;
  workspaceId: unknown;
  file: { body: ReadableStream<Uint8Array> | Buffer | Readable; name?: string; size?: number } | null;
  headers?: Headers;
}): Promise<Response> {
  const auth = await authorize(p.db, p.user, p.workspaceId, "member");
  if (!auth.ok) return auth.error;
  if (!p.file)
    return jsonError(400, "Choose a CSV file to upload", { file: ["Choose a CSV file to upload"] });
  const headers = p.headers ?? new Headers();
  try {
    const saved = await saveImportUpload(
      {
        db: p.db,
        workspaceId: auth.workspaceId,
        actor: { userId: p.user!.id, ip: clientIp(headers), userAgent: headers.get("user-agent") },
      },
      { body: p.file.body, declaredSize: p.file.size, filename: p.file.name },
    );
    return Response.json(saved, { status: 201 });
  } catch (err) {
    if (err instanceof ImportFileTooLargeError) return jsonError(413, err.message, err.fieldErrors);
    if (err instanceof DomainError) return jsonError(STATUS[err.code], err.message, err.fieldErrors);
    logger.error({ err }, "lead import upload failed");
    return jsonError(500, "The upload failed on our side. Try again.");
  }
}

/**
 * The upload read from the request as it arrives. The page sends the raw bytes
 * (`?workspaceId=…&filename=…`); multipart (`workspaceId`, then `file`) is accepted too. Either way
 * the body streams to storage and must be as long as its Content-Length: a short one is refused
 * with 400 and nothing is kept. Over the limit → 413 from the Content-Length, before reading.
 */
export async function handleImportUploadRequest(p: {
  db: Db;
  user: SessionUser | null;
  request: Request;
}): Promise<Response> {
  const { db, user, request } = p;
  if (!user) return jsonError(401, "Sign in to continue");
  const tooLarge = importTooLargeResponse(request.headers);
  if (tooLarge) return tooLarge;
  const declared = declaredLength(request.headers);
  const body = request.body ? checkedBody(request.body, declared) : null;
  const contentType = request.headers.get("content-type") ?? "";
  if (body && /^multipart\/form-data\b/i.test(contentType)) {
    try {
      return await streamMultipart({
        contentType,
        body,
        fileField: "file",
        onFile: (fields, file) =>
          handleImportUpload({
            db,
            user,
            workspaceId: fields.workspaceId,
            file: { body: file.stream, name: file.filename },
            headers: request.headers,
          }),
        onNoFile: (fields) =>
          handleImportUpload({
            db,
            user,
            workspaceId: fields.workspaceId,
            file: null,
            headers: request.headers,
          }),
      });
    } catch (err) {
      if (err instanceof DomainError) return jsonError(STATUS[err.code], err.message, err.fieldErrors);
      throw err;
    }
  }
  const url = new URL(request.url);
  return handleImportUpload({
    db,
    user,
    workspaceId: url.searchParams.get("workspaceId"),
    file: body
      ? { body, name: url.searchParams.get("filename") ?? undefined, size: declared || undefined }
      : null,
    headers: request.headers,
  });
}

/** GET /api/leads/import/<jobId>/rejected?workspaceId=…: the rejected rows CSV of a finished import. */
export async function handleRejectedDownload(p: {
  db: Db;
  user: SessionUser | null;
  workspaceId: unknown;
  jobId: string;
}): Promise<Response> {
  const auth = await authorize(p.db, p.user, p.workspaceId, "viewer");
  if (!auth.ok) return auth.error;
  if (!z.uuid().safeParse(p.jobId).success) return jsonError(404, "Import not found");
  try {
    const run = await getJobRun(p.db, auth.workspaceId, p.jobId);
    if (run.kind !== IMPORT_LEADS_KIND) return jsonError(404, "Import not found");
    const { stream, size } = await getStorage().getStream(rejectedKey(auth.workspaceId, run.id));
    return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
      status: 200,
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-length": String(size),
        "content-disposition": `attachment; filename="rejected-rows-${run.id.slice(0, 8)}.csv"`,
        "x-content-type-options": "nosniff",
        "cache-control": "private, no-store",
      },
    });
  } catch (err) {
    if (err instanceof StorageNotFoundError) return jsonError(404, "This import rejected no rows");
    if (err instanceof DomainError) return jsonError(STATUS[err.code], err.message);
    throw err;
  }
}
