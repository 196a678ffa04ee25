import { getDb } from "@/server/db";
import { handleImportUpload, importTooLargeResponse } from "@/server/services/leads-import/http";
import { getSessionUser } from "@/server/session";

export const dynamic = "force-dynamic";

/**
 * Uploads a CSV for import. Multipart (`workspaceId`, `file`) is accepted; the page sends the raw
 * bytes instead (`?workspaceId=…&filename=…`), which streams to storage without being buffered.
 */
export async function POST(req: Request) {
  const user = await getSessionUser(req.headers);
  if (!user) return Response.json({ error: "Sign in to continue" }, { status: 401 });
  const tooLarge = importTooLargeResponse(req.headers);
  if (tooLarge) return tooLarge;
  const db = await getDb();
  const url = new URL(req.url);
  if ((req.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    let formData: FormData;
    try {
      formData = await req.formData();
    } catch {
      return Response.json({ error: "Send the file as multipart/form-data" }, { status: 400 });
    }
    const file = formData.get("file");
    return handleImportUpload({
      db,
      user,
      workspaceId: formData.get("workspaceId"),
      file:
        file && typeof file !== "string" ? { body: file.stream(), name: file.name, size: file.size } : null,
      headers: req.headers,
    });
  }
  const length = Number(req.headers.get("content-length"));
  return handleImportUpload({
    db,
    user,
    workspaceId: url.searchParams.get("workspaceId"),
    file: req.body
      ? {
          body: req.body,
          name: url.searchParams.get("filename") ?? undefined,
          size: Number.isFinite(length) && length > 0 ? length : undefined,
        }
      : null,
    headers: req.headers,
  });
}
