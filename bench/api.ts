/**
 * The `api` benchmark: the API's request path on the production build (`next start`) with PostgreSQL
 * and Redis, against two baselines measured in the same run:
 *
 * 1. Routes (issue 16): each route alone for `--seconds` with `--connections` connections
 *    (autocannon) — the static floor (`/icon.svg`, a file Next serves without our code), a bare Node
 *    server running the REST list's two SQL statements through `pg` (bench/lib/bare-api-server.mjs),
 *    then `/api/health`, `/api/v1/openapi.json`, `/api/v1/workspace`, `GET /api/v1/leads?limit=20`
 *    and tRPC `leads.list` (signed in). Prints requests/s, p50/p99 and each one's ratio to the floor
 *    and to the bare server. The workspace holds `--leads` leads (default 10,000).
 * 2. With `--mixed`: 50 API keys of one workspace, one client per key, each alternating
 *    `GET /api/v1/leads` and `POST /api/v1/leads` (a new email each time) for `--duration`; prints
 *    requests/s, p50/p99 per request type and the error count (429s apart: the rate limit working).
 *
 *   BENCH_DATABASE_URL  database to DROP and recreate (default postgres://postgres@127.0.0.1:5432/organic_bench_api)
 *   BENCH_REDIS_URL     Redis for rate limits and the queue (default redis://127.0.0.1:6379/0)
 *   BENCH_BUILD_DIR     folder with the production build (.next) to start (default: this checkout)
 *   --seconds S         seconds per route (default 8)
 *   --connections N     connections per route (default 20)
 *   --leads N           leads in the workspace (default 10000)
 *   --mixed             also run the 50-key GET/POST mix
 *   --duration S        seconds of the mix (default 20)
 *   --clients N         concurrent clients of the mix, one key each (default 50)
 *   --rate-limit N      requests per key per minute allowed by the server (default 1000000: no 429s)
 *   --routes a,b        measure only these routes (the floor and the bare server always run)
 *   --profile DIR       start the server under `node --cpu-prof` and write its CPU profile to DIR
 *   --verbose           forward the server's output to stderr
 */
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { TSX_NODE_ARGS } from "@/scripts/tsx-node-args";
import { percentile, recreateDatabase } from "./lib/db";
import { serverArgs, waitForHealth } from "./lib/next-server";
import { freePort, positiveInt, ROOT, runToCompletion } from "./lib/process";
import { signIn } from "./lib/sign-in";

export const description =
  "production build on PostgreSQL + Redis: API routes against the static floor and a bare server";

const log = (line: string) => process.stderr.write(`[bench api] ${line}\n`);

interface Sample {
  kind: "get" | "post";
  ms: number;
  status: number;
}

function summary(samples: Sample[]) {
  const ok = samples.filter((s) => s.status >= 200 && s.status < 300).map((s) => s.ms);
  ok.sort((a, b) => a - b);
  return {
    requests: samples.length,
    ok: ok.length,
    p50: Math.round(percentile(ok, 50) * 10) / 10,
    p99: Math.round(percentile(ok, 99) * 10) / 10,
  };
}

interface RouteFigures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(url: string, headers: Record<string, string>, seconds: number, connections: number) {
  // A short warm-up first, so the figures describe a running server, not its first requests.
  await autocannon({ url, headers, connections, duration: 1 });
  const r = await autocannon({ url, headers, connections, duration: seconds });
  return {
    rps: Math.round(r.requests.total / r.duration),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx,
  } satisfies RouteFigures;
}

/** Starts the bare server (bench/lib/bare-api-server.mjs) and resolves when it listens. */
async function startBare(databaseUrl: string) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, "bench", "lib", "bare-api-server.mjs")], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`the bare server exited with ${code}`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill("SIGTERM");
      if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
    },
  };
}

