import { limitStateHeaders, rateLimitHeaders, spendIpPoint } from "@/lib/ratelimit";
import { getDb } from "@/server/db";
import { RateLimitError } from "@/server/errors";
import { observed } from "@/server/observability/http";
import { clientIp } from "@/server/request-info";
import { trackClick } from "@/server/services/email/tracking";

export const dynamic = "force-dynamic";

const LIMIT = { name: "email-track-ip", points: 300, durationSeconds: 60 };

/**
 * A tracked link: records the click and redirects to the URL signed into the token. A token whose
 * signature does not check out gets a 400 — never a redirect to a URL nobody signed. Past the
 * per-IP limit (300 a minute): 429 with Retry-After. Every answer carries `X-RateLimit-*`.
 */
async function handleGet(req: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const ip = clientIp(req.headers);
  const state = await spendIpPoint(LIMIT, ip);
  if (state instanceof RateLimitError) {
    return new Response("Too many requests from your network. Try the link again in a minute.", {
      status: 429,
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "cache-control": "no-store",
        ...rateLimitHeaders(state),
      },
    });
  }
  const limitHeaders = limitStateHeaders(state);
  const url = await trackClick(
    await getDb(),
    token,
    { ip, userAgent: req.headers.get("user-agent"), headers: req.headers },
    true,
  );
  if (!url) {
    return new Response("This link is not valid. Check that it was copied completely.", {
      status: 400,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...limitHeaders },
    });
  }
  return new Response(null, {
    status: 302,
    headers: { location: url, "cache-control": "no-store", ...limitHeaders },
  });
}

export const GET = observed("/api/track/click/[token]", handleGet);
