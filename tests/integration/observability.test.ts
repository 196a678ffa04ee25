import { randomUUID } from "node:crypto";
import { TRPCClientError } from "@trpc/client";
import { sql } from "drizzle-orm";
import parsePrometheusTextFormat, { type PromFamily, type PromSample } from "parse-prometheus-text-format";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { GET as healthGet } from "@/app/api/health/route";
import { GET as metricsGet } from "@/app/api/metrics/route";
import { GET as trpcGet } from "@/app/api/trpc/[trpc]/route";
import { resetEnvCache } from "@/lib/env";
import { logger } from "@/lib/logger";
import { errorMessage } from "@/lib/trpc/client";
import { flushErrors, startErrorReporting, stopErrorReporting } from "@/server/observability/errors";
import { observed } from "@/server/observability/http";
import { startMetricsServer } from "@/server/observability/metrics-server";
import { inSpan } from "@/server/observability/spans";
import { startTracing } from "@/server/observability/tracing";
import { enqueue, getQueue, setQueue } from "@/server/queue";
import { BullQueue, startBullWorkers } from "@/server/queue/bullmq";
import { InlineQueue } from "@/server/queue/inline";
import { runJob } from "@/server/queue/run";
import { bindJob, createJobRegistry, defineJob } from "@/server/queue/types";
import { BASE, routeHandlersUse, TestBrowser } from "../helpers/auth-http";
import { startCollector } from "../helpers/collectors";
import { redisUrl, setupTestDb, usingPostgres } from "../helpers/db";

const handle = await setupTestDb();
routeHandlersUse(handle);

const TOKEN = "metrics-token-0123456789abcdef";
const saved = new Map<string, string | undefined>();
function setEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (!saved.has(k)) saved.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
}
afterEach(() => {
  for (const [k, v] of saved) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  saved.clear();
  resetEnvCache();
  vi.restoreAllMocks();
});

const okJob = defineJob({ queue: "system", name: "test.observed-ok", schema: z.object({}) });
const failJob = defineJob({ queue: "system", name: "test.observed-fail", schema: z.object({}) });
const sqlJob = defineJob({ queue: "system", name: "test.observed-sql", schema: z.object({}) });
const tickJob = defineJob({ queue: "system", name: "test.observed-tick", schema: z.object({}) });
const registry = createJobRegistry([
  bindJob(okJob, async () => "ok"),
  bindJob(failJob, async () => {
    throw new Error("this job fails");
  }),
  bindJob(sqlJob, async (_p, { db }) => db.execute(sql`select 1 as one`)),
  bindJob(tickJob, async () => "tick"),
]);
const run = (name: string) => runJob(registry, name, {}, { db: handle.db, jobId: randomUUID(), attempt: 1 });

const scrape = (authorization?: string) =>
  metricsGet(new Request(`${BASE}/api/metrics`, { headers: authorization ? { authorization } : {} }));

/**
 * A scrape, parsed with a Prometheus text-format parser: `families` by name with their types, and
 * `series`, every sample line by its own name (`x_count`, `x_sum`…) with its labels. (The parser
 * folds a histogram's labelled series into one, so histograms are read a second time as untyped.)
 */
