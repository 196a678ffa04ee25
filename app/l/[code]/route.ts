import { limitStateHeaders, rateLimitHeaders, spendIpPoint } from "@/lib/ratelimit";
import { getDb } from "@/server/db";
import { RateLimitError } from "@/server/errors";
import { observed } from "@/server/observability/http";
import { clientIp } from "@/server/request-info";
import { followLink } from "@/server/services/links/links";

export const dynamic = "force-dynamic";

const LIMIT = { name: "tracked-link-ip", points: 300, durationSeconds: 60 };

const text = (body: string, status: number, headers: Record<string, string>) =>
  new Response(body, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers },
  });

/**
 * A tracked short link (`/l/<code>`): counts the visit (people and machines apart, no cookie) and
 * redirects to the link's destination with its UTM parameters. A code nobody issued is a 404.
 * Past the per-IP limit (300 a minute): 429 with Retry-After. Every answer carries `X-RateLimit-*`.
 */
async function handle(req: Request, { params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const ip = clientIp(req.headers);
  const state = await spendIpPoint(LIMIT, ip);
  if (state instanceof RateLimitError) {
    return text(
      "Too many requests from your network. Try the link again in a minute.",
      429,
      rateLimitHeaders(state),
    );
  }
  const limitHeaders = limitStateHeaders(state);
  const url = await followLink(await getDb(), code, {
    ip,
    userAgent: req.headers.get("user-agent"),
    headers: req.headers,
    method: req.method,
  });
  if (!url) return text("This link does not exist. Check that it was copied completely.", 404, limitHeaders);
  return new Response(null, {
    status: 302,
    headers: { location: url, "cache-control": "no-store", ...limitHeaders },
  });
}

export const GET = observed("/l/[code]", handle);
export const HEAD = observed("/l/[code]", handle);
