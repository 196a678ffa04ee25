/**
 * `npm run bench -- schedule`: 10,000 blog posts across 10 workspaces, all due within the same
 * minute, published by 2 `npm run worker` processes on PostgreSQL + Redis. Prints published count,
 * duplicates (publishes beyond one per post — must be 0) and the lag from scheduled_at to
 * published_at at p50/p99/max. Goal: all published, 0 duplicates, p99 lag under 5 s.
 *
 * `--stress`: the same with one busy process per CPU core beside the workers (each started and
 * killed by the bench), as on a host where something else eats the CPU. Goal there: p99 lag under
 * 10 s, 0 duplicates, 0 missed. Either way the posts are scheduled once every worker is up (its
 * metrics answer), and the workers' own metrics (WORKER_METRICS_PORT) are scraped at the end for
 * the repeating ticks' lateness (`organic_tick_lateness_seconds`). `--profile DIR` writes each
 * worker's V8 CPU profile to DIR when it stops.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import Redis from "ioredis";
import pg from "pg";
import { TSX_NODE_ARGS } from "@/scripts/tsx-node-args";
import { percentile, recreateDatabase } from "./lib/db";

export const description =
  "10,000 posts due in one minute, 2 workers on PostgreSQL + Redis: lag and duplicates (--stress: CPU busy)";

const ROOT = path.resolve(import.meta.dirname, "..");
const log = (line: string) => process.stderr.write(`[bench schedule] ${line}\n`);

function flag(args: string[], name: string, fallback: number) {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive whole number`);
  return v;
}

/** A port nobody listens on right now (for a worker's metrics). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitForWorkers(ports: number[], token: string, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  for (const port of ports) {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/metrics`, {
        headers: { authorization: `Bearer ${token}` },
      })
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`the worker with metrics on port ${port} did not start`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** One process per core spinning forever: the CPU pressure of `--stress`. */
function startBusyProcesses(): ChildProcess[] {
  return os.cpus().map(() => spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
}

/** Each tick's lateness from the workers' metrics: runs, mean and the bucket holding the p99. */
async function tickLateness(ports: number[], token: string) {
  const perTick = new Map<string, { count: number; sum: number; buckets: Map<number, number> }>();
  for (const port of ports) {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok) continue;
    for (const line of (await res.text()).split("\n")) {
      const m = /^organic_tick_lateness_seconds_(bucket|sum|count)\{([^}]*)\} (\S+)$/.exec(line);
      if (!m) continue;
      const tick = /tick="([^"]+)"/.exec(m[2]!)?.[1] ?? "?";
      const t = perTick.get(tick) ?? { count: 0, sum: 0, buckets: new Map<number, number>() };
      const value = Number(m[3]);
      if (m[1] === "count") t.count += value;
      else if (m[1] === "sum") t.sum += value;
      else {
        const le = /le="([^"]+)"/.exec(m[2]!)?.[1] ?? "+Inf";
        const bound = le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le);
        t.buckets.set(bound, (t.buckets.get(bound) ?? 0) + value);
      }
      perTick.set(tick, t);
    }
  }
  return Object.fromEntries(
    [...perTick].map(([tick, t]) => {
      const p99Bound = [...t.buckets].sort((a, b) => a[0] - b[0]).find(([, n]) => n >= t.count * 0.99)?.[0];
      return [
        tick,
        {
          runs: t.count,
          meanS: t.count ? Number((t.sum / t.count).toFixed(3)) : 0,
          p99AtMostS: p99Bound === Number.POSITIVE_INFINITY ? ">60" : p99Bound,
        },
      ];
    }),
  );
}

