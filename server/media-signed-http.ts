import type { Db } from "@/server/db";
import { jsonError } from "@/server/http/errors";
import { serveMediaRow } from "@/server/media-http";
import { getMediaForServing } from "@/server/services/media";
import { verifyMediaToken } from "@/server/services/media-signed";

/**
 * GET/HEAD /api/media/signed/<token>: the file a valid, unexpired token names, with Range support
 * (served as /api/media/<id>/ is). A bad, tampered or expired token, or a file that is gone, is the
 * same bare 404, so the answer reveals nothing about which part was wrong.
 */
export async function serveSignedMedia(p: {
  db: Db;
  token: string;
  method: string;
  headers: Headers;
}): Promise<Response> {
  const claims = verifyMediaToken(p.token);
  if (!claims) return jsonError(404, "Not found");
  const row = await getMediaForServing(p.db, claims.id);
  if (!row || row.workspaceId !== claims.workspaceId) return jsonError(404, "Not found");
  const res = await serveMediaRow(row, p);
  // The address expires: no shared cache may keep serving it afterwards.
  const headers = new Headers(res.headers);
  headers.set("cache-control", "private, no-store");
  return new Response(res.body, { status: res.status, headers });
}
