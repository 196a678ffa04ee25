import { Readable } from "node:stream";
import { z } from "zod";
import type { SessionUser } from "@/server/api/trpc";
import type { Db } from "@/server/db";
import { NotFoundError } from "@/server/errors";
import { jsonError } from "@/server/http/errors";
import { actorOf, authorizeWorkspace, mapErrors } from "@/server/http/with-workspace";
import { getJobRun } from "@/server/services/jobs";
import { getStorage, StorageNotFoundError } from "@/server/storage";
import { checkedBody, declaredLength, streamMultipart } from "@/server/upload-body";
import { IMPORT_LEADS_KIND, importMaxBytes, rejectedKey, saveImportUpload } from "./import";

/**
 * The HTTP side of CSV import as plain functions of (db, user, request parts), so tests call them
 * with a real database; the route files only resolve the session (`server/http/with-workspace.ts`).
 */

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

/**
 * POST /api/leads/import/upload. Signed out → 401, not a member → 404, viewer → 403, not CSV → 400
 * (nothing stored), too large → 413; 201 with `{ uploadId, size, filename, headers, delimiter }`.
 */
export function handleImportUpload(p: {
  db: Db;
  user: SessionUser | null;
  workspaceId: unknown;
  file: { body: ReadableStream<Uint8Array> | Buffer | Readable; name?: string; size?: number } | null;
  headers?: Headers;
}): Promise<Response> {
  return mapErrors(async () => {
    const { workspaceId } = await authorizeWorkspace(p.db, p.user, p.workspaceId, "member");
    if (!p.file)
      return jsonError(400, "Choose a CSV file to upload", { file: ["Choose a CSV file to upload"] });
    const headers = p.headers ?? new Headers();
    const saved = await saveImportUpload(
      { db: p.db, workspaceId, actor: actorOf(p.user!, headers) },
      { body: p.file.body, declaredSize: p.file.size, filename: p.file.name },
    );
    return Response.json(saved, { status: 201 });
  });
}

/**
 * The upload read from the request as it arrives. The page sends the raw bytes
 * (`?workspaceId=…&filename=…`); multipart (`workspaceId`, then `file`) is accepted too. Either way
 * the body streams to storage and must be as long as its Content-Length: a short one is refused
 * with 400 and nothing is kept. Over the limit → 413 from the Content-Length, before reading.
 */
export async function handleImportUploadRequest(p: {
  db: Db;
  user: SessionUser;
  request: Request;
}): Promise<Response> {
  const { db, user, request } = p;
  const tooLarge = importTooLargeResponse(request.headers);
  if (tooLarge) return tooLarge;
  const declared = declaredLength(request.headers);
  const body = request.body ? checkedBody(request.body, declared) : null;
  const contentType = request.headers.get("content-type") ?? "";
  if (body && /^multipart\/form-data\b/i.test(contentType)) {
    return streamMultipart({
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
export function handleRejectedDownload(p: {
  db: Db;
  user: SessionUser | null;
  workspaceId: unknown;
  jobId: string;
}): Promise<Response> {
  return mapErrors(async () => {
    const { workspaceId } = await authorizeWorkspace(p.db, p.user, p.workspaceId, "viewer");
    return rejectedRowsResponse(p.db, workspaceId, p.jobId);
  });
}

/** The rejected rows file of one import of the workspace, for a caller already authorized. */
export async function rejectedRowsResponse(db: Db, workspaceId: string, jobId: string): Promise<Response> {
  if (!z.uuid().safeParse(jobId).success) throw new NotFoundError("Import not found");
  const run = await getJobRun(db, workspaceId, jobId);
  if (run.kind !== IMPORT_LEADS_KIND) throw new NotFoundError("Import not found");
  try {
    const { stream, size } = await getStorage().getStream(rejectedKey(workspaceId, run.id));
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
    if (err instanceof StorageNotFoundError) throw new NotFoundError("This import rejected no rows");
    throw err;
  }
}
