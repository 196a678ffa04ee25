import { getDb } from "@/server/db";
import { serveSignedMedia } from "@/server/media-signed-http";
import { observed } from "@/server/observability/http";

export const dynamic = "force-dynamic";

/**
 * A media library file through a signed, expiring token (server/services/media-signed.ts): how
 * Instagram downloads a Reel's video. Public by design; the token is the capability.
 */
async function handler(req: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return serveSignedMedia({ db: await getDb(), token, method: req.method, headers: req.headers });
}

const observedHandler = observed("/api/media/signed/[token]", handler);

export { observedHandler as GET, observedHandler as HEAD };
