/**
 * A scale-out install for the topology test, everything on 127.0.0.1: a fresh PostgreSQL database,
 * a fresh queue prefix on Redis, s3rver as the bucket, an SMTP sink, a webhook receiver, 2 web
 * processes on the production build behind a round-robin proxy, and 2 workers — each process with a
 * DATA_DIR of its own, so nothing can pass between them on disk. `stop()` ends every process it
 * started and drops the database, whatever state the run is in.
 *
 *   TOPOLOGY_POSTGRES_URL  a database on the server to create the run's database from
 *                          (default postgres://postgres@127.0.0.1:5432/postgres)
 *   TOPOLOGY_DB_PREFIX     name prefix of the run's database (default organic_topology)
 *   TOPOLOGY_REDIS_URL     Redis (default redis://127.0.0.1:6379/0); keys under a fresh prefix
 */
import { execFile, spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "../../bench/lib/process";
import { startSmtpSink } from "../fixtures/smtp-sink";
import { startCollector } from "../helpers/collectors";
import { startS3Server } from "../helpers/s3-server";
import { startRoundRobinProxy, startWebhookReceiver } from "./http";
import { Processes, ROOT } from "./processes";

/** The address users know the install by; the proxy names it in X-Forwarded-Host/-Proto. */
export const PUBLIC_URL = "https://organic.topology.test";
/** The operator's From (EMAIL_FROM): its domain counts as verified for every workspace. */
/** The scrape token of every web process's /api/metrics. */
export const METRICS_TOKEN = "topology-metrics-token";
export const FROM_EMAIL = "news@topology.test";

export interface TopologyOptions {
  /** How long the SMTP sink holds each 250 back: a slow mail server keeps a campaign mid-send. */
  smtpDelayMs: number;
  /** EMAIL_STEP_DELAY_UNIT_MS: how long a minute of a step's delay lasts. */
  stepDelayUnitMs: number;
}

async function waitForHealth(url: string, isAlive: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`the server behind ${url} exited (last: ${last})`);
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000) });
      if (res.ok) return;
      last = `${res.status} ${(await res.text()).slice(0, 300)}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url}/api/health did not answer 200 within ${timeoutMs / 1000} s (last: ${last})`);
}

export async function startTopology(opts: TopologyOptions) {
  if (!fs.existsSync(path.join(ROOT, ".next", "BUILD_ID")))
    throw new Error("no production build: run `npm run build` before `npm run test:topology`");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-topology-"));
  const procs = new Processes(dir);
  const cleanups: (() => Promise<unknown>)[] = [];
  const adminUrl = process.env.TOPOLOGY_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const dbName = `${process.env.TOPOLOGY_DB_PREFIX ?? "organic_topology"}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const redisUrl = process.env.TOPOLOGY_REDIS_URL ?? "redis://127.0.0.1:6379/0";
  const queuePrefix = `topology-${randomUUID().slice(0, 8)}`;
  const teardownArgs = [
    path.join(import.meta.dirname, "teardown.mjs"),
    adminUrl,
    dbName,
    redisUrl,
    queuePrefix,
  ];

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // The processes first (they hold connections to everything else), then the rest, newest first.
      await procs.stopAll().catch((err) => console.error("topology: stopping processes failed", err));
      for (const cleanup of cleanups.reverse()) {
        await cleanup().catch((err) => console.error("topology: cleanup failed", err));
      }
      await promisify(execFile)(process.execPath, teardownArgs, { cwd: ROOT }).catch((err) =>
        console.error("topology: dropping the database and Redis keys failed", err),
      );
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    })());
  const killAll = () => {
    for (const p of procs.all) {
      try {
        process.kill(-p.pid, "SIGKILL");
      } catch {
        // gone
      }
    }
  };
  // A run stopped from outside (Ctrl-C, a CI timeout) still takes its processes down and drops its
  // database — synchronously: vitest may end this worker before anything asynchronous completes.
  const onSignal = () => {
    killAll();
    spawnSync(process.execPath, teardownArgs, { cwd: ROOT, stdio: "inherit", timeout: 20_000 });
    fs.rmSync(dir, { recursive: true, force: true });
    process.kill(process.pid, "SIGKILL");
  };
  process.once("exit", killAll);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  cleanups.push(async () => {
    process.removeListener("exit", killAll);
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  });

  try {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();

    const sink = await startSmtpSink({ delayMs: opts.smtpDelayMs });
    cleanups.push(() => sink.close());
    const s3 = await startS3Server("organic-topology");
    cleanups.push(() => s3.stop());
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    // web-1 exports its traces here: its fast path must keep the HTTP server span above the route's.
    const collector = await startCollector();
    cleanups.push(() => collector.close());

    // Only what a deployment would set: nothing of this shell's DATABASE_URL, REDIS_URL… leaks in.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LANG: process.env.LANG ?? "C.UTF-8",
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_LEVEL: "info",
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: "6",
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: queuePrefix,
      APP_URL: PUBLIC_URL,
      TRUST_PROXY: "true",
      SIGNUP: "open",
      BETTER_AUTH_SECRET: randomBytes(32).toString("hex"),
      ENCRYPTION_KEY: randomBytes(32).toString("hex"),
      FILE_STORAGE: "s3",
      ...s3.env,
      SMTP_URL: sink.url,
      EMAIL_FROM: `Topology Co <${FROM_EMAIL}>`,
      // Sender-domain lookups stay on this machine (a closed port); EMAIL_FROM's domain needs none.
      DNS_SERVERS: "127.0.0.1:9",
      // The webhook receiver is on 127.0.0.1, which the SSRF guard refuses unless allowed.
      WEBHOOKS_ALLOW_PRIVATE: "true",
      EMAIL_STEP_DELAY_UNIT_MS: String(opts.stepDelayUnitMs),
      CONTENT_SCHEDULER_INTERVAL_MS: "1000",
      // Every request reaches the app from the proxy's one address.
      HTTP_RATE_LIMIT_PER_MINUTE: "100000",
      METRICS_TOKEN: METRICS_TOKEN,
    };

    const ports = [await freePort(), await freePort()];
    // web-1 answers the JSON APIs on its fast path (server/http/api-fast-path.ts) and exports its
    // traces, web-2 goes through Next (API_FAST_PATH=false): the scenario runs on both, and a step
    // compares their answers.
    const webs = ports.map((port, i) =>
      procs.web(
        `web-${i + 1}`,
        port,
        i === 1 ? { ...env, API_FAST_PATH: "false" } : { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: collector.url },
      ),
    );
    const workers = [procs.worker("worker-1", env), procs.worker("worker-2", env)];
    const alive = (p: (typeof webs)[number]) => p.child.exitCode === null && p.child.signalCode === null;
    await Promise.all([
      ...webs.map((w, i) => waitForHealth(`http://127.0.0.1:${ports[i]}`, () => alive(w), 180_000)),
      ...workers.map((w) => procs.waitForLog(w, /"msg":"worker started"/, 180_000)),
    ]);
    const proxy = await startRoundRobinProxy(ports, PUBLIC_URL);
    cleanups.push(() => proxy.close());
    return { procs, webs, ports, workers, proxy, sink, s3, receiver, collector, dbName, queuePrefix, stop };
  } catch (err) {
    console.error(`topology did not start:\n${procs.tails()}`);
    await stop();
    throw err;
  }
}

export type Topology = Awaited<ReturnType<typeof startTopology>>;