export async function run(args: string[]) {
  const stress = args.includes("--stress");
  const posts = flag(args, "posts", 10_000);
  const workspaceCount = flag(args, "workspaces", 10);
  const workerCount = flag(args, "workers", 2);
  const concurrency = flag(args, "concurrency", 16);
  const databaseUrl =
    process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/organic_bench_schedule";
  const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/14";
  const prefix = `organic-bench-${randomUUID().slice(0, 8)}`;
  const metricsToken = randomUUID();
  // `--profile DIR`: each worker writes a V8 CPU profile there when it stops (open in Chrome DevTools).
  const profileAt = args.indexOf("--profile");
  const profileDir = profileAt >= 0 ? path.resolve(args[profileAt + 1] ?? "bench-profiles") : null;

  await recreateDatabase(databaseUrl, log);
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    WORKER_CONCURRENCY: String(concurrency),
    CONTENT_SCHEDULER_INTERVAL_MS: "1000",
    LOG_LEVEL: "warn",
    DATABASE_POOL_SIZE: String(concurrency + 4),
  };
  // migrate through the CLI, as an operator would
  await new Promise<void>((resolve, reject) => {
    const c = spawn(process.execPath, [...TSX_NODE_ARGS, "cli/index.ts", "migrate", "--json"], {
      cwd: ROOT,
      env,
      stdio: "ignore",
    });
    c.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`migrate exited with ${code}`))));
  });

  const db = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  const { rows: owner } = await db.query(
    "insert into users (email, name) values ($1, 'Bench Owner') returning id",
    [`bench-${randomUUID().slice(0, 8)}@example.test`],
  );
  const workspaceIds: string[] = [];
  for (let w = 0; w < workspaceCount; w++) {
    const { rows } = await db.query(
      "insert into workspaces (name, slug, owner_id) values ($1, $2, $3) returning id",
      [`Bench ${w}`, `bench-${w}-${randomUUID().slice(0, 6)}`, owner[0].id],
    );
    workspaceIds.push(rows[0].id);
    await db.query("insert into workspace_members (workspace_id, user_id, role) values ($1, $2, 'owner')", [
      rows[0].id,
      owner[0].id,
    ]);
  }

  // Start the workers first, then make everything due within one minute starting 20 s from now.
  const workers: ChildProcess[] = [];
  const metricsPorts: number[] = [];
  for (let i = 0; i < workerCount; i++) {
    const port = await freePort();
    metricsPorts.push(port);
    const profile = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
    const child = spawn(process.execPath, [...profile, ...TSX_NODE_ARGS, "server/worker.ts"], {
      cwd: ROOT,
      env: { ...env, METRICS_TOKEN: metricsToken, WORKER_METRICS_PORT: String(port) },
      stdio: ["ignore", "ignore", "inherit"],
    });
    workers.push(child);
  }
  // A worker serves its metrics once its queues are running: schedule nothing before all are up,
  // so the lag measured is publishing's, not the workers' boot.
  await waitForWorkers(metricsPorts, metricsToken);
  log(`${workerCount} workers up`);
  const busy = stress ? startBusyProcesses() : [];
  if (stress) log(`stress: ${busy.length} busy processes (one per core) beside the workers`);
  const stopBusy = () => {
    for (const b of busy) if (b.exitCode === null) b.kill("SIGKILL");
  };
  process.once("exit", stopBusy);
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => {
      stopBusy();
      process.exit(130);
    });
  const start = Date.now() + 20_000;
  log(`inserting ${posts} posts across ${workspaceCount} workspaces, due between +20 s and +80 s`);
  for (let i = 0; i < posts; i += 1000) {
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (let j = i; j < Math.min(posts, i + 1000); j++) {
      const k = values.length;
      tuples.push(`($${k + 1}, 'blog', 'scheduled', $${k + 2}, $${k + 3}, 'Bench body', $${k + 4})`);
      values.push(
        workspaceIds[j % workspaceCount],
        `Post ${j}`,
        `post-${j}`,
        new Date(start + Math.floor((j / posts) * 60_000)),
      );
    }
    await db.query(
      `insert into content (workspace_id, type, status, title, slug, body, scheduled_at) values ${tuples.join(",")}`,
      values,
    );
  }

  const deadline = start + 60_000 + 240_000;
  let published = 0;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2000));
    const { rows } = await db.query("select count(*)::int as n from content where status = 'published'");
    published = rows[0].n;
    log(`published ${published}/${posts}`);
    if (published >= posts && Date.now() > start + 60_000) break;
  }

  const { rows: lagRows } = await db.query(
    "select extract(epoch from (published_at - scheduled_at)) * 1000 as lag from content where status = 'published'",
  );
  const lags = lagRows.map((r) => Number(r.lag)).sort((a, b) => a - b);
  const { rows: dup } = await db.query(
    "select count(*)::int - count(distinct entity_id)::int as duplicates from activity_logs where action = 'content.published'",
  );
  const { rows: states } = await db.query("select status, count(*)::int as n from content group by status");

  stopBusy();
  const ticks = await tickLateness(metricsPorts, metricsToken).catch(() => ({}));
  for (const w of workers) w.kill("SIGTERM");
  await Promise.all(
    workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.on("exit", r)))),
  );
  await db.end();
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${prefix}:*`);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  await redis.quit();

  const result = {
    bench: "schedule",
    posts,
    workspaces: workspaceCount,
    workers: workerCount,
    concurrencyPerWorker: concurrency,
    published,
    duplicates: dup[0].duplicates,
    statuses: Object.fromEntries(states.map((s) => [s.status, s.n])),
    lagMs: {
      p50: Math.round(percentile(lags, 50)),
      p99: Math.round(percentile(lags, 99)),
      max: Math.round(lags.at(-1) ?? 0),
    },
    missed: posts - published,
    stress: stress ? { busyProcesses: busy.length, cores: os.cpus().length } : null,
    tickLateness: ticks,
    goal: {
      allPublished: published === posts,
      noDuplicates: dup[0].duplicates === 0,
      ...(stress
        ? { p99Under10sUnderStress: percentile(lags, 99) < 10_000 }
        : { p99Under5s: percentile(lags, 99) < 5000 }),
    },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
