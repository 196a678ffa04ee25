/**
 * The `api` benchmark: the REST API on the production build (`next start`) with PostgreSQL and
 * Redis. 50 API keys of one workspace, one client per key, each alternating `GET /api/v1/leads`
 * and `POST /api/v1/leads` (a new email each time) for the duration; prints requests/s, p50/p99 per
 * request type and the error count (429s are counted apart: they are the rate limit working).
 *
 *   BENCH_DATABASE_URL  database to DROP and recreate (default postgres://postgres@127.0.0.1:5432/organic_bench_api)
 *   BENCH_REDIS_URL     Redis for rate limits and the queue (default redis://127.0.0.1:6379/0)
 *   BENCH_BUILD_DIR     folder with the production build (.next) to start (default: this checkout)
 *   --duration S        seconds of load (default 20)
 *   --clients N         concurrent clients, one key each (default 50)
 *   --rate-limit N      requests per key per minute allowed by the server (default 1000000: no 429s)
 *   --verbose           forward the server's output to stderr
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { TSX_NODE_ARGS } from "@/scripts/tsx-node-args";
import { percentile, recreateDatabase } from "./lib/db";
import { freePort, positiveInt, ROOT, runToCompletion } from "./lib/process";

export const description = "production build on PostgreSQL + Redis: 50 API keys on GET/POST /api/v1/leads";

const log = (line: string) => process.stderr.write(`[bench api] ${line}\n`);

async function waitForHealth(base: string, child: ChildProcess, output: string[], timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited:\n${output.slice(-30).join("\n")}`);
    try {
      const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(5000) });
      if (res.status === 200) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`/api/health did not answer 200 within ${timeoutMs / 1000} s (last: ${last})`);
}

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

export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      duration: { type: "string" },
      clients: { type: "string" },
      "rate-limit": { type: "string" },
      verbose: { type: "boolean" },
    },
    strict: true,
  });
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

  // Its own process group, so stopping it also stops the `next start` process it spawns.
  const child = spawn(process.execPath, ["scripts/next.mjs", "start"], {
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
    await waitForHealth(base, child, output);
    log("server is healthy");

    const email = `bench-${randomUUID().slice(0, 8)}@example.com`;
    const cli = async (cliArgs: string[]) =>
      JSON.parse(
        await runToCompletion(
          process.execPath,
          [...TSX_NODE_ARGS, "cli/index.ts", ...cliArgs, "--json"],
          env,
        ),
      ) as Record<string, string>;
    await cli([
      "create-user",
      "--email",
      email,
      "--password",
      randomBytes(12).toString("base64url"),
      "--name",
      "Bench",
    ]);
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
    kill("SIGTERM");
    const timer = setTimeout(() => kill("SIGKILL"), 10_000);
    if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
    clearTimeout(timer);
    process.removeListener("exit", onExit);
    log(`stopped the server (pid ${child.pid})`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
