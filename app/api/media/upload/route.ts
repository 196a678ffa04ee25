import { getDb } from "@/server/db";
import { handleUploadRequest } from "@/server/media-http";
import { observed } from "@/server/observability/http";
import { getSessionUser } from "@/server/session";
import { guardUploadRoute } from "@/server/upload-guard";

export const dynamic = "force-dynamic";

/**
 * Multipart upload into a workspace's media library, streamed (see `handleUploadRequest`). Not
 * behind proxy.ts, so that large bodies are not buffered: `guardUploadRoute` does its checks.
 */
async function handlePost(req: Request) {
  const refused = await guardUploadRoute(req);
  if (refused) return refused;
  const user = await getSessionUser(req.headers);
  return handleUploadRequest({ db: await getDb(), user, request: req });
}

export const POST = observed("/api/media/upload", handlePost);
