import { consume, type LimitState, limitState, limitStateHeaders, rateLimitHeaders } from "@/lib/ratelimit";
import { getDb } from "@/server/db";
import { RateLimitError } from "@/server/errors";
import { observed } from "@/server/observability/http";
import { clientIp } from "@/server/request-info";
import { unsubscribeByToken } from "@/server/services/email/unsubscribe";

export const dynamic = "force-dynamic";

const LIMIT = { name: "email-unsubscribe-ip", points: 60, durationSeconds: 60 };

/**
 * RFC 8058 one-click unsubscribe: mail providers POST `List-Unsubscribe=One-Click` here, without
 * cookies or login; the signed token names the recipient and the list. The confirm page posts here
 * too (`confirm=1`) and is sent back to the page. Every answer carries `X-RateLimit-*`.
 */
async function handlePost(req: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const ip = clientIp(req.headers);
  let state: LimitState;
  try {
    state = limitState(LIMIT, await consume(LIMIT, ip ?? "unknown"));
  } catch (err) {
    if (err instanceof RateLimitError) {
      return new Response("Too many requests. Try again in a minute.", {
        status: 429,
        headers: { "content-type": "text/plain; charset=utf-8", ...rateLimitHeaders(err) },
      });
    }
    throw err;
  }
  const limitHeaders = limitStateHeaders(state);
  const body = (await req.text().catch(() => "")).slice(0, 2000);
  const form = new URLSearchParams(body);
  const fromPage = form.get("confirm") === "1";
  const ok = await unsubscribeByToken(await getDb(), token, {
    ip,
    userAgent: req.headers.get("user-agent"),
    via: fromPage ? "page" : "one-click",
  });
  if (!ok) {
    return new Response("This unsubscribe link is not valid.", {
      status: 400,
      headers: { "content-type": "text/plain; charset=utf-8", ...limitHeaders },
    });
  }
  if (fromPage) {
    return new Response(null, {
      status: 303,
      headers: { location: `/u/${encodeURIComponent(token)}?done=1`, ...limitHeaders },
    });
  }
  return new Response("You have been unsubscribed.", {
    status: 200,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...limitHeaders },
  });
}

export const POST = observed("/api/unsubscribe/[token]", handlePost);
