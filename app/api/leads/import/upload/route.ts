import { getDb } from "@/server/db";
import { handleImportUploadRequest } from "@/server/services/leads-import/http";
import { getSessionUser } from "@/server/session";
import { guardUploadRoute } from "@/server/upload-guard";

export const dynamic = "force-dynamic";

/**
 * Uploads a CSV for import, streamed to storage (see `handleImportUploadRequest`). Not behind
 * proxy.ts, so that large bodies are not buffered: `guardUploadRoute` does its checks.
 */
export async function POST(req: Request) {
  const refused = await guardUploadRoute(req);
  if (refused) return refused;
  const user = await getSessionUser(req.headers);
  return handleImportUploadRequest({ db: await getDb(), user, request: req });
}
