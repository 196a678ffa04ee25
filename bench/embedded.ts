/**
 * `npm run bench -- embedded [--leads 20000] [--connections 4]`: the default install measured, as a
 * new team runs it — the production build (`npm start`) with neither DATABASE_URL nor REDIS_URL, so
 * PGlite and the in-process job runner live in the web process. One one-time campaign to `--leads`
 * leads goes through the REST API to a local SMTP sink (rate limit off), and while it sends, the
 * signed-in Overview page is requested over `--connections` connections, one request after another
 * on each. The same requests before the send give the idle figures.
 *
 * Printed: messages/s (first request to last message), duplicates and missing, the Overview's
 * p50/p99 idle and during the send, and the server's peak RSS (the database included).
 * Goals (issue 16): ≥ 300 messages/s; Overview p99 < 300 ms while the campaign sends.
 * `--profile DIR` runs the server under `node --cpu-prof` and writes its CPU profile to DIR.
 */
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { startSmtpSink } from "../tests/fixtures/smtp-sink";
import { percentile } from "./lib/db";
import { cliJson, ensureBuild, type Server, startServer, stopServer, waitForHealth } from "./lib/next-server";
import { freePort, positiveInt } from "./lib/process";
import { BENCH_EMAIL_FROM, BENCH_SENDER } from "./lib/sender";
import { signIn } from "./lib/sign-in";

export const description =
  "embedded mode (PGlite + in-process jobs in npm start): campaign send rate, Overview p99 while sending";

const log = (line: string) => process.stderr.write(`[bench embedded] ${line}\n`);

/** Mail that leaves the server needs an https APP_URL; requests carry it as their Origin. */
const APP_URL = "https://bench.example";

/** Peak resident set (VmHWM, MB) of the largest process in the server's process group. */
function serverPeakRssMb(groupId: number): number {
  let peak = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== groupId) continue; // field 5: the process group
      const status = fs.readFileSync(`/proc/${entry}/status`, "utf8");
      peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
    } catch {
      // gone meanwhile
    }
  }
  return Math.round(peak);
}

/** The socket the server shares its embedded database on (its DATA_DIR/pglite.lock.json). */
function socketUrl(dataDir: string) {
  const { socketDir } = JSON.parse(fs.readFileSync(path.join(dataDir, "pglite.lock.json"), "utf8")) as {
    socketDir: string;
  };
  return `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}`;
}

/** Requests `url` on `connections` loops until `until()` says stop (or `count` each); every latency. */
async function load(
  url: string,
  cookie: string,
  connections: number,
  stop: { until?: () => boolean; count?: number },
): Promise<{ ms: number[]; failed: number }> {
  const ms: number[] = [];
  let failed = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let i = 0; stop.count === undefined || i < stop.count; i++) {
        if (stop.until?.()) return;
        const started = performance.now();
        const res = await fetch(url, { headers: { cookie }, redirect: "manual" });
        await res.arrayBuffer();
        if (res.status !== 200) failed++;
        else ms.push(performance.now() - started);
      }
    }),
  );
  return { ms: ms.sort((a, b) => a - b), failed };
}

const summary = (r: { ms: number[]; failed: number }) => ({
  requests: r.ms.length,
  failed: r.failed,
  p50: Math.round(percentile(r.ms, 50)),
  p99: Math.round(percentile(r.ms, 99)),
});

