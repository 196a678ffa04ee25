import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * One migrated embedded database for the specs' own servers to start from (own-server.ts
 * `newDataDir`): the production CLI's `migrate` into a folder of its own (PGlite's initdb, then the
 * migrations), once per run. A server started on a copy skips both, about 8 CPU-seconds each. The
 * folder's path reaches the test workers through the environment; it is removed after the run.
 */
export default function globalSetup() {
  if (!existsSync("dist/cli.mjs")) {
    throw new Error(
      "the browser tests run the production build: `npm run build` first (dist/cli.mjs is missing)",
    );
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "organic-e2e-template-"));
  const { DATABASE_URL: _db, REDIS_URL: _redis, ...inherited } = process.env;
  execFileSync(process.execPath, ["--conditions=react-server", "dist/cli.mjs", "migrate", "--json"], {
    env: { ...inherited, DATA_DIR: dir, LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
    timeout: 120_000,
  });
  process.env.E2E_PGDATA_TEMPLATE = path.join(dir, "pgdata");
  return () => rmSync(dir, { recursive: true, force: true });
}
