/**
 * The `http` benchmark: the production build (`next start`) on PostgreSQL, measured with autocannon
 * for an authenticated tRPC query (`workspace.list`) and the health check.
 *
 *   BENCH_DATABASE_URL  database to DROP and recreate (default postgres://postgres@127.0.0.1:5432/organic_bench)
 *   --amount N          requests per scenario (default 3000)
 *   --connections N     concurrent connections (default 20)
 *   --verbose           forward the server's output to stderr
 */
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";

export const description = "production build on PostgreSQL: tRPC workspace.list and /api/health";

import { recreateDatabase } from "./lib/db";
import { cliJson, ensureBuild, startServer, stopServer, waitForHealth } from "./lib/next-server";
import { freePort, positiveInt } from "./lib/process";
import { signIn } from "./lib/sign-in";

const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/organic_bench";

const log = (line: string) => process.stderr.write(`[bench http] ${line}\n`);

interface Scenario {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function measure(url: string, headers: Record<string, string>, amount: number, connections: number) {
  // A short warm-up first, so the numbers describe a running server, not its first requests.
  await autocannon({ url, headers, connections, amount: Math.min(200, amount) });
  const r = await autocannon({ url, headers, connections, amount });
  return {
    requests: r.requests.total,
    rps: Math.round(r.requests.total / r.duration),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
  } satisfies Scenario;
}

export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      amount: { type: "string" },
      connections: { type: "string" },
      verbose: { type: "boolean" },
    },
    strict: true,
  });
  const amount = positiveInt(values.amount, 3000, "amount");
  const connections = positiveInt(values.connections, 20, "connections");
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? DEFAULT_DATABASE_URL;

  await recreateDatabase(databaseUrl, log);
  await ensureBuild(log);

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-bench-"));
  const { REDIS_URL: _redis, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    APP_URL: base,
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    BETTER_AUTH_SECRET: randomBytes(32).toString("hex"),
    AUTH_RATE_LIMIT_MAX: "1000000",
    // The whole load comes from one address: the general per-IP limit would measure itself.
    HTTP_RATE_LIMIT_PER_MINUTE: "100000000",
    LOG_LEVEL: "warn",
  };

  const server = startServer(port, env, values.verbose ?? false, log);
  const stop = () => {
    if (server.child.pid) {
      try {
        process.kill(-server.child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  const interrupted = () => {
    stop();
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  process.once("exit", stop);

  try {
    await waitForHealth(base, server);
    log("server is healthy");

    const email = `bench-${randomUUID().slice(0, 8)}@example.com`;
    const password = randomBytes(12).toString("base64url");
    await cliJson(["create-user", "--email", email, `--password=${password}`, "--name", "Bench"], env);
    const ws = await cliJson(["create-workspace", "--owner", email, "--name", "Bench Workspace"], env);
    const cookie = await signIn(base, email, password);
    log(`signed in as ${email}; workspace ${ws.slug}`);

    const trpcUrl = `${base}/api/trpc/workspace.list`;
    const check = await fetch(trpcUrl, { headers: { cookie } });
    const body = await check.text();
    if (check.status !== 200 || !body.includes(ws.id!)) {
      throw new Error(`workspace.list did not return the workspace: ${check.status} ${body.slice(0, 300)}`);
    }

    log(`GET /api/trpc/workspace.list: ${amount} requests over ${connections} connections`);
    const trpc = await measure(trpcUrl, { cookie }, amount, connections);
    log(`GET /api/health: ${amount} requests over ${connections} connections`);
    const health = await measure(`${base}/api/health`, {}, amount, connections);

    process.stdout.write(`${JSON.stringify({ bench: "http", trpc, health, database: "postgres" })}\n`);
  } finally {
    await stopServer(server, log);
    process.removeListener("exit", stop);
    process.removeListener("SIGINT", interrupted);
    process.removeListener("SIGTERM", interrupted);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