/** Phase 1: each route alone, beside the static floor and the bare server (see the header). */
async function measureRoutes(o: {
  base: string;
  databaseUrl: string;
  workspaceId: string;
  key: string;
  cookie: string;
  leadCount: number;
  seconds: number;
  connections: number;
  only?: string[];
}) {
  const client = new pg.Client({ connectionString: o.databaseUrl });
  await client.connect();
  try {
    // One statement, newest first by a second each, then fresh planner statistics (as autovacuum
    // would leave them on a real install).
    await client.query(
      `insert into leads (workspace_id, email, status, created_at, updated_at)
       select $1, 'lead-' || g || '@bench.test', 'active', now() - g * interval '1 second', now()
       from generate_series(1, $2::int) g`,
      [o.workspaceId, o.leadCount],
    );
    await client.query("analyze leads");
  } finally {
    await client.end();
  }
  log(`${o.leadCount} leads in the workspace`);

  const bearer = { authorization: `Bearer ${o.key}` };
  const trpcInput = encodeURIComponent(JSON.stringify({ json: { workspaceId: o.workspaceId, limit: 20 } }));
  const bare = await startBare(o.databaseUrl);
  const targets: [string, string, Record<string, string>][] = [
    ["floor", `${o.base}/icon.svg`, {}],
    ["bare", `${bare.base}/leads?limit=20`, bearer],
    ["health", `${o.base}/api/health`, {}],
    ["openapi", `${o.base}/api/v1/openapi.json`, {}],
    ["workspace", `${o.base}/api/v1/workspace`, bearer],
    ["restLeadsList", `${o.base}/api/v1/leads?limit=20`, bearer],
    ["trpcLeadsList", `${o.base}/api/trpc/leads.list?input=${trpcInput}`, { cookie: o.cookie }],
  ];
  const figures: Record<string, RouteFigures & { ofFloor?: number; ofBare?: number }> = {};
  try {
    for (const [name, url, headers] of targets) {
      if (o.only && name !== "floor" && name !== "bare" && !o.only.includes(name)) continue;
      const check = await fetch(url, { headers });
      if (check.status !== 200)
        throw new Error(`${name}: ${check.status} ${(await check.text()).slice(0, 200)}`);
      log(`${name}: ${o.seconds} s over ${o.connections} connections`);
      figures[name] = await load(url, headers, o.seconds, o.connections);
    }
  } finally {
    await bare.stop();
  }
  const floor = figures.floor!.rps;
  const bareRps = figures.bare!.rps;
  for (const [name, f] of Object.entries(figures)) {
    if (name === "floor") continue;
    f.ofFloor = Math.round((f.rps / floor) * 100) / 100;
    if (name !== "bare") f.ofBare = Math.round((f.rps / bareRps) * 100) / 100;
    log(
      `${name.padEnd(14)} ${String(f.rps).padStart(5)} req/s  p50 ${f.p50} ms  p99 ${f.p99} ms  ` +
        `${f.ofFloor} of the floor${f.ofBare === undefined ? "" : `, ${f.ofBare} of the bare server`}` +
        (f.errors ? `  (${f.errors} errors)` : ""),
    );
  }
  return { leads: o.leadCount, seconds: o.seconds, connections: o.connections, routes: figures };
}

