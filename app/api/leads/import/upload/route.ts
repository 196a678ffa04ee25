import { withSession } from "@/server/http/with-workspace";
import { observed } from "@/server/observability/http";
import { handleImportUploadRequest } from "@/server/services/leads-import/http";
import { guardUploadRoute } from "@/server/upload-guard";

export const dynamic = "force-dynamic";

/** The workspace is named in the body (multipart) or the query: checked as the upload is read. */
const upload = withSession(({ db, user, req }) => handleImportUploadRequest({ db, user, request: req }));

/**
 * Uploads a CSV for import, streamed to storage (see `handleImportUploadRequest`). Not behind
 * proxy.ts, so that large bodies are not buffered: `guardUploadRoute` does its checks.
 */
async function handlePost(req: Request) {
  const refused = await guardUploadRoute(req);
  if (refused) return refused;
  return upload(req);
}

export const POST = observed("/api/leads/import/upload", handlePost);
