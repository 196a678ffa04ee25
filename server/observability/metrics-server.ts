import "server-only";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { logger } from "@/lib/logger";
import { metricsAccess, renderMetrics } from "./scrape";

/**
 * A worker's metrics (jobs run there in scale-out): GET /metrics on `port`, with the same
 * METRICS_TOKEN rule as the web's /api/metrics. Started by the worker when WORKER_METRICS_PORT is set.
 */
export async function startMetricsServer(port: number, host = "0.0.0.0"): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    void (async () => {
      if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
        res.writeHead(404).end("Not found");
        return;
      }
      const access = metricsAccess(req.headers.authorization);
      if (access !== 200) {
        res.writeHead(access, access === 401 ? { "www-authenticate": 'Bearer realm="metrics"' } : {});
        res.end(access === 401 ? "Unauthorized" : "Not found");
        return;
      }
      const { body, contentType } = await renderMetrics();
      res.writeHead(200, { "content-type": contentType, "cache-control": "no-store" }).end(body);
    })().catch((err) => {
      logger.error({ err }, "metrics scrape failed");
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  logger.info({ port: (server.address() as AddressInfo).port }, "worker metrics listening on /metrics");
  return server;
}
