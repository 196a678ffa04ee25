import "server-only";
import { env } from "@/lib/env";
import { staticApiSecurityHeaders } from "@/lib/security-headers";
import { restRoute } from "@/server/api/rest/http";
import { trpcRoute } from "@/server/api/trpc-http";
import { healthRoute } from "@/server/health-http";
import { metrics } from "@/server/observability/metrics";
import { type FastRoute, serveApiFastPath } from "./api-fast-path";

/**
 * The routes the API fast path answers (server/http/api-fast-path.ts): the ones proxy.ts does not
 * run for (lib/security-headers.ts: PROXY_FREE_PATHS, whose plain paths match proxy.ts's matcher),
 * each with the methods its app/api route file exports. The streamed uploads of the app itself
 * (/api/media/upload, /api/leads/import/upload) read the session through Next and stay with it.
 */
export function apiFastRoutes(): FastRoute[] {
  const all = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
  return [
    { name: "/api/v1/[...path]", path: /^\/api\/v1\/[A-Za-z0-9/._~-]*$/, methods: all, handle: restRoute },
    {
      name: "/api/trpc/[trpc]",
      path: /^\/api\/trpc\/[A-Za-z0-9.,]*$/,
      methods: new Set(["GET", "POST"]),
      handle: trpcRoute,
    },
    { name: "/api/health", path: /^\/api\/health$/, methods: new Set(["GET"]), handle: healthRoute },
  ];
}

/**
 * Hands the routes to the fast path, in the production server unless API_FAST_PATH=false. Not in
 * `next dev`, whose route files reload on edit while these would not.
 */
export function startApiFastPath() {
  const e = env();
  if (e.NODE_ENV !== "production" || !e.API_FAST_PATH) return;
  const counter = metrics().fastPathRequests;
  serveApiFastPath({
    routes: apiFastRoutes(),
    headers: Object.entries(staticApiSecurityHeaders(true)),
    taken: (route) => counter.inc({ route: route.name }),
  });
}
