import { withSession } from "@/server/http/with-workspace";
import { handleUploadRequest } from "@/server/media-http";
import { observed } from "@/server/observability/http";
import { guardUploadRoute } from "@/server/upload-guard";

export const dynamic = "force-dynamic";

/** The workspace is a multipart field: checked before a byte of the file is stored. */
const upload = withSession(({ db, user, req }) => handleUploadRequest({ db, user, request: req }));

/**
 * Multipart upload into a workspace's media library, streamed (see `handleUploadRequest`). Not
 * behind proxy.ts, so that large bodies are not buffered: `guardUploadRoute` does its checks.
 */
async function handlePost(req: Request) {
  const refused = await guardUploadRoute(req);
  if (refused) return refused;
  return upload(req);
}

export const POST = observed("/api/media/upload", handlePost);
