import "server-only";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * The process's Prometheus metrics. Each process (web or worker) has its own registry and serves it
 * (`/api/metrics` on the web, `WORKER_METRICS_PORT` on a worker); Prometheus adds them up. Kept on
 * globalThis because Next loads route handlers and instrumentation as separate module graphs.
 */
function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "organic_" });
  const registers = [registry];
  return {
    registry,
    httpDuration: new Histogram({
      name: "organic_http_request_duration_seconds",
      help: "Time to answer an HTTP request, by route, method and status",
      labelNames: ["route", "method", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    jobDuration: new Histogram({
      name: "organic_job_duration_seconds",
      help: "Time a job's handler ran, by job name and outcome (ok, failed)",
      labelNames: ["job", "outcome"] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers,
    }),
    fastPathRequests: new Counter({
      name: "organic_http_fast_path_requests_total",
      help: "API requests answered before Next's router (server/http/api-fast-path.ts), by route",
      labelNames: ["route"] as const,
      registers,
    }),
    jobFailures: new Counter({
      name: "organic_job_failures_total",
      help: "Job attempts that threw, by job name",
      labelNames: ["job"] as const,
      registers,
    }),
    tickLateness: new Histogram({
      name: "organic_tick_lateness_seconds",
      help: "How late a repeating tick started after the time it was due, by tick",
      labelNames: ["tick"] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    publishLag: new Histogram({
      name: "organic_publish_lag_seconds",
      help: "Actual publish time minus scheduled time of content items",
      buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers,
    }),
    emailsSent: new Counter({
      name: "organic_emails_sent_total",
      help: "Emails handed to the mail server or API, by kind (campaign, system)",
      labelNames: ["kind"] as const,
      registers,
    }),
    queueDepth: new Gauge({
      name: "organic_queue_jobs",
      help: "Jobs in each queue by state, read when scraped",
      labelNames: ["queue", "state"] as const,
      registers,
    }),
    dbPool: new Gauge({
      name: "organic_db_pool_connections",
      help: "PostgreSQL pool clients of this process: total, idle, waiting (requests queued for a client)",
      labelNames: ["state"] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const g = globalThis as unknown as { organicMetrics?: Metrics };

export function metrics(): Metrics {
  g.organicMetrics ??= createMetrics();
  return g.organicMetrics;
}

/** Seconds since `startMs` (a Date.now() value). */
export const secondsSince = (startMs: number) => (Date.now() - startMs) / 1000;
