import { metricsAccess, renderMetrics } from "@/server/observability/scrape";

export const dynamic = "force-dynamic";

/**
 * Prometheus metrics of this web process, for a scraper holding METRICS_TOKEN
 * (`Authorization: Bearer <token>`). Not wrapped in `observed`: scrapes would time themselves.
 */
export async function GET(req: Request) {
  const access = metricsAccess(req.headers.get("authorization"));
  if (access === 404) return new Response("Not found", { status: 404 });
  if (access === 401) {
    return new Response("Unauthorized", {
      status: 401,
      headers: { "www-authenticate": 'Bearer realm="metrics"' },
    });
  }
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}
