import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { poolStats } from "@/server/db";
import { getQueue } from "@/server/queue";
import { metrics } from "./metrics";

/** The Prometheus text of this process, after reading the gauges that are only read on scrape. */
export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  const m = metrics();
  try {
    const depth = (await getQueue().depth?.()) ?? [];
    m.queueDepth.reset();
    for (const d of depth) m.queueDepth.set({ queue: d.queue, state: d.state }, d.count);
  } catch (err) {
    // Redis down: the scrape still answers (the health check reports Redis itself).
    logger.warn({ err }, "queue depth unavailable for metrics");
  }
  if (env().DATABASE_URL) {
    const pool = poolStats();
    m.dbPool.set({ state: "total" }, pool.total);
    m.dbPool.set({ state: "idle" }, pool.idle);
    m.dbPool.set({ state: "waiting" }, pool.waiting);
  }
  return { body: await m.registry.metrics(), contentType: m.registry.contentType };
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/**
 * Who may scrape: 404 when METRICS_TOKEN is not set (metrics are off), 401 for a missing or wrong
 * token (`Authorization: Bearer <token>`), compared in constant time.
 */
export function metricsAccess(authorization: string | null | undefined): 200 | 401 | 404 {
  const token = env().METRICS_TOKEN;
  if (!token) return 404;
  const given = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? "")?.[1] ?? "";
  // Equal-length digests, so neither the comparison nor its length check leaks the token.
  return timingSafeEqual(digest(given), digest(token)) ? 200 : 401;
}
