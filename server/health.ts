import "server-only";
import { isRedisEnabled } from "@/lib/env";
import { getRedis } from "@/lib/redis";
import type { DbHandle } from "./db";
import type { QueueAdapter } from "./queue";

export type ServiceState = "ok" | "down" | "disabled";

export interface HealthReport {
  status: "healthy" | "unhealthy";
  timestamp: string;
  mode: "embedded" | "scale-out";
  services: { database: ServiceState; redis: ServiceState; queue: ServiceState };
  queue: "inline" | "bullmq";
  failing: string[];
  errors?: Record<string, string>;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref(),
    ),
  ]);
}

/** Checks each part with a short timeout; any failing part makes the whole report unhealthy. */
export async function checkHealth(deps: {
  db: () => Promise<DbHandle>;
  queue: () => QueueAdapter;
  timeoutMs?: number;
}): Promise<HealthReport> {
  const timeoutMs = deps.timeoutMs ?? 2000;
  const errors: Record<string, string> = {};
  const check = async (name: string, fn: () => Promise<unknown>): Promise<ServiceState> => {
    try {
      await withTimeout(fn(), timeoutMs, name);
      return "ok";
    } catch (err) {
      errors[name] = err instanceof Error ? err.message : String(err);
      return "down";
    }
  };
  const redisOn = isRedisEnabled();
  const [database, redis, queue] = await Promise.all([
    check("database", async () => (await deps.db()).ping()),
    redisOn ? check("redis", async () => getRedis()!.ping()) : Promise.resolve<ServiceState>("disabled"),
    check("queue", async () => {
      if ((await deps.queue().health()) !== "ok") throw new Error("queue is not accepting jobs");
    }),
  ]);
  const services = { database, redis, queue };
  const failing = Object.entries(services)
    .filter(([, v]) => v === "down")
    .map(([k]) => k);
  return {
    status: failing.length ? "unhealthy" : "healthy",
    timestamp: new Date().toISOString(),
    mode: redisOn ? "scale-out" : "embedded",
    services,
    queue: deps.queue().kind,
    failing,
    ...(failing.length ? { errors } : {}),
  };
}

/**
 * `check`, with a healthy report reused for `ms`: under a burst of probes (several load balancers, a
 * monitoring system, a benchmark) the database and Redis are asked once per period, not once per
 * request, and concurrent probes share one check. An unhealthy report is not kept, so a recovery
 * shows on the next probe.
 */
export function reuseHealthy(check: () => Promise<HealthReport>, ms = 1000): () => Promise<HealthReport> {
  let recent: { at: number; report: Promise<HealthReport> } | undefined;
  return () => {
    if (recent && Date.now() - recent.at < ms) return recent.report;
    const entry = { at: Date.now(), report: check() };
    recent = entry;
    const forget = () => {
      if (recent === entry) recent = undefined;
    };
    entry.report.then((r) => r.status === "healthy" || forget(), forget);
    return entry.report;
  };
}