async function parseScrape(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/plain");
  const text = await res.text();
  const families = new Map<string, PromFamily>(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
  const untyped = text.replace(/^# TYPE (\S+) histogram$/gm, "# TYPE $1 untyped");
  // Each labelled series of a histogram comes back as its own run of x_bucket, x_sum, x_count.
  const series = new Map<string, PromSample[]>();
  for (const f of parsePrometheusTextFormat(untyped))
    series.set(f.name, [...(series.get(f.name) ?? []), ...f.metrics]);
  const sample = (name: string, labels: Record<string, string>) =>
    series.get(name)?.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value;
  return { families, sample };
}

describe("metrics endpoint", () => {
  it("is 404 without METRICS_TOKEN, 401 without or with a wrong token", async () => {
    setEnv({ METRICS_TOKEN: undefined });
    expect((await scrape(`Bearer ${TOKEN}`)).status).toBe(404);
    setEnv({ METRICS_TOKEN: TOKEN });
    expect((await scrape()).status).toBe(401);
    expect((await scrape(`Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await scrape(`Bearer ${TOKEN.slice(0, -1)}`)).status).toBe(401);
    expect((await scrape(`Basic ${TOKEN}`)).status).toBe(401);
  });

  it("serves Prometheus text: HTTP latency by route, jobs by name, queue depth, DB pool", async () => {
    setEnv({ METRICS_TOKEN: TOKEN });
    expect((await healthGet(new Request(`${BASE}/api/health`))).status).toBeLessThan(600);
    await run(okJob.name);
    await expect(run(failJob.name)).rejects.toThrow("this job fails");

    const { families: f, sample } = await parseScrape(await scrape(`Bearer ${TOKEN}`));
    for (const name of [
      "organic_http_request_duration_seconds",
      "organic_job_duration_seconds",
      "organic_job_failures_total",
      "organic_tick_lateness_seconds",
      "organic_publish_lag_seconds",
      "organic_emails_sent_total",
      "organic_queue_jobs",
      "organic_db_pool_connections",
      "organic_process_resident_memory_bytes",
    ])
      expect(f.has(name), name).toBe(true);
    expect(f.get("organic_http_request_duration_seconds")!.type).toBe("HISTOGRAM");
    expect(f.get("organic_job_failures_total")!.type).toBe("COUNTER");
    expect(f.get("organic_queue_jobs")!.type).toBe("GAUGE");

    const health = { route: "/api/health", method: "GET" };
    expect(Number(sample("organic_http_request_duration_seconds_count", health))).toBeGreaterThanOrEqual(1);
    const ok = { job: okJob.name, outcome: "ok" };
    expect(sample("organic_job_duration_seconds_count", ok)).toBe("1");
    const failed = { job: failJob.name, outcome: "failed" };
    expect(sample("organic_job_duration_seconds_count", failed)).toBe("1");
    expect(sample("organic_job_failures_total", { job: failJob.name })).toBe("1");
    expect(sample("organic_job_failures_total", { job: okJob.name })).toBeUndefined();
    expect(sample("organic_queue_jobs", { queue: "content", state: "waiting" })).toBeDefined();
    if (usingPostgres) {
      expect(Number(sample("organic_db_pool_connections", { state: "total" }))).toBeGreaterThanOrEqual(1);
    }
  });

  it("a worker serves the same metrics on its own port, behind the same token", async () => {
    setEnv({ METRICS_TOKEN: TOKEN });
    const server = await startMetricsServer(0, "127.0.0.1");
    try {
      const { port } = server.address() as { port: number };
      const url = `http://127.0.0.1:${port}`;
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      expect((await fetch(`${url}/other`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(
        404,
      );
      const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const { families } = await parseScrape(res);
      expect(families.has("organic_job_duration_seconds")).toBe(true);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe("tick lateness", () => {
  it("records how late a repeating tick started when the event loop was busy", async () => {
    setEnv({ METRICS_TOKEN: TOKEN });
    const queue = new InlineQueue(async () => handle.db, { handlers: registry });
    queue.start(registry);
    await queue.repeat(tickJob, {}, 200);
    await new Promise((r) => setTimeout(r, 50));
    // Block the loop past two intervals: the next tick starts ≥ 0.5 s after it was due.
    const until = Date.now() + 700;
    while (Date.now() < until) {}
    await new Promise((r) => setTimeout(r, 300));
    await queue.stop(1000);
    const { sample } = await parseScrape(await scrape(`Bearer ${TOKEN}`));
    const tick = { tick: tickJob.name };
    expect(Number(sample("organic_tick_lateness_seconds_count", tick))).toBeGreaterThanOrEqual(2);
    expect(Number(sample("organic_tick_lateness_seconds_sum", tick))).toBeGreaterThanOrEqual(0.4);
    // The late one is in the buckets past 0.25 s, not only in the sum.
    const early = Number(sample("organic_tick_lateness_seconds_bucket", { ...tick, le: "0.25" }));
    expect(Number(sample("organic_tick_lateness_seconds_bucket", { ...tick, le: "+Inf" }))).toBeGreaterThan(
      early,
    );
  });
});

describe.skipIf(!redisUrl)("tick lateness on BullMQ (needs REDIS_URL)", () => {
  it("records the lateness of a job scheduler's runs in the worker", async () => {
    setEnv({ METRICS_TOKEN: TOKEN });
    const prefix = `organic-obs-${randomUUID().slice(0, 8)}`;
    const queue = new BullQueue(prefix);
    const bullTick = defineJob({ queue: "analytics", name: "test.observed-bull-tick", schema: z.object({}) });
    const bullRegistry = createJobRegistry([bindJob(bullTick, async () => "tick")]);
    const workers = startBullWorkers(bullRegistry, async () => handle.db, { prefix });
    try {
      // Every 3 s on an idle worker: each run starts well within 2.5 s of its due time (a due time
      // taken from the wrong field makes every run after the first look a whole interval late).
      await queue.repeat(bullTick, {}, 3000);
      const tick = { tick: bullTick.name };
      let count = 0;
      let onTime = 0;
      for (let i = 0; i < 150 && count < 3; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const { sample } = await parseScrape(await scrape(`Bearer ${TOKEN}`));
        count = Number(sample("organic_tick_lateness_seconds_count", tick) ?? 0);
        onTime = Number(sample("organic_tick_lateness_seconds_bucket", { ...tick, le: "2.5" }) ?? 0);
      }
      expect(count).toBeGreaterThanOrEqual(3);
      expect(onTime).toBe(count);
    } finally {
      await queue.unrepeat(bullTick);
      await workers.stop(2000);
      await queue.close();
    }
  });
});

describe("request ids", () => {
  it("takes a sane x-request-id, puts it in every log line of the request and in the response", async () => {
    const stream = (logger as unknown as Record<symbol, { write(s: string): boolean }>)[
      pino.symbols.streamSym
    ]!;
    const lines: string[] = [];
    vi.spyOn(stream, "write").mockImplementation((s: string) => {
      lines.push(String(s));
      return true;
    });
    const level = logger.level;
    logger.level = "info";
    try {
      const echo = observed("/test/echo", async () => {
        logger.info("inside the request");
        await new Promise((r) => setTimeout(r, 5));
        logger.child({ part: "nested" }).warn("after an await");
        return new Response("ok");
      });
      const res = await echo(new Request(`${BASE}/x`, { headers: { "x-request-id": "client-id-123" } }));
      expect(res.headers.get("x-request-id")).toBe("client-id-123");
      const ours = lines.map((l) => JSON.parse(l)).filter((l) => l.msg !== undefined);
      expect(ours.map((l) => [l.msg, l.requestId])).toEqual([
        ["inside the request", "client-id-123"],
        ["after an await", "client-id-123"],
      ]);

      const odd = await echo(
        new Request(`${BASE}/x`, { headers: { "x-request-id": "bad id\twith spaces" } }),
      );
      expect(odd.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      const none = await echo(new Request(`${BASE}/x`));
      expect(none.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(none.headers.get("x-request-id")).not.toBe(odd.headers.get("x-request-id"));
    } finally {
      logger.level = level;
    }
  });

  it("is in the header and in the data of every tRPC error, and the UI shows it as the reference", async () => {
    const res = await trpcGet(
      new Request(`${BASE}/api/trpc/workspace.list`, { headers: { "x-request-id": "trpc-req-0042" } }),
    );
    expect(res.status).toBe(401);
    expect(res.headers.get("x-request-id")).toBe("trpc-req-0042");
    const body = (await res.json()) as { error: { json: { message: string; data: { requestId: string } } } };
    expect(body.error.json.data.requestId).toBe("trpc-req-0042");
    const shown = errorMessage(TRPCClientError.from({ error: body.error.json } as never));
    expect(shown).toBe("Sign in to continue (Reference: trpc-req-0042)");
  });
});

describe("error reports", () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  beforeAll(async () => {
    collector = await startCollector();
  });
  afterAll(async () => {
    await stopErrorReporting();
    await collector.close();
  });

  it("sends an unexpected error of a route to a Sentry-compatible server, tagged with the request id", async () => {
    setEnv({ SENTRY_DSN: `http://public0key@127.0.0.1:${collector.port}/42` });
    expect(await startErrorReporting("web")).toBe(true);
    const boom = observed("/test/boom", async () => {
      throw new Error("boom for the error tracker");
    });
    await expect(
      boom(new Request(`${BASE}/boom`, { headers: { "x-request-id": "sentry-req-0001" } })),
    ).rejects.toThrow("boom for the error tracker");
    await flushErrors(5000);
    const envelope = await collector.waitFor((r) => r.path.startsWith("/api/42/envelope/"));
    expect(envelope.headers["x-sentry-auth"] ?? envelope.path).toContain("public0key");
    const items = envelope.body
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const event = items.find((i) => i.exception);
    expect(event.exception.values[0]).toMatchObject({ type: "Error", value: "boom for the error tracker" });
    expect(event.tags).toMatchObject({ request_id: "sentry-req-0001" });
  });
});

interface OtlpSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
}

describe("traces", () => {
  it("exports HTTP → route → tRPC → SQL, job → SQL, and a job under the request that enqueued it, to an OTLP/HTTP receiver", async () => {
    const collector = await startCollector();
    try {
      setEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url });
      const tracing = (await startTracing("web"))!;
      expect(tracing).not.toBeNull();
      const b = new TestBrowser("198.51.100.77");
      const email = `trace-${randomUUID().slice(0, 8)}@example.test`;
      expect(
        (await b.auth("/sign-up/email", { email, password: "correct horse battery", name: "T" })).status,
      ).toBe(200);
      expect((await b.auth("/sign-in/email", { email, password: "correct horse battery" })).status).toBe(200);
      expect((await b.trpc("query", "workspace.list")).status).toBe(200);
      await run(sqlJob.name);
      // A job enqueued inside a traced request continues that request's trace, in whichever process runs it.
      const previous = getQueue();
      const q = new InlineQueue(async () => handle.db);
      setQueue(q);
      try {
        await inSpan("enqueuing request", {}, () => enqueue(sqlJob, {}));
        // Run it outside the request's async context, as a worker would: only the payload links them.
        q.start(registry);
        await q.drain();
      } finally {
        await q.close();
        setQueue(previous);
      }
      await tracing.shutdown();

      const posts = collector.received.filter((r) => r.path === "/v1/traces");
      expect(posts.length).toBeGreaterThan(0);
      const spans: OtlpSpan[] = posts.flatMap((p) =>
        (JSON.parse(p.body).resourceSpans as { scopeSpans: { spans: OtlpSpan[] }[] }[]).flatMap((r) =>
          r.scopeSpans.flatMap((s) => s.spans),
        ),
      );
      const byId = new Map(spans.map((s) => [s.spanId, s]));
      const ancestors = (s: OtlpSpan) => {
        const names: string[] = [];
        for (
          let p = s.parentSpanId && byId.get(s.parentSpanId);
          p;
          p = p.parentSpanId && byId.get(p.parentSpanId)
        )
          names.push(p.name);
        return names;
      };
      const procedure = spans.find((s) => s.name === "trpc workspace.list");
      expect(procedure).toBeDefined();
      expect(ancestors(procedure!)).toContain("GET /api/trpc/[trpc]");
      const job = spans.find((s) => s.name === `job ${sqlJob.name}`);
      expect(job).toBeDefined();
      const enqueued = spans.filter(
        (s) => s.name === `job ${sqlJob.name}` && ancestors(s).includes("enqueuing request"),
      );
      expect(enqueued).toHaveLength(1);
      expect(enqueued[0]!.traceId).toBe(spans.find((s) => s.name === "enqueuing request")!.traceId);
      if (usingPostgres) {
        const sqlOf = (parent: OtlpSpan) =>
          spans.filter((s) => s.name.startsWith("pg.query") && ancestors(s).includes(parent.name));
        expect(sqlOf(procedure!).length).toBeGreaterThan(0);
        expect(sqlOf(job!).length).toBeGreaterThan(0);
      }
    } finally {
      await collector.close();
    }
  });
});
