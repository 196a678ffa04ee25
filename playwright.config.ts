import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://localhost:${port}`;
// The Amazon SP-API stand-in that tests/e2e/fulfillment.spec.ts starts on this port.
const amazonStandIn = `http://127.0.0.1:${Number(process.env.E2E_AMAZON_PORT ?? port + 7)}`;
// The TikTok stand-in that tests/e2e/integrations.spec.ts starts on this port.
const tiktokStandIn = `http://127.0.0.1:${Number(process.env.E2E_TIKTOK_PORT ?? port + 8)}`;
// The DNS stand-in that tests/e2e/email-sending-guards.spec.ts starts on this port (sender domains).
const dnsStandIn = `127.0.0.1:${Number(process.env.E2E_DNS_PORT ?? port + 9)}`;
// Debian's chromium-headless-shell (the "old" headless build, the one Playwright itself runs headless
// tests in) when it is installed: the same Blink, without the full browser's compositor and GPU
// process, so the suite needs about 40% less CPU (accessibility.spec: 244 → 146 CPU-seconds).
// Otherwise the full /usr/bin/chromium in its headless mode. CHROMIUM_PATH overrides both.
const headlessShell = "/usr/lib/chromium/chromium-headless-shell";
const chromium =
  process.env.CHROMIUM_PATH ?? (existsSync(headlessShell) ? headlessShell : "/usr/bin/chromium");
// A fresh embedded install per run unless E2E_DATABASE_URL points at PostgreSQL.
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), "organic-e2e-"));
// The run's own install is removed when the runner exits, after it has stopped the server (each run
// left about 150 MB in the temp folder). One given in E2E_DATA_DIR is left alone; the test workers,
// which load this file again with it set, register nothing.
if (!process.env.E2E_DATA_DIR) process.on("exit", () => rmSync(dataDir, { recursive: true, force: true }));
// Test workers load this config again: hand them the same folder (specs that seed the server's
// database reach it through the socket there).
process.env.E2E_DATA_DIR = dataDir;
// The server gets this environment only: the unit suite's DATABASE_URL/REDIS_URL must not leak in.
const { DATABASE_URL: _db, REDIS_URL: _redis, ...inherited } = process.env;

/**
 * The specs that cannot run beside each other, one at a time: they reach the server's database through
 * the embedded one's socket (seeding, the CLI), start a stand-in on a port the server is configured
 * with (Amazon, DNS), or change instance-wide settings (Settings → Instance). Every other spec works in
 * workspaces and accounts of its own, or in a server of its own on a port of its own, so it runs beside
 * any other.
 */
const ONE_AT_A_TIME = [
  "analytics",
  "email-bounce-webhooks",
  "email-sending-guards",
  "foundation",
  "fulfillment",
  "queue-approval",
  "security-data",
  "sender-domains",
  "sending-setup",
  "sso",
].map((name) => `**/${name}.spec.ts`);
/** The two specs that start the TikTok stand-in on the port the server is configured with. */
const TIKTOK = ["integrations", "tiktok-publish"].map((name) => `**/${name}.spec.ts`);
/**
 * A spec that mostly waits (for a scheduled minute to come, then for three platforms' publishes): it
 * starts first, while other files keep the cores busy, rather than last, alone (it took the run's
 * final 90 s when it came in alphabetical order).
 */
const WAITS = ["short-video-publish"].map((name) => `**/${name}.spec.ts`);

export default defineConfig({
  testDir: "tests/e2e",
  // The migrated embedded database the specs' own servers start from (tests/e2e/own-server.ts).
  globalSetup: "./tests/e2e/global-setup.ts",
  outputDir: "test-results",
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  // Three files at a time on this 2-core machine: the specs wait a lot (for a scheduled minute, the
  // rollup, a worker's tick), and with two the cores were 16–23% idle (a run: 476 s with two, 393 s
  // with three, 92% busy). E2E_WORKERS=1 runs the suite one file at a time.
  workers: Number(process.env.E2E_WORKERS ?? 3),
  // Files are handed to workers in this order: the projects' (each file in one), then by name.
  projects: [
    { name: "waits", testMatch: WAITS },
    { name: "tiktok", testMatch: TIKTOK, workers: 1 },
    { name: "one-at-a-time", testMatch: ONE_AT_A_TIME, workers: 1 },
    { name: "side-by-side", testIgnore: [...WAITS, ...TIKTOK, ...ONE_AT_A_TIME] },
  ],
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    // A trace keeps what led to a failure, but recording one with its screencast (every frame drawn
    // by the GPU process and sent to this runner) took about half of the suite's CPU. CI's traces are
    // thrown away with its clone, so CI records none; locally a failure keeps its actions and DOM
    // snapshots, without the screencast. E2E_TRACE (off, on, retain-on-failure…) records the
    // screencast too.
    trace: process.env.E2E_TRACE
      ? (process.env.E2E_TRACE as "off")
      : process.env.CI
        ? "off"
        : { mode: "retain-on-failure", screenshots: false, snapshots: true },
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
      ],
    },
  },
  webServer: {
    // The production build (`npm run build` must have run), as `npm start` serves it.
    command: "node scripts/next.mjs start",
    url: `${baseURL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      ...(inherited as Record<string, string>),
      PORT: String(port),
      HOST: "localhost",
      DATA_DIR: dataDir,
      AUTH_RATE_LIMIT_IP_MAX: "500",
      LOG_LEVEL: "warn",
      ENCRYPTION_KEY: process.env.ENCRYPTION_KEY ?? "0".repeat(64),
      AMAZON_LWA_URL: `${amazonStandIn}/auth/o2/token`,
      AMAZON_SP_API_BASE_URL: amazonStandIn,
      TIKTOK_API_BASE_URL: tiktokStandIn,
      TIKTOK_AUTH_BASE_URL: tiktokStandIn,
      TIKTOK_CLIENT_KEY: "sbawstandinkey",
      TIKTOK_CLIENT_SECRET: "standin-tiktok-secret-0123456789",
      DNS_SERVERS: dnsStandIn,
      // The analytics rollup runs every 5 s instead of every minute: the specs that read figures off
      // the Overview (analytics, page-weight's first paint) wait for it.
      ANALYTICS_ROLLUP_INTERVAL_MS: "5000",
      // tests/e2e/sending-setup.spec.ts types its SMTP sink (127.0.0.1) into Settings → Sending.
      SMTP_ALLOW_PRIVATE: "true",
      // Production with PostgreSQL refuses to start without a shared signing secret (lib/secrets.ts).
      ...(process.env.E2E_DATABASE_URL
        ? {
            DATABASE_URL: process.env.E2E_DATABASE_URL,
            BETTER_AUTH_SECRET: process.env.BETTER_AUTH_SECRET ?? "e2e-signing-secret-0123456789-0123456789",
          }
        : {}),
      ...(process.env.E2E_REDIS_URL ? { REDIS_URL: process.env.E2E_REDIS_URL } : {}),
    },
  },
});
