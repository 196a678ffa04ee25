import { getDb } from "@/server/db";
import { serveMedia } from "@/server/media-http";
import { observed } from "@/server/observability/http";

export const dynamic = "force-dynamic";

/**
 * Serves an uploaded file. Deliberately public, without a session: the public blog, RSS readers and
 * email clients must load cover images, and the asset id is a random UUID (122 bits), so the URL
 * itself is the capability — like a share link. Anyone the URL is given to can read the file;
 * nothing lists ids. Ranges are supported so videos can seek.
 */
async function handler(req: Request, { params }: { params: Promise<{ id: string; filename: string }> }) {
  const { id, filename } = await params;
  return serveMedia({ db: await getDb(), id, filename, method: req.method, headers: req.headers });
}

const observedHandler = observed("/api/media/[id]/[filename]", handler);

export { observedHandler as GET, observedHandler as HEAD };
