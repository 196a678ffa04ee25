/**
 * `npm run bench -- send [--leads 100000] [--workers 2] [--worker built|source]`: one one-time
 * campaign to N leads on PostgreSQL + Redis, sent by worker processes to an SMTP sink in this process,
 * rate limit off; and the same number of messages sent by the bare sender (bench/lib/bare-sender.mjs:
 * nodemailer pools, as many processes and connections as the workers use, no database) to a fresh
 * sink, before the campaign and again after it. Prints the rates and the ratio to the bare sender's
 * mean, where the campaign's time went, each side's peak RSS and CPU per message, the worker's
 * start-up time (spawn to "worker started", built and from source), duplicates and missing (both 0).
 *
 * The worker is started as `npm run worker` starts it, `node … dist/worker.mjs` (built here first by
 * scripts/build-server.mjs); `--worker source` runs server/worker.ts through tsx instead.
 * `--plain` leaves out issue 19's suppression list and per-lead time zones, to compare with them on.
 * BENCH_WORKER_NODE_FLAGS adds Node flags to the workers (e.g. heap limits, to compare).
 * Goals (issue 16): ≥ 0.7 of the bare sender's rate, worker peak RSS ≤ 150 MB, start-up < 2 s.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Redis from "ioredis";
import pg from "pg";
import { npmRunWorkerArgs, TSX_NODE_ARGS } from "@/scripts/tsx-node-args";
import { startSmtpSink } from "../tests/fixtures/smtp-sink";
import { databaseBackendsCpu, postmasterPid } from "./lib/cpu";
import { recreateDatabase } from "./lib/db";
import { runToCompletion } from "./lib/process";
import { BENCH_EMAIL_FROM, BENCH_SENDER } from "./lib/sender";

export const description =
  "100,000-lead campaign, 2 workers, local SMTP sink: messages/s, duplicates, missing";

const ROOT = path.resolve(import.meta.dirname, "..");
const log = (line: string) => process.stderr.write(`[bench send] ${line}\n`);

function flag(args: string[], name: string, fallback: number) {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive whole number`);
  return v;
}

/** CPU time (user + system) a process has used so far, in seconds; 0 where /proc is not available. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name)
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Peak resident set (VmHWM) of a process, in MB; 0 where /proc is not available. */
function peakRssMb(pid: number | undefined): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

/** Milliseconds from spawning a worker to its "worker started" line (then it is stopped). */
async function startUpMs(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...env, LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    return await new Promise<number>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (d) => {
        out += d;
        if (out.includes('"worker started"')) resolve(performance.now() - started);
      });
      child.on("exit", (code) => reject(new Error(`worker exited with ${code} before it started`)));
    });
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.on("exit", r)));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The bare sender (bench/lib/bare-sender.mjs) in `processes` processes, `count` messages in all. */
async function bareSend(count: number, processes: number, connections: number) {
  const sink = await startSmtpSink({ keepRaw: false });
  const started = Date.now();
  const per = Math.ceil(count / processes);
  const results = await Promise.all(
    Array.from({ length: processes }, (_, i) =>
      runToCompletion(process.execPath, ["bench/lib/bare-sender.mjs"], {
        ...process.env,
        SMTP_URL: sink.url,
        FROM: String(1 + i * per),
        TO: String(1 + Math.min(count, (i + 1) * per)),
        MAX_CONNECTIONS: String(connections),
      }).then((out) => JSON.parse(out) as { sent: number; ms: number; cpuMs: number; peakRssMb: number }),
    ),
  );
  const seconds = (Date.now() - started) / 1000;
  const received = sink.received.length;
  await sink.close();
  return {
    messagesPerSecond: Math.round(received / seconds),
    received,
    peakRssMb: Math.max(...results.map((r) => r.peakRssMb)),
    cpuMsPerMessage: Number((results.reduce((a, r) => a + r.cpuMs, 0) / Math.max(1, received)).toFixed(3)),
    timeline: sendTimeline(sink.received, started, seconds),
  };
}

/**
 * Where the campaign's time went, from the start (before the audience is resolved) in ms: the first
 * and last message at the sink, the end (campaign `sent`), and the rate between the 10th and the
 * 90th percentile of messages — the sending alone, without the start and the tail.
 */
