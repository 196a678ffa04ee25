import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OwnRedis, startOwnRedis } from "../helpers/redis-server";
import { workerNodeArgs } from "../helpers/server-build";
import { SPAWNED_WORKER_ENV } from "../helpers/worker-env";

/*
 * The worker checks Redis's maxmemory-policy at start, against a redis-server of the test's own whose
 * policy is allkeys-lru (the shared server's config is never touched): production refuses it unless
 * REDIS_ALLOW_EVICTION=true, elsewhere it warns and starts.
 */

const hasPostgres = Boolean(process.env.DATABASE_URL);

describe.skipIf(!hasPostgres)("worker start with a Redis that may evict keys (needs DATABASE_URL)", () => {
  let redis: OwnRedis;
  beforeAll(async () => {
    redis = await startOwnRedis("allkeys-lru");
  });
  afterAll(async () => {
    await redis?.stop();
  });

  /** Starts the worker; resolves with its output and exit code once it exits or has started (then SIGTERM). */
  function runWorker(extra: Record<string, string>): Promise<{ code: number | null; output: string }> {
    const child = spawn(process.execPath, workerNodeArgs(), {
      env: {
        ...process.env,
        ...SPAWNED_WORKER_ENV,
        REDIS_URL: redis.url,
        QUEUE_PREFIX: `o-evict-${randomUUID().slice(0, 8)}`,
        LOG_LEVEL: "info",
        SMTP_URL: "",
        BETTER_AUTH_SECRET: "eviction-test-secret-eviction-test-secret",
        ENCRYPTION_KEY: "0".repeat(64),
        ...extra,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const onData = (d: Buffer) => {
      output += d;
      if (output.includes("worker started")) child.kill("SIGTERM");
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    const bound = setTimeout(() => child.kill("SIGKILL"), 90_000);
    return new Promise((resolve) =>
      child.on("exit", (code) => {
        clearTimeout(bound);
        resolve({ code, output });
      }),
    );
  }

  it("refuses to start in production, naming the policy and the fix", { timeout: 120_000 }, async () => {
    const { code, output } = await runWorker({ NODE_ENV: "production" });
    expect(code).toBe(1);
    expect(output).toContain("maxmemory-policy is allkeys-lru, not noeviction");
    expect(output).toContain("REDIS_ALLOW_EVICTION=true");
    expect(output).not.toContain("worker started");
  });

  it("starts in production with REDIS_ALLOW_EVICTION=true, warning", { timeout: 120_000 }, async () => {
    const { code, output } = await runWorker({ NODE_ENV: "production", REDIS_ALLOW_EVICTION: "true" });
    expect(output).toMatch(/"level":40.*maxmemory-policy is allkeys-lru/);
    expect(output).toContain("worker started");
    expect(code).toBe(0);
  });

  it("warns and starts outside production", { timeout: 120_000 }, async () => {
    const { code, output } = await runWorker({ NODE_ENV: "development" });
    expect(output).toMatch(/"level":40.*maxmemory-policy is allkeys-lru/);
    expect(output).toContain("worker started");
    expect(code).toBe(0);
  });
});
