import { getDb } from "@/server/db";
import { observed } from "@/server/observability/http";
import { clientIp } from "@/server/request-info";
import { handleOAuthCallback } from "@/server/services/integrations/callback";
import { getSessionUser, requestBaseUrl } from "@/server/session";

export const dynamic = "force-dynamic";

/** Where Instagram sends the browser back after the user approves (or refuses) the connect. */
async function handleGet(req: Request) {
  const user = await getSessionUser(req.headers);
  const outcome = await handleOAuthCallback(await getDb(), {
    provider: "instagram",
    url: new URL(req.url),
    userId: user?.id ?? null,
    ip: clientIp(req.headers),
    userAgent: req.headers.get("user-agent"),
  });
  if ("redirect" in outcome) {
    return Response.redirect(new URL(outcome.redirect, requestBaseUrl(req.headers)), 303);
  }
  return new Response(outcome.message, {
    status: outcome.status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}

export const GET = observed("/api/integrations/instagram/callback", handleGet);