function sendTimeline(received: { receivedAt: number }[], started: number, seconds: number) {
  const at = received.map((m) => m.receivedAt).sort((a, b) => a - b);
  if (at.length < 10) return null;
  const lo = Math.floor(at.length * 0.1);
  const hi = Math.floor(at.length * 0.9);
  return {
    firstMessageMs: at[0]! - started,
    lastMessageMs: at.at(-1)! - started,
    finishedMs: Math.round(seconds * 1000),
    middleMessagesPerSecond: Math.round((hi - lo) / ((at[hi]! - at[lo]!) / 1000)),
  };
}

export async function run(args: string[]) {
  const leadCount = flag(args, "leads", 100_000);
  const workerCount = flag(args, "workers", 2);
  const parallelism = flag(args, "parallelism", 8);
  // `--cpu-prof`: workers write V8 CPU profiles to $BENCH_PROFILE_DIR (default
  // /tmp/organic-send-profiles); open them in Chrome DevTools.
  const cpuProf = args.includes("--cpu-prof");
  const plain = args.includes("--plain");
  const workerKind = args.includes("--worker") ? args[args.indexOf("--worker") + 1] : "built";
  if (workerKind !== "built" && workerKind !== "source") throw new Error("--worker is built or source");
  if (workerKind === "built") {
    log("building dist/worker.mjs (scripts/build-server.mjs)");
    await runToCompletion(process.execPath, ["scripts/build-server.mjs"], process.env);
  }
  const extraFlags = (process.env.BENCH_WORKER_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  const workerArgs = (kind: string) => [
    ...extraFlags,
    ...(kind === "built" ? npmRunWorkerArgs(ROOT) : [...TSX_NODE_ARGS, "server/worker.ts"]),
  ];
  const databaseUrl =
    process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/organic_bench_send";
  const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/13";
  const prefix = `organic-bench-send-${randomUUID().slice(0, 8)}`;

  await recreateDatabase(databaseUrl, log);
  const sink = await startSmtpSink({ keepRaw: false });
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    SMTP_URL: sink.url,
    APP_URL: "https://bench.example",
    // The campaign's From is at the operator's own sender domain, which needs no DNS proof.
    EMAIL_FROM: BENCH_EMAIL_FROM,
    LOG_LEVEL: "warn",
    WORKER_CONCURRENCY: String(parallelism),
    EMAIL_SENDER_PARALLELISM: String(parallelism),
    EMAIL_SEND_BATCH_SIZE: "200",
    EMAIL_SEND_CONCURRENCY: "25",
    EMAIL_SMTP_MAX_CONNECTIONS: "25",
    EMAIL_SENDER_INTERVAL_MS: "500",
    DATABASE_POOL_SIZE: String(parallelism + 6),
  };
  await new Promise<void>((resolve, reject) => {
    const c = spawn(process.execPath, [...TSX_NODE_ARGS, "cli/index.ts", "migrate", "--json"], {
      cwd: ROOT,
      env,
      stdio: "ignore",
    });
    c.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`migrate exited with ${code}`))));
  });

  // Start-up (the database is migrated, so both measure the same work): three of each, the median.
  const startUp: Record<string, number> = {};
  for (const kind of workerKind === "built" ? ["built", "source"] : ["source"]) {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) times.push(await startUpMs(workerArgs(kind), env));
    startUp[kind] = Math.round(median(times));
    log(`worker start-up (${kind}): ${startUp[kind]} ms (median of 3)`);
  }

  const db = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  const { rows: owner } = await db.query(
    "insert into users (email, name) values ($1, 'Bench Owner') returning id",
    [`bench-${randomUUID().slice(0, 8)}@example.test`],
  );
  const sender = BENCH_SENDER;
  const { rows: ws } = await db.query(
    "insert into workspaces (name, slug, owner_id, settings) values ('Bench Co', $1, $2, $3) returning id",
    [`bench-send-${randomUUID().slice(0, 6)}`, owner[0].id, JSON.stringify({ sender })],
  );
  const workspaceId = ws[0].id as string;
  log(`inserting ${leadCount} leads`);
  await db.query(
    `insert into leads (workspace_id, email, name, custom_fields, time_zone)
     select $1, 'lead-' || g || '@example.test', 'Lead ' || g, jsonb_build_object('plan', 'p' || (g % 3)),
       case when $3 then null else (array['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', null])[1 + g % 4] end
     from generate_series(1, $2::int) g`,
    [workspaceId, leadCount, plain],
  );
  // Issue 19: the suppression list is on (10,000 addresses that are not leads, plus domains) and
  // every message's due time comes from the lead's own time zone (a local send time already past
  // everywhere, so all are due at once) — the audience and claim checks run at full size.
  if (!plain) {
    await db.query(
      `insert into email_suppressions (workspace_id, kind, value, reason)
       select $1::uuid, 'address', 'gone-' || g || '@example.test', 'bounced' from generate_series(1, 10000) g
       union all select $1::uuid, 'domain', 'blocked-' || g || '.test', 'manual' from generate_series(1, 100) g`,
      [workspaceId],
    );
  }
  const { rows: c } = await db.query(
    `insert into email_campaigns (workspace_id, name, type, status, content, segment_criteria)
     values ($1, 'Bench campaign', 'one-time', 'scheduled', '{}', '{"match":"all","conditions":[]}') returning id`,
    [workspaceId],
  );
  const campaignId = c[0].id as string;
  await db.query(
    `insert into campaign_steps (workspace_id, campaign_id, position, subject, preheader, body)
     values ($1, $2, 0, 'Hello {{name|there}}', 'Bench preheader',
       '# Hi {{name|there}}\n\nYour plan is **{{custom.plan|free}}**.\n\n[Read more](https://example.com/a) · [Pricing](https://example.com/pricing)')`,
    [workspaceId, campaignId],
  );

  // The bare sender runs before the campaign and again after it, and the ratio is to the mean of
  // the two: this machine's speed drifts by a third within minutes, and one baseline taken after
  // the campaign swung the ratio by as much (0.64–0.83 in four runs of the same code).
  const connections = Number(env.EMAIL_SMTP_MAX_CONNECTIONS);
  log(`bare sender (before): ${leadCount} messages, ${workerCount} processes × ${connections} connections`);
  const bareBefore = await bareSend(leadCount, workerCount, connections);

  const workers: ChildProcess[] = [];
  for (let i = 0; i < workerCount; i++) {
    workers.push(
      spawn(
        process.execPath,
        [
          ...(cpuProf
            ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_PROFILE_DIR ?? "/tmp/organic-send-profiles"]
            : []),
          ...workerArgs(workerKind),
        ],
        {
          cwd: ROOT,
          env,
          stdio: ["ignore", "ignore", "inherit"],
        },
      ),
    );
  }
  const peaks = workers.map(() => 0);
  const sample = () => {
    for (const [i, w] of workers.entries()) peaks[i] = Math.max(peaks[i]!, peakRssMb(w.pid));
  };
  await new Promise((r) => setTimeout(r, 4000)); // workers up and migrated

  // Start the send the way the app does: the service resolves the audience into the ledger.
  process.env.DATABASE_URL = databaseUrl;
  process.env.REDIS_URL = redisUrl;
  process.env.QUEUE_PREFIX = prefix;
  process.env.EMAIL_FROM = env.EMAIL_FROM;
  const { openDb } = await import("@/server/db");
  const { startCampaignSend } = await import("@/server/services/email/start");
  const { systemActor } = await import("@/server/services/context");
  const { getQueue } = await import("@/server/queue");
  const handle = await openDb();
  const { rows: dirRows } = await db.query("show data_directory");
  const pmPid = postmasterPid(String(dirRows[0]?.data_directory ?? ""));
  const backends = pmPid
    ? databaseBackendsCpu(pmPid, decodeURIComponent(new URL(databaseUrl).pathname.slice(1)))
    : null;
  const started = Date.now();
  const cpuAtStart = workers.map((w) => cpuSeconds(w.pid));
  const benchCpuAtStart = process.cpuUsage();
  if (!plain) {
    await db.query(`update email_campaigns set schedule = $2 where id = $1`, [
      campaignId,
      JSON.stringify({ localTime: "2020-01-01T09:00" }),
    ]);
  }
  const { queued } = await startCampaignSend({ db: handle.db, workspaceId, actor: systemActor }, campaignId, {
    scheduled: !plain,
  });
  const queueMs = Date.now() - started;
  log(`campaign started: ${queued} queued in ${queueMs} ms`);

  const deadline = Date.now() + Math.max(300_000, leadCount * 20);
  let status = "sending";
  let lastLog = 0;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    sample();
    backends?.sample();
    const { rows } = await db.query("select status from email_campaigns where id = $1", [campaignId]);
    status = rows[0].status;
    if (Date.now() - lastLog > 5000) {
      lastLog = Date.now();
      log(`${sink.received.length}/${leadCount} received`);
    }
    if (status === "sent" && sink.received.length >= queued) break;
  }
  const seconds = (Date.now() - started) / 1000;
  const timeline = sendTimeline(sink.received, started, seconds);
  sample();
  const workerCpu = workers.reduce((a, w, i) => a + cpuSeconds(w.pid) - cpuAtStart[i]!, 0);
  const benchCpu = process.cpuUsage(benchCpuAtStart);
  const pgCpu = backends?.total() ?? null;
  const sent = sink.received.length;
  const msPer = (s: number | null) => (s === null || !sent ? null : Number(((s / sent) * 1000).toFixed(3)));
  const sinkCpu = (benchCpu.user + benchCpu.system) / 1e6;

  const perLead = new Map<string, number>();
  for (const m of sink.received) for (const to of m.to) perLead.set(to, (perLead.get(to) ?? 0) + 1);
  const duplicates = [...perLead.values()].reduce((a, v) => a + v - 1, 0);
  const missing = leadCount - perLead.size;

  for (const w of workers) w.kill("SIGTERM");
  await Promise.all(
    workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.on("exit", r)))),
  );
  await getQueue().close();
  await handle.close();
  await db.end();
  await sink.close();
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${prefix}:*`);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  await redis.quit();
  const { closeRedis } = await import("@/lib/redis");
  await closeRedis();

  log(`bare sender (after): ${leadCount} messages`);
  const bareAfter = await bareSend(leadCount, workerCount, connections);
  const bare = {
    messagesPerSecond: Math.round((bareBefore.messagesPerSecond + bareAfter.messagesPerSecond) / 2),
    before: bareBefore,
    after: bareAfter,
  };
  const rate = Math.round(sink.received.length / seconds);
  const workerPeak = Math.max(...peaks);

  const result = {
    bench: "send",
    worker: workerKind === "built" ? "node dist/worker.mjs" : "tsx server/worker.ts",
    leads: leadCount,
    suppressionAndTimeZones: !plain,
    queueMs,
    workers: workerCount,
    status,
    seconds: Math.round(seconds * 10) / 10,
    messagesPerSecond: rate,
    timeline,
    bare: bare,
    ratioToBare: Number((rate / bare.messagesPerSecond).toFixed(2)),
    peakRssMb: workerPeak,
    startUpMs: startUp,
    benchProcessPeakRssMb: peakRssMb(process.pid),
    // What the machine spent, independent of how busy it was with other work: worker CPU per
    // 10,000 messages, and the CPU of this process (SMTP sink + ledger setup) for the same.
    workerCpuSecondsPer10k: sent ? Math.round((workerCpu / sent) * 10_000 * 10) / 10 : null,
    sinkCpuSecondsPer10k: sent ? Math.round((sinkCpu / sent) * 10_000 * 10) / 10 : null,
    // The same per message, with this database's PostgreSQL backends: on 2 cores, 1,000 messages/s
    // needs the total below ~2 ms.
    cpuMsPerMessage: {
      workers: msPer(workerCpu),
      sink: msPer(sinkCpu),
      postgres: msPer(pgCpu),
      total: pgCpu === null ? null : msPer(workerCpu + sinkCpu + pgCpu),
    },
    duplicates,
    missing,
    goal: {
      atLeast07OfBare: rate / bare.messagesPerSecond >= 0.7,
      peakRssAtMost150Mb: workerPeak <= 150,
      startUpUnder2s: (startUp.built ?? startUp.source!) < 2000,
      noDuplicates: duplicates === 0,
      noneMissing: missing === 0,
    },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
