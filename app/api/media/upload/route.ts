import { getDb } from "@/server/db";
import { handleUploadRequest } from "@/server/media-http";
import { getSessionUser } from "@/server/session";
import { guardUploadRoute } from "@/server/upload-guard";

export const dynamic = "force-dynamic";

/**
 * Multipart upload into a workspace's media library, streamed (see `handleUploadRequest`). Not
 * behind proxy.ts, so that large bodies are not buffered: `guardUploadRoute` does its checks.
 */
export async function POST(req: Request) {
  const refused = await guardUploadRoute(req);
  if (refused) return refused;
  const user = await getSessionUser(req.headers);
  return handleUploadRequest({ db: await getDb(), user, request: req });
}
