import { mkdtempSync } from "node:fs";
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
// A fresh embedded install per run unless E2E_DATABASE_URL points at PostgreSQL.
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), "organic-e2e-"));
// Test workers load this config again: hand them the same folder (specs that seed the server's
// database reach it through the socket there).
process.env.E2E_DATA_DIR = dataDir;
// The server gets this environment only: the unit suite's DATABASE_URL/REDIS_URL must not leak in.
const { DATABASE_URL: _db, REDIS_URL: _redis, ...inherited } = process.env;

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
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
