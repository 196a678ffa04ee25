import { limitStateHeaders, rateLimitHeaders, spendIpPoint } from "@/lib/ratelimit";
import { getDb } from "@/server/db";
import { RateLimitError } from "@/server/errors";
import { observed } from "@/server/observability/http";
import { clientIp } from "@/server/request-info";
import { PIXEL_GIF, trackOpen } from "@/server/services/email/tracking";

export const dynamic = "force-dynamic";

const LIMIT = { name: "email-track-ip", points: 300, durationSeconds: 60 };

const GIF_HEADERS = {
  "content-type": "image/gif",
  "content-length": String(PIXEL_GIF.length),
  "cache-control": "no-store, no-cache, must-revalidate, private",
  pragma: "no-cache",
};

/**
 * The open pixel. Always answers the GIF (mail clients show a broken image otherwise); past the
 * per-IP limit with 429 and Retry-After, and the open is not recorded. `X-RateLimit-*` on every answer.
 */
async function handleGet(req: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const ip = clientIp(req.headers);
  const state = await spendIpPoint(LIMIT, ip);
  if (state instanceof RateLimitError) {
    return new Response(new Uint8Array(PIXEL_GIF), {
      status: 429,
      headers: { ...GIF_HEADERS, ...rateLimitHeaders(state) },
    });
  }
  const valid = await trackOpen(
    await getDb(),
    token,
    { ip, userAgent: req.headers.get("user-agent"), headers: req.headers },
    true,
  ).catch(() => false);
  return new Response(new Uint8Array(PIXEL_GIF), {
    status: valid ? 200 : 400,
    headers: { ...GIF_HEADERS, ...limitStateHeaders(state) },
  });
}

export const GET = observed("/api/track/open/[token]", handleGet);
