import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A new `DATA_DIR` for a server of a spec's own, holding a copy of the run's migrated embedded
 * database (tests/e2e/global-setup.ts), so the server skips PGlite's initdb and the migrations. `fresh`
 * leaves it empty, for the specs about a first start.
 */
export function newDataDir(prefix: string, opts: { fresh?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const template = process.env.E2E_PGDATA_TEMPLATE;
  if (template && !opts.fresh) cpSync(template, path.join(dir, "pgdata"), { recursive: true });
  return dir;
}

/**
 * A production server of this spec's own (`npm start`'s script) on an embedded install of its own (a
 * copy of the run's migrated database, or empty with `fresh`), for settings the shared test server
 * cannot have (here: ENABLE_* flags switched off). `stop()` ends its process group (scripts/next.mjs
 * starts Next.js as a child) and removes its data folder.
 */
export async function startOwnServer(
  port: number,
  env: Record<string, string>,
  opts: { fresh?: boolean } = {},
) {
  const dataDir = newDataDir("organic-e2e-own-", opts);
  const { DATABASE_URL: _db, REDIS_URL: _redis, APP_URL: _app, ...inherited } = process.env;
  let log = "";
  const server: ChildProcess = spawn(process.execPath, ["scripts/next.mjs", "start"], {
    env: {
      ...inherited,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "localhost",
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      AUTH_RATE_LIMIT_IP_MAX: "500",
      ENCRYPTION_KEY: process.env.ENCRYPTION_KEY ?? "0".repeat(64),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  server.stdout!.on("data", (c: Buffer) => (log += c.toString()));
  server.stderr!.on("data", (c: Buffer) => (log += c.toString()));
  const origin = `http://localhost:${port}`;
  const deadline = Date.now() + 150_000;
  for (;;) {
    const up = await fetch(`${origin}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (server.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    origin,
    dataDir,
    log: () => log,
    /**
     * SIGTERM, as `docker stop` sends it; if the server has not exited `graceMs` later, SIGKILL.
     * Says whether it exited by itself (a server that hangs in its shutdown is a bug to see).
     */
    async stop({ graceMs = 30_000 } = {}): Promise<{ graceful: boolean }> {
      let graceful = true;
      if (server.pid && server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((r) => server.once("exit", r));
        process.kill(-server.pid, "SIGTERM");
        const timer = setTimeout(() => {
          graceful = false;
          process.kill(-server.pid!, "SIGKILL");
        }, graceMs);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
      return { graceful };
    },
  };
}
