import { getDb } from "@/server/db";
import { observed } from "@/server/observability/http";
import { handleImportUploadRequest } from "@/server/services/leads-import/http";
import { getSessionUser } from "@/server/session";
import { guardUploadRoute } from "@/server/upload-guard";

export const dynamic = "force-dynamic";

/**
 * Uploads a CSV for import, streamed to storage (see `handleImportUploadRequest`). Not behind
 * proxy.ts, so that large bodies are not buffered: `guardUploadRoute` does its checks.
 */
async function handlePost(req: Request) {
  const refused = await guardUploadRoute(req);
  if (refused) return refused;
  const user = await getSessionUser(req.headers);
  return handleImportUploadRequest({ db: await getDb(), user, request: req });
}

export const POST = observed("/api/leads/import/upload", handlePost);
