import path from "node:path";
import { defineConfig } from "vitest/config";
import SlowestFilesReporter from "./tests/helpers/slowest-files-reporter";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Server modules import "server-only", which throws outside a React Server environment; Next
      // resolves it to an empty module on the server (and the throwing one in browser bundles).
      "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    globalSetup: ["tests/helpers/global-setup.ts"],
    // Files share their worker process and its loaded modules (importing the app once per worker,
    // not once per file, was most of the suite's time); per-file-reset puts back what a file
    // changes for the whole process (environment, lazily opened handles) when it ends.
    isolate: false,
    setupFiles: ["tests/helpers/per-file-reset.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default", new SlowestFilesReporter()],
    // 2-core machines: PGlite files each run migrations in-process; more forks only thrash. On
    // PostgreSQL (DATABASE_URL) a file also waits on the database server and Redis, and a third fork
    // fills that time: 206 → 155–185 s for the whole suite here.
    maxWorkers: process.env.DATABASE_URL ? 3 : 2,
    env: {
      LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
      NODE_ENV: "test",
      // Sender-domain lookups stay on this machine: a closed local port (answers at once, "refused")
      // unless a test points DNS_SERVERS at its DNS stand-in.
      DNS_SERVERS: process.env.DNS_SERVERS ?? "127.0.0.1:9",
    },
  },
});
