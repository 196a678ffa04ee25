import { ipLimitResponse } from "@/lib/ratelimit";
import { isMalformedTarget, MALFORMED_TARGET_MESSAGE } from "@/lib/request-guard";
import { getDbHandle } from "@/server/db";
import { checkHealth, reuseHealthy } from "@/server/health";
import { observed } from "@/server/observability/http";
import { getQueue } from "@/server/queue";
import { checkIntegrationsHealth } from "@/server/services/integrations/health";

export const dynamic = "force-dynamic";

// A burst of probes asks the database and Redis once a second (server/health.ts: reuseHealthy).
const currentHealth = reuseHealthy(() => checkHealth({ db: getDbHandle, queue: getQueue }));

async function handleGet(req: Request) {
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

export const GET = observed("/api/health", handleGet);
