import { consume } from "@/lib/ratelimit";
import { getDb } from "@/server/db";
import { clientIp } from "@/server/request-info";
import { PIXEL_GIF, trackOpen } from "@/server/services/email/tracking";

export const dynamic = "force-dynamic";

const LIMIT = { name: "email-track-ip", points: 300, durationSeconds: 60 };

/** The open pixel. Always answers the GIF (mail clients show a broken image otherwise). */
export async function GET(req: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const ip = clientIp(req.headers);
  // Past the per-IP limit the pixel is still served, the open just isn't recorded.
  const allowed = await consume(LIMIT, ip ?? "unknown").then(
    () => true,
    () => false,
  );
  const valid = await trackOpen(
    await getDb(),
    token,
    { ip, userAgent: req.headers.get("user-agent"), headers: req.headers },
    allowed,
  ).catch(() => false);
  return new Response(new Uint8Array(PIXEL_GIF), {
    status: valid ? 200 : 400,
    headers: {
      "content-type": "image/gif",
      "content-length": String(PIXEL_GIF.length),
      "cache-control": "no-store, no-cache, must-revalidate, private",
      pragma: "no-cache",
    },
  });
}