export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      seconds: { type: "string" },
      connections: { type: "string" },
      leads: { type: "string" },
      mixed: { type: "boolean" },
      duration: { type: "string" },
      clients: { type: "string" },
      "rate-limit": { type: "string" },
      routes: { type: "string" },
      profile: { type: "string" },
      verbose: { type: "boolean" },
    },
    strict: true,
  });
  const routeSeconds = positiveInt(values.seconds, 8, "seconds");
  const connections = positiveInt(values.connections, 20, "connections");
  const leadCount = positiveInt(values.leads, 10_000, "leads");
  const duration = positiveInt(values.duration, 20, "duration");
  const clients = positiveInt(values.clients, 50, "clients");
  const rateLimit = positiveInt(values["rate-limit"], 1_000_000, "rate-limit");
  const databaseUrl =
    process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/organic_bench_api";
  const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/0";
  const buildDir = path.resolve(process.env.BENCH_BUILD_DIR ?? ROOT);
  if (!fs.existsSync(path.join(buildDir, ".next", "BUILD_ID"))) {
    throw new Error(
      `no production build in ${buildDir}: run \`npm run build\` there (or set BENCH_BUILD_DIR)`,
    );
  }

  await recreateDatabase(databaseUrl, log);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-bench-api-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    APP_URL: base,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    DATA_DIR: dataDir,
    BETTER_AUTH_SECRET: randomBytes(32).toString("hex"),
    ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    API_RATE_LIMIT_PER_MINUTE: String(rateLimit),
    // The whole load comes from one address: the general per-IP limit would measure itself.
    HTTP_RATE_LIMIT_PER_MINUTE: "100000000",
    LOG_LEVEL: "warn",
  };

  // Its own process group, so stopping it also stops the `next start` process it spawns. With
  // --profile, next's own binary runs under --cpu-prof (NODE_OPTIONS may not carry that flag).
  const profileDir = values.profile ? path.resolve(values.profile) : undefined;
  const child = spawn(process.execPath, serverArgs(port, profileDir), {
    cwd: buildDir,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    if (values.verbose) process.stderr.write(chunk);
    output.push(...chunk.toString().split("\n").filter(Boolean));
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  log(`started the server (pid ${child.pid}) from ${buildDir} on ${base}`);
  const kill = (sig: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  const onExit = () => kill("SIGKILL");
  process.once("exit", onExit);

  try {
    await waitForHealth(base, { child, output, profiling: profileDir !== undefined });
    log("server is healthy");

    const email = `bench-${randomUUID().slice(0, 8)}@example.com`;
    const password = randomBytes(12).toString("base64url");
    const cli = async (cliArgs: string[]) =>
      JSON.parse(
        await runToCompletion(
          process.execPath,
          [...TSX_NODE_ARGS, "cli/index.ts", ...cliArgs, "--json"],
          env,
        ),
      ) as Record<string, string>;
    await cli(["create-user", "--email", email, `--password=${password}`, "--name", "Bench"]);
    const ws = await cli(["create-workspace", "--owner", email, "--name", "Bench Workspace"]);

    process.env.DATABASE_URL = databaseUrl;
    const { openDb } = await import("@/server/db");
    const { createApiKey } = await import("@/server/services/api-keys");
    const handle = await openDb();
    const keys: string[] = [];
    try {
      for (let i = 0; i < clients; i++) {
        const { key } = await createApiKey(
          { db: handle.db, workspaceId: ws.id!, actor: { userId: null, ip: null, userAgent: "bench" } },
          { name: `bench ${i}`, scopes: ["read", "write"] },
        );
        keys.push(key);
      }
    } finally {
      await handle.close();
    }
    log(`workspace ${ws.slug}: ${keys.length} API keys`);

    const routes = await measureRoutes({
      base,
      databaseUrl,
      workspaceId: ws.id!,
      key: keys[0]!,
      cookie: await signIn(base, email, password),
      leadCount,
      seconds: routeSeconds,
      connections,
      only: values.routes?.split(",").map((r) => r.trim()),
    });
    if (!values.mixed) {
      process.stdout.write(
        `${JSON.stringify({ bench: "api", database: "postgres", redis: true, ...routes })}\n`,
      );
      return;
    }

    const samples: Sample[] = [];
    const failures = new Map<string, number>();
    let postsOk = 0;
    const once = async (key: string, kind: "get" | "post", i: number) => {
      const t0 = performance.now();
      try {
        const res =
          kind === "get"
            ? await fetch(`${base}/api/v1/leads?limit=20`, { headers: { authorization: `Bearer ${key}` } })
            : await fetch(`${base}/api/v1/leads`, {
                method: "POST",
                headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
                body: JSON.stringify({ email: `lead-${i}-${randomUUID()}@example.com`, tags: ["bench"] }),
              });
        const text = await res.text();
        samples.push({ kind, ms: performance.now() - t0, status: res.status });
        if (kind === "post" && res.status === 201) postsOk++;
        if (res.status >= 300 && res.status !== 429) {
          const k = `${kind} ${res.status} ${text.slice(0, 120)}`;
          failures.set(k, (failures.get(k) ?? 0) + 1);
        }
      } catch (err) {
        samples.push({ kind, ms: performance.now() - t0, status: 0 });
        const k = `${kind} network ${err instanceof Error ? err.message : String(err)}`;
        failures.set(k, (failures.get(k) ?? 0) + 1);
      }
    };

    // Warm-up: each key once each way, outside the figures.
    await Promise.all(keys.map((k, i) => once(k, "get", i).then(() => once(k, "post", i))));
    samples.length = 0;
    failures.clear();
    postsOk = 0;

    log(`${clients} clients for ${duration} s`);
    const started = performance.now();
    const until = started + duration * 1000;
    await Promise.all(
      keys.map(async (key, c) => {
        for (let i = 0; performance.now() < until; i++)
          await once(key, i % 2 ? "post" : "get", c * 1_000_000 + i);
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    const rateLimited = samples.filter((s) => s.status === 429).length;
    const errors = samples.filter((s) => s.status === 0 || (s.status >= 300 && s.status !== 429)).length;
    const result = {
      bench: "api",
      ...routes,
      database: "postgres",
      redis: true,
      clients,
      seconds: Math.round(seconds * 10) / 10,
      requests: samples.length,
      rps: Math.round(samples.length / seconds),
      get: summary(samples.filter((s) => s.kind === "get")),
      post: summary(samples.filter((s) => s.kind === "post")),
      leadsCreated: postsOk,
      rateLimited,
      errors,
      errorSamples: Object.fromEntries([...failures.entries()].slice(0, 5)),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (errors > 0) process.exitCode = 1;
  } finally {
    kill(profileDir ? "SIGINT" : "SIGTERM");
    const timer = setTimeout(() => kill("SIGKILL"), 10_000);
    if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
    clearTimeout(timer);
    process.removeListener("exit", onExit);
    log(`stopped the server (pid ${child.pid})`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
