import "server-only";
import { ipLimitResponse } from "@/lib/ratelimit";
import { isMalformedTarget, MALFORMED_TARGET_MESSAGE } from "@/lib/request-guard";
import { getDbHandle } from "@/server/db";
import { checkHealth, reuseHealthy } from "@/server/health";
import { observed } from "@/server/observability/http";
import { getQueue } from "@/server/queue";
import { checkIntegrationsHealth } from "@/server/services/integrations/health";

// A burst of probes asks the database and Redis once a second (server/health.ts: reuseHealthy).
const currentHealth = reuseHealthy(() => checkHealth({ db: getDbHandle, queue: getQueue }));

/**
 * GET /api/health, served by app/api/health/route.ts and by the API fast path
 * (server/http/api-fast-path.ts).
 */
async function handleHealth(req: Request) {
  // proxy.ts does not run for this route (lib/security-headers.ts: PROXY_FREE_PATHS).
  const { pathname, search } = new URL(req.url);
  if (isMalformedTarget(pathname, search))
    return Response.json({ error: MALFORMED_TARGET_MESSAGE }, { status: 400 });
  // Each check queries the database and Redis: past the per-IP limit, 429 before any of them.
  const limited = await ipLimitResponse(req.headers);
  if (limited) return limited;
  const [report, integrations] = await Promise.all([currentHealth(), checkIntegrationsHealth()]);
  // An external provider being down is reported, but does not make this instance unhealthy: a load
  // balancer must not take the app out of rotation because TikTok or Gmail is having a bad hour.
  return Response.json(
    { ...report, integrations },
    {
      status: report.status === "healthy" ? 200 : 503,
      headers: { "cache-control": "no-store" },
    },
  );
}

export const healthRoute = observed("/api/health", handleHealth);