export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      leads: { type: "string" },
      connections: { type: "string" },
      verbose: { type: "boolean" },
      profile: { type: "string" },
    },
    strict: true,
  });
  const leadCount = positiveInt(values.leads, 20_000, "leads");
  const connections = positiveInt(values.connections, 4, "connections");
  await ensureBuild(log);

  const sink = await startSmtpSink({ keepRaw: false });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-bench-embedded-"));
  const { DATABASE_URL: _db, REDIS_URL: _redis, S3_BUCKET: _s3, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    APP_URL,
    DATA_DIR: dataDir,
    BETTER_AUTH_SECRET: randomBytes(32).toString("hex"),
    SMTP_URL: sink.url,
    // The campaign's From is at the operator's own sender domain, which needs no DNS proof.
    EMAIL_FROM: BENCH_EMAIL_FROM,
    AUTH_RATE_LIMIT_MAX: "1000000",
    HTTP_RATE_LIMIT_PER_MINUTE: "100000000",
    LOG_LEVEL: "warn",
  };
  let server: Server | undefined;
  const kill = () => {
    if (server?.child.pid) {
      try {
        process.kill(-server.child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  process.once("exit", kill);
  let db: pg.Client | undefined;
  try {
    const profileDir = values.profile ? path.resolve(values.profile) : undefined;
    server = startServer(port, env, values.verbose ?? false, log, profileDir);
    await waitForHealth(base, server);
    log("server is healthy (embedded: PGlite and in-process jobs)");

    const email = `bench-${randomUUID().slice(0, 8)}@example.com`;
    const password = randomBytes(12).toString("base64url");
    await cliJson(["create-user", "--email", email, `--password=${password}`, "--name", "Bench"], env);
    const ws = await cliJson(["create-workspace", "--owner", email, "--name", "Bench Co"], env);
    const { key } = await cliJson(
      ["create-api-key", "--workspace", ws.slug!, "--name", "bench", "--scopes", "read,write"],
      env,
    );
    const cookie = await signIn(base, email, password, APP_URL);

    // Sender settings and the leads go in over the database socket the server shares.
    db = new pg.Client({ connectionString: socketUrl(dataDir) });
    await db.connect();
    const sender = BENCH_SENDER;
    await db.query(`update workspaces set settings = settings || $2::jsonb where id = $1`, [
      ws.id,
      JSON.stringify({ sender }),
    ]);
    await db.query(
      `insert into leads (workspace_id, email, name, custom_fields)
       select $1, 'lead-' || g || '@example.test', 'Lead ' || g, jsonb_build_object('plan', 'p' || (g % 3))
       from generate_series(1, $2::int) g`,
      [ws.id, leadCount],
    );
    await db.end();
    db = undefined;
    log(`workspace ${ws.slug}: ${leadCount} leads`);

    const overview = `${base}/${ws.slug}`;
    const first = await fetch(overview, { headers: { cookie }, redirect: "manual" });
    if (first.status !== 200) throw new Error(`the Overview answered ${first.status}`);
    await first.arrayBuffer();
    await load(overview, cookie, connections, { count: 5 }); // warm-up
    const idle = summary(await load(overview, cookie, connections, { count: 25 }));
    log(`Overview idle: p50 ${idle.p50} ms, p99 ${idle.p99} ms (${idle.requests} requests)`);

    const api = (p: string, body: unknown) =>
      fetch(`${base}/api/v1${p}`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const created = await api("/campaigns", {
      type: "one-time",
      name: "Bench campaign",
      audience: { criteria: { match: "all", conditions: [] } },
      steps: [
        {
          subject: "Hello {{name|there}}",
          body: "# Hi {{name|there}}\n\nYour plan is **{{custom.plan|free}}**.\n\n[Read more](https://example.com/a)",
        },
      ],
    });
    if (created.status !== 201)
      throw new Error(`campaigns.create: ${created.status} ${await created.text()}`);
    const campaign = (await created.json()) as { id: string };

    const started = performance.now();
    const sent = await api(`/campaigns/${campaign.id}/send`, {});
    if (sent.status !== 202) throw new Error(`campaigns.send: ${sent.status} ${await sent.text()}`);
    const { queued } = (await sent.json()) as { queued: number };
    log(`campaign sending: ${queued} queued`);
    let lastAt = started;
    let lastCount = 0;
    const deadline = started + Math.max(300_000, leadCount * 20);
    const done = () => sink.received.length >= queued || performance.now() > deadline;
    const watch = setInterval(() => {
      if (sink.received.length > lastCount) {
        lastCount = sink.received.length;
        lastAt = performance.now();
      }
    }, 20);
    const progress = setInterval(() => log(`${sink.received.length}/${queued} received`), 5000);
    const during = summary(await load(overview, cookie, connections, { until: done }));
    while (!done()) await new Promise((r) => setTimeout(r, 100));
    clearInterval(progress);
    clearInterval(watch);
    if (sink.received.length > lastCount) lastAt = performance.now();
    const seconds = (lastAt - started) / 1000;
    const perLead = new Map<string, number>();
    for (const m of sink.received) for (const to of m.to) perLead.set(to, (perLead.get(to) ?? 0) + 1);
    const duplicates = [...perLead.values()].reduce((a, v) => a + v - 1, 0);
    const rate = Math.round(sink.received.length / seconds);
    log(`sent ${sink.received.length} in ${seconds.toFixed(1)} s: ${rate}/s`);
    log(`Overview while sending: p50 ${during.p50} ms, p99 ${during.p99} ms (${during.requests} requests)`);
    const peakRssMb = serverPeakRssMb(server.child.pid!);
    process.stdout.write(
      `${JSON.stringify({
        bench: "embedded",
        leads: leadCount,
        queued,
        received: sink.received.length,
        duplicates,
        missing: leadCount - perLead.size,
        seconds: Number(seconds.toFixed(2)),
        messagesPerSecond: rate,
        overviewIdleMs: idle,
        overviewWhileSendingMs: during,
        connections,
        serverPeakRssMb: peakRssMb,
        goals: { sendAtLeast300PerSecond: rate >= 300, overviewP99Under300msWhileSending: during.p99 < 300 },
      })}\n`,
    );
  } finally {
    await db?.end().catch(() => {});
    if (server) await stopServer(server, log);
    process.removeListener("exit", kill);
    await sink.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
