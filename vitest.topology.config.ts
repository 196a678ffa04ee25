import { defineConfig } from "vitest/config";
import base from "./vitest.config";

/**
 * `npm run test:topology`: the scale-out topology test (tests/topology) against the production build
 * (`npm run build` first). Apart from `npm test`: it starts its own processes and services, and
 * takes a minute or two.
 */
export default defineConfig({
  resolve: base.resolve,
  test: {
    include: ["tests/topology/**/*.test.ts"],
    testTimeout: 150_000,
    hookTimeout: 240_000,
    pool: "forks",
    maxWorkers: 1,
    env: { LOG_LEVEL: "silent", NODE_ENV: "test" },
  },
});
