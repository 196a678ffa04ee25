/**
 * `npm run bench -- schedule`: 10,000 blog posts across 10 workspaces, all due within the same
 * minute, published by 2 `npm run worker` processes on PostgreSQL + Redis. Prints published count,
 * duplicates (publishes beyond one per post — must be 0) and the lag from scheduled_at to
 * published_at at p50/p99/max. Goal: all published, 0 duplicates, p99 lag under 5 s.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import Redis from "ioredis";
import pg from "pg";
import { TSX_NODE_ARGS } from "@/scripts/tsx-node-args";
import { percentile, recreateDatabase } from "./lib/db";

export const description =
  "10,000 posts due in one minute, 2 workers on PostgreSQL + Redis: lag and duplicates";

const ROOT = path.resolve(import.meta.dirname, "..");
const log = (line: string) => process.stderr.write(`[bench schedule] ${line}\n`);

function flag(args: string[], name: string, fallback: number) {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive whole number`);
  return v;
}

export async function run(args: string[]) {
  const posts = flag(args, "posts", 10_000);
  const workspaceCount = flag(args, "workspaces", 10);
  const workerCount = flag(args, "workers", 2);
  const concurrency = flag(args, "concurrency", 16);
  const databaseUrl =
    process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/organic_bench_schedule";
  const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/14";
  const prefix = `organic-bench-${randomUUID().slice(0, 8)}`;

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
  for (let i = 0; i < workerCount; i++) {
    const child = spawn(process.execPath, [...TSX_NODE_ARGS, "server/worker.ts"], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "ignore", "inherit"],
    });
    workers.push(child);
  }
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
    goal: {
      allPublished: published === posts,
      noDuplicates: dup[0].duplicates === 0,
      p99Under5s: percentile(lags, 99) < 5000,
    },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
