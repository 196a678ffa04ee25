/**
 * `npm run bench -- schedule`: 10,000 posts across 10 workspaces, all due within the same minute,
 * published by 2 `npm run worker` processes (the built dist/worker.mjs; `--worker source` runs
 * server/worker.ts through tsx) on PostgreSQL + Redis. By default the posts are TikTok
 * videos, YouTube Shorts and Instagram Reels in equal parts, published to the three stand-ins
 * (tests/fixtures/stand-ins, run in this process) with a small library video each (`--video-kb`,
 * 64): every workspace connects the three accounts through the real OAuth callback first.
 * `--platforms blog` is the earlier run of blog posts only; any comma-separated mix of blog,
 * tiktok, youtube and instagram works.
 *
 * Printed per platform and overall: published, missing, duplicates, and the lag from each post's
 * scheduled time to its `published_at` at p50/p95/p99/max. For the video platforms also the lag to
 * the moment the hand-over call reached the stand-in (TikTok's direct-post init, YouTube's upload
 * session, Instagram's container), the time from there to published, status polls per post, and
 * duplicates as the stand-ins saw them (posts created per item) besides those recorded in the
 * activity log. Goal: all published, 0 duplicates, p99 lag to going out under 5 s. A blog post goes
 * out at its `published_at`; a video when the platform receives it (the hand-over above). What
 * follows is the platform's processing, not the scheduler's lag: the stand-ins keep a post
 * processing for `--platform-polls` status polls (their default, 2) and the publisher polls 2 s
 * (TikTok) or 3 s (YouTube, Instagram) apart, so no video reaches `published_at` within 4–6 s of
 * its hand-over however fast the scheduler is (a real platform takes minutes). That lag is printed
 * beside it.
 *
 * A video publish holds its job while it polls (for up to CONTENT_PUBLISH_HOLD_MS, 10 s, of waiting;
 * then it gives the slot back to a delayed check), so each worker runs `--concurrency` (300 with
 * video, else 16) jobs at once, on a database pool of `--pool` (at most 20) connections. Run with
 * CONTENT_PUBLISH_HOLD_MS=0 to measure every wait handed back.
 *
 * `--stress`: the same with one busy process per CPU core beside the workers (each started and
 * killed by the bench), as on a host where something else eats the CPU. Goal there: p99 lag under
 * 10 s, 0 duplicates, 0 missed. Either way the posts are scheduled once every worker is up (its
 * metrics answer), and the workers' own metrics (WORKER_METRICS_PORT) are scraped at the end for
 * the repeating ticks' lateness (`organic_tick_lateness_seconds`) and job durations, and during the
 * run for the most jobs waiting for a database connection and in the content queue. Also printed:
 * the CPU seconds the workers, this process (stand-ins and the signed media route), the bench
 * database's PostgreSQL backends and Redis used, and the workers' garbage-collection seconds (their
 * default metrics); the statements the database ran; and the load
 * average before and after. `--profile DIR` writes each worker's V8 CPU profile to DIR when it
 * stops, and samples pg_stat_activity for the statements most often running or waiting.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import Redis from "ioredis";
import pg from "pg";
import { npmRunWorkerArgs, TSX_NODE_ARGS } from "@/scripts/tsx-node-args";
import { databaseBackendsCpu, postmasterPid, processCpuSeconds } from "./lib/cpu";
import { percentile, recreateDatabase } from "./lib/db";
import { databaseCounters, sampleActivity } from "./lib/pg-activity";
import { freePort, runToCompletion } from "./lib/process";
import {
  itemTag,
  prepareWorkspaces,
  type StandInView,
  standInView,
  startVideoStandIns,
  VIDEO_PLATFORMS,
  type VideoPlatform,
  type VideoStandIns,
  videoMetadata,
} from "./lib/video-platforms";
import { gauge, histogram, scrape, waitForWorkers } from "./lib/worker-metrics";

export const description =
  "10,000 TikTok/YouTube/Instagram posts due in one minute, 2 workers on PostgreSQL + Redis + stand-ins: lag and duplicates (--stress: CPU busy)";

const ROOT = path.resolve(import.meta.dirname, "..");
const log = (line: string) => process.stderr.write(`[bench schedule] ${line}\n`);

type Platform = "blog" | VideoPlatform;
const PLATFORMS: readonly Platform[] = ["blog", ...VIDEO_PLATFORMS];
const isVideo = (p: Platform): p is VideoPlatform => p !== "blog";

function flag(args: string[], name: string, fallback: number) {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive whole number`);
  return v;
}

function platformsFlag(args: string[]): Platform[] {
  const i = args.indexOf("--platforms");
  const list = (i >= 0 ? (args[i + 1] ?? "") : VIDEO_PLATFORMS.join(",")).split(",").filter(Boolean);
  const bad = list.filter((p) => !PLATFORMS.includes(p as Platform));
  if (list.length === 0 || bad.length)
    throw new Error(`--platforms takes a comma-separated list of ${PLATFORMS.join(", ")}`);
  return [...new Set(list)] as Platform[];
}

/** One process per core spinning forever: the CPU pressure of `--stress`. */
function startBusyProcesses(): ChildProcess[] {
  return os.cpus().map(() => spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
}

const exited = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;

/** SIGTERM (the workers hand their claims back), SIGKILL whatever is still there after `graceMs`. */
async function stopProcesses(children: ChildProcess[], graceMs = 20_000) {
  await Promise.all(
    children.map(async (c) => {
      if (exited(c)) return;
      const gone = new Promise((r) => c.once("exit", r));
      c.kill("SIGTERM");
      const timer = setTimeout(() => c.kill("SIGKILL"), graceMs);
      await gone;
      clearTimeout(timer);
    }),
  );
}

const lagSummary = (sorted: number[]) => ({
  p50: Math.round(percentile(sorted, 50)),
  p95: Math.round(percentile(sorted, 95)),
  p99: Math.round(percentile(sorted, 99)),
  max: Math.round(sorted.at(-1) ?? 0),
});
const sortedNumbers = (xs: number[]) => xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
const round1 = (x: number) => Math.round(x * 10) / 10;

/** Busy and total CPU seconds of the whole machine so far (Linux /proc/stat; null elsewhere). */
function machineCpuSeconds(): { busy: number; total: number } | null {
  try {
    const ticks = fs
      .readFileSync("/proc/stat", "utf8")
      .split("\n")[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0); // idle + iowait
    return { busy: (total - idle) / 100, total: total / 100 };
  } catch {
    return null;
  }
}

async function redisCpuSeconds(redis: Redis) {
  const info = await redis.info("cpu").catch(() => "");
  const read = (k: string) => Number(new RegExp(`^${k}:(\\S+)`, "m").exec(info)?.[1] ?? Number.NaN);
  return read("used_cpu_sys") + read("used_cpu_user");
}

export async function run(args: string[]) {
  const stress = args.includes("--stress");
  const platforms = platformsFlag(args);
  const videoPlatforms = platforms.filter(isVideo);
  const posts = flag(args, "posts", 10_000);
  const workspaceCount = flag(args, "workspaces", 10);
  const workerCount = flag(args, "workers", 2);
  // A video publish holds its job through the stand-ins' processing (status polls seconds apart), so
  // many more run at once than blog posts, which finish in milliseconds.
  const concurrency = flag(args, "concurrency", videoPlatforms.length ? 300 : 16);
  // Waiting on a platform holds no database connection: the pool stays small (max_connections).
  const poolSize = flag(args, "pool", Math.min(concurrency + 4, 20));
  const videoKb = flag(args, "video-kb", 64);
  const pollsAt = args.indexOf("--platform-polls");
  const platformPolls = pollsAt >= 0 ? flag(args, "platform-polls", 2) : undefined;
  const databaseUrl =
    process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/organic_bench_schedule";
  const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/14";
  const prefix = `organic-bench-${randomUUID().slice(0, 8)}`;
  const metricsToken = randomUUID();
  // `--profile DIR`: each worker writes a V8 CPU profile there when it stops (open in Chrome DevTools).
  const profileAt = args.indexOf("--profile");
  const profileDir = profileAt >= 0 ? path.resolve(args[profileAt + 1] ?? "bench-profiles") : null;
  // The workers run as `npm run worker` runs them (the built dist/worker.mjs, built here first);
  // `--worker source` runs server/worker.ts through tsx instead.
  const workerKind = args.includes("--worker") ? args[args.indexOf("--worker") + 1] : "built";
  if (workerKind !== "built" && workerKind !== "source") throw new Error("--worker is built or source");
  if (workerKind === "built") {
    log("building dist/worker.mjs (scripts/build-server.mjs)");
    await runToCompletion(process.execPath, ["scripts/build-server.mjs"], process.env);
  }
  const workerArgs = workerKind === "built" ? npmRunWorkerArgs(ROOT) : [...TSX_NODE_ARGS, "server/worker.ts"];
  const loadBefore = os.loadavg();
  log(`load average ${loadBefore.map((l) => l.toFixed(2)).join(" ")} on ${os.cpus().length} cores`);

  // Everything started is stopped in `finally`, and on Ctrl-C.
  const workers: ChildProcess[] = [];
  let busy: ChildProcess[] = [];
  let standIns: VideoStandIns | null = null;
  let db: pg.Pool | null = null;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-bench-schedule-"));
  const killAll = () => {
    for (const c of [...busy, ...workers]) if (!exited(c)) c.kill("SIGKILL");
  };
  // This run's queue keys and data folder (the database stays, recreated by the next run).
  const removeLeftovers = async () => {
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}:*`);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    await redis.quit();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const onSignal = () => {
    killAll();
    removeLeftovers().finally(() => process.exit(130));
  };
  process.once("exit", killAll);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    await recreateDatabase(databaseUrl, log);
    if (videoPlatforms.length) {
      standIns = await startVideoStandIns({ posts, pollsUntilDone: platformPolls });
      log(`stand-ins up: ${videoPlatforms.join(", ")}; signed media on ${standIns.appUrl}`);
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      WORKER_CONCURRENCY: String(concurrency),
      CONTENT_SCHEDULER_INTERVAL_MS: "1000",
      LOG_LEVEL: "warn",
      DATABASE_POOL_SIZE: String(poolSize),
      DATA_DIR: dataDir,
      // Shared by the workers and this process: tokens sealed here are read there, media URLs
      // signed there are checked here.
      ENCRYPTION_KEY: randomBytes(32).toString("hex"),
      BETTER_AUTH_SECRET: randomBytes(32).toString("hex"),
      ...standIns?.env,
    };
    // This process connects the accounts and serves the signed media route with the app's modules,
    // which read the environment when they load: set before the first import below.
    for (const k of Object.keys(env)) if (env[k] !== undefined) process.env[k] = env[k];

    // migrate through the CLI, as an operator would
    await new Promise<void>((resolve, reject) => {
      const c = spawn(process.execPath, [...TSX_NODE_ARGS, "cli/index.ts", "migrate", "--json"], {
        cwd: ROOT,
        env,
        stdio: "ignore",
      });
      c.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`migrate exited with ${code}`))));
    });

    db = new pg.Pool({ connectionString: databaseUrl, max: 4 });
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
    const videos = standIns
      ? await prepareWorkspaces({
          workspaceIds,
          ownerId: owner[0].id,
          platforms: videoPlatforms,
          standIns,
          videoBytes: videoKb * 1024,
        })
      : new Map<string, string>();
    if (standIns) log(`connected ${videoPlatforms.join(", ")} in ${workspaceCount} workspaces`);

    // Start the workers first, then make everything due within one minute starting 20 s from now.
    const metricsPorts: number[] = [];
    for (let i = 0; i < workerCount; i++) {
      const port = await freePort();
      metricsPorts.push(port);
      const profile = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
      const child = spawn(process.execPath, [...profile, ...workerArgs], {
        cwd: ROOT,
        env: { ...env, METRICS_TOKEN: metricsToken, WORKER_METRICS_PORT: String(port) },
        stdio: ["ignore", "ignore", "inherit"],
      });
      workers.push(child);
    }
    // A worker serves its metrics once its queues are running: schedule nothing before all are up,
    // so the lag measured is publishing's, not the workers' boot.
    await waitForWorkers(metricsPorts, metricsToken);
    log(`${workerCount} workers up (concurrency ${concurrency} each, database pool ${poolSize})`);
    if (stress) {
      busy = startBusyProcesses();
      log(`stress: ${busy.length} busy processes (one per core) beside the workers`);
    }

    // CPU from here on: workers, this process (stand-ins, signed media), the bench database's
    // backends, Redis (the whole server: other users' load included).
    const { rows: dataDirRow } = await db.query("show data_directory");
    const pm = postmasterPid(dataDirRow[0].data_directory);
    const databaseName = new URL(databaseUrl).pathname.slice(1);
    const pgCpu = pm ? databaseBackendsCpu(pm, databaseName) : null;
    const pgCounters = await databaseCounters(db, databaseName);
    const pgActivity = profileDir ? sampleActivity(db, databaseName) : null;
    const redis = new Redis(redisUrl);
    const redisCpuStart = await redisCpuSeconds(redis);
    const workerCpuStart = workers.map((w) => processCpuSeconds(w.pid!) ?? 0);
    const ownCpuStart = process.cpuUsage();
    const machineStart = machineCpuSeconds();
    const windowStart = Date.now();
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();

    const start = Date.now() + 20_000;
    const items = Array.from({ length: posts }, (_, j) => ({
      id: randomUUID(),
      platform: platforms[j % platforms.length]!,
      workspaceId: workspaceIds[j % workspaceCount]!,
      due: start + Math.floor((j / posts) * 60_000),
    }));
    const byId = new Map(items.map((it) => [it.id, it]));
    log(
      `inserting ${posts} posts (${platforms.join(", ")}) across ${workspaceCount} workspaces, due between +20 s and +80 s`,
    );
    for (let i = 0; i < posts; i += 1000) {
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (let j = i; j < Math.min(posts, i + 1000); j++) {
        const it = items[j]!;
        const k = values.length;
        tuples.push(
          `($${k + 1}, $${k + 2}, $${k + 3}, 'scheduled', $${k + 4}, $${k + 5}, $${k + 6}, $${k + 7}, $${k + 8})`,
        );
        values.push(
          it.id,
          it.workspaceId,
          it.platform,
          `Post ${j} ${itemTag(it.id)}`,
          `post-${j}`,
          `Bench body ${itemTag(it.id)} #organic`,
          new Date(it.due),
          JSON.stringify(isVideo(it.platform) ? videoMetadata(it.platform, videos.get(it.workspaceId)!) : {}),
        );
      }
      await db.query(
        `insert into content (id, workspace_id, type, status, title, slug, body, scheduled_at, metadata) values ${tuples.join(",")}`,
        values,
      );
    }

    const deadline = start + 60_000 + 240_000;
    let dbWaitingMax = 0;
    let contentQueueMax = 0;
    let published = 0;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2000));
      const { rows } = await db.query(
        "select type, status, count(*)::int as n from content group by type, status order by type",
      );
      published = rows.filter((r) => r.status === "published").reduce((s, r) => s + r.n, 0);
      const settled = rows
        .filter((r) => r.status !== "scheduled" && r.status !== "publishing")
        .reduce((s, r) => s + r.n, 0);
      const samples = await scrape(metricsPorts, metricsToken);
      dbWaitingMax = Math.max(
        dbWaitingMax,
        gauge(samples, "organic_db_pool_connections", { state: "waiting" }),
      );
      contentQueueMax = Math.max(
        contentQueueMax,
        gauge(samples, "organic_queue_jobs", { queue: "content", state: "waiting" }),
      );
      pgCpu?.sample();
      const byType = platforms
        .map((p) => `${p} ${rows.find((r) => r.type === p && r.status === "published")?.n ?? 0}`)
        .join(", ");
      log(`published ${published}/${posts} (${byType})`);
      if (settled >= posts && Date.now() > start + 60_000) break;
    }

    loopDelay.disable();
    const own = process.cpuUsage(ownCpuStart);
    const machineEnd = machineCpuSeconds();
    const windowS = (Date.now() - windowStart) / 1000;
    const workerCpu = workers.map((w, i) => (processCpuSeconds(w.pid!) ?? 0) - workerCpuStart[i]!);
    const redisCpu = (await redisCpuSeconds(redis)) - redisCpuStart;
    const postgresCpu = pgCpu?.total() ?? null;
    pgActivity?.stop();
    const statements = await pgCounters.delta();

    const { rows: finalRows } = await db.query(
      "select id, type, status, extract(epoch from published_at) * 1000 as published_ms from content",
    );
    const { rows: dupRows } = await db.query(
      `select c.type, count(*)::int - count(distinct a.entity_id)::int as duplicates
       from activity_logs a join content c on c.id = a.entity_id
       where a.action = 'content.published' group by c.type`,
    );
    const { rows: failures } = await db.query(
      `select type, metadata->'error'->>'message' as message, count(*)::int as n from content
       where status = 'failed' group by type, message order by n desc limit 10`,
    );

    for (const b of busy) b.kill("SIGKILL");
    const samples = await scrape(metricsPorts, metricsToken);
    const ticks = histogram(samples, "organic_tick_lateness_seconds", "tick");
    const jobs = histogram(samples, "organic_job_duration_seconds", "job", { outcome: "ok" });
    // The workers' garbage collection, summed over both, per kind (prom-client's default metrics).
    const gcSeconds: Record<string, number> = {};
    for (const s of samples)
      if (s.name === "organic_nodejs_gc_duration_seconds_sum")
        gcSeconds[s.labels.kind ?? "?"] = (gcSeconds[s.labels.kind ?? "?"] ?? 0) + s.value;
    for (const kind of Object.keys(gcSeconds)) gcSeconds[kind] = round1(gcSeconds[kind]!);

    const publishedMs = new Map<string, number>(
      finalRows.filter((r) => r.published_ms !== null).map((r) => [r.id, Number(r.published_ms)]),
    );
    const views = new Map<VideoPlatform, StandInView>();
    if (standIns) for (const p of videoPlatforms) views.set(p, standInView(standIns, p));

    const summarize = (want: (p: Platform) => boolean) => {
      const rows = finalRows.filter((r) => want(r.type));
      const done = rows.filter((r) => r.status === "published");
      const lags = sortedNumbers(done.map((r) => Number(r.published_ms) - byId.get(r.id)!.due));
      // Going out: a blog post's published_at, a video's hand-over to its platform.
      const outLags = rows.map((r) => {
        const it = byId.get(r.id)!;
        const view = isVideo(it.platform) ? views.get(it.platform) : undefined;
        if (view) return (view.handedOverAt.get(it.id) ?? Number.NaN) - it.due;
        return r.status === "published" ? Number(r.published_ms) - it.due : Number.NaN;
      });
      const handoffLags: number[] = [];
      const atPlatform: number[] = [];
      let statusCalls = 0;
      let statusCallsMax = 0;
      let platformDuplicates = 0;
      let notAtPlatform = 0;
      let requests = 0;
      for (const [p, view] of views) {
        if (!want(p)) continue;
        requests += view.requests;
        for (const it of items) {
          if (it.platform !== p) continue;
          const handedOver = view.handedOverAt.get(it.id) ?? Number.NaN;
          handoffLags.push(handedOver - it.due);
          atPlatform.push((publishedMs.get(it.id) ?? Number.NaN) - handedOver);
          const polls = view.statusCalls.get(it.id) ?? 0;
          statusCalls += polls;
          statusCallsMax = Math.max(statusCallsMax, polls);
          const n = view.posts.get(it.id) ?? 0;
          if (n === 0) notAtPlatform++;
          platformDuplicates += Math.max(0, n - 1);
        }
      }
      const dbDuplicates = dupRows.filter((r) => want(r.type)).reduce((s, r) => s + r.duplicates, 0);
      const anyVideo = platforms.some((p) => isVideo(p) && want(p));
      return {
        posts: rows.length,
        published: done.length,
        missing: rows.length - done.length,
        failed: rows.filter((r) => r.status === "failed").length,
        duplicates: dbDuplicates + platformDuplicates,
        lagMs: lagSummary(lags),
        outLagMs: lagSummary(sortedNumbers(outLags)),
        ...(anyVideo
          ? {
              handoffLagMs: lagSummary(sortedNumbers(handoffLags)),
              // From the hand-over to published_at: upload, the platform's processing and our polls.
              handoffToPublishedMs: lagSummary(sortedNumbers(atPlatform)),
              statusPollsPerPost: {
                mean: round1(statusCalls / Math.max(1, rows.length)),
                max: statusCallsMax,
              },
              duplicatesAtPlatform: platformDuplicates,
              duplicatesRecorded: dbDuplicates,
              notAtPlatform,
              standInRequests: requests,
            }
          : {}),
      };
    };
    const overall = summarize(() => true);
    const perPlatform = Object.fromEntries(platforms.map((p) => [p, summarize((t) => t === p)]));
    const lagGoalMs = stress ? 10_000 : 5000;
    const goal = {
      allPublished: overall.missing === 0,
      noDuplicates: overall.duplicates === 0,
      ...(stress
        ? { p99Under10sUnderStress: overall.outLagMs.p99 < lagGoalMs }
        : { p99Under5s: overall.outLagMs.p99 < lagGoalMs }),
    };
    const loadAfter = os.loadavg();

    const result = {
      bench: "schedule",
      platforms,
      posts,
      workspaces: workspaceCount,
      workers: workerCount,
      worker: workerKind === "built" ? "node dist/worker.mjs" : "tsx server/worker.ts",
      concurrencyPerWorker: concurrency,
      databasePoolPerWorker: poolSize,
      ...(standIns ? { videoBytes: videoKb * 1024, standIns: standIns.settings } : {}),
      published: overall.published,
      duplicates: overall.duplicates,
      missed: overall.missing,
      outLagMs: overall.outLagMs,
      lagMs: overall.lagMs,
      ...(overall.handoffLagMs ? { handoffLagMs: overall.handoffLagMs } : {}),
      perPlatform,
      failures: failures.map((f) => ({ type: f.type, message: f.message, n: f.n })),
      stress: stress ? { busyProcesses: busy.length, cores: os.cpus().length } : null,
      tickLateness: ticks,
      jobDuration: jobs,
      cpuSeconds: {
        workers: workerCpu.map(round1),
        workersGarbageCollection: gcSeconds,
        benchProcess: round1((own.user + own.system) / 1e6),
        postgresBenchDb: postgresCpu === null ? null : round1(postgresCpu),
        redisServer: round1(redisCpu),
        // Everything on the machine over the same window (other people's builds included).
        machine:
          machineStart && machineEnd
            ? {
                busy: round1(machineEnd.busy - machineStart.busy),
                available: round1(machineEnd.total - machineStart.total),
              }
            : null,
        windowS: round1(windowS),
      },
      benchEventLoopDelayMs: {
        p99: round1(loopDelay.percentile(99) / 1e6),
        max: round1(loopDelay.max / 1e6),
      },
      postgres: {
        ...statements,
        statementsPerPost: round1(statements.transactions / Math.max(1, overall.published)),
        ...(pgActivity ? { mostActive: pgActivity.top() } : {}),
      },
      workersWaitingForDbMax: dbWaitingMax,
      contentQueueWaitingMax: contentQueueMax,
      loadAverage: { before: loadBefore.map(round1), after: loadAfter.map(round1), cores: os.cpus().length },
      goal,
      pass: Object.values(goal).every(Boolean),
    };
    await redis.quit();

    const row = (name: string, s: ReturnType<typeof summarize>) =>
      `${name.padEnd(10)} ${String(s.published).padStart(6)}/${String(s.posts).padEnd(6)} missing ${String(s.missing).padStart(5)}  dup ${String(s.duplicates).padStart(3)}  out p50/p95/p99 ${s.outLagMs.p50}/${s.outLagMs.p95}/${s.outLagMs.p99} ms  published p99 ${s.lagMs.p99} ms`;
    log(
      `goal: every post published, 0 duplicates, p99 lag to going out (a video: its hand-over to the platform) < ${lagGoalMs / 1000} s`,
    );
    for (const p of platforms) log(row(p, perPlatform[p]!));
    log(row("overall", overall));
    log(result.pass ? "PASS" : `FAIL (${Object.keys(goal).filter((k) => !goal[k as keyof typeof goal])})`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    for (const b of busy) if (!exited(b)) b.kill("SIGKILL");
    await stopProcesses(workers);
    await standIns?.close();
    await db?.end();
    await removeLeftovers();
    process.off("exit", killAll);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
