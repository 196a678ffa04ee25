import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { assertAuthSecret, authSecret } from "@/lib/secrets";

const VARS = ["NODE_ENV", "DATABASE_URL", "BETTER_AUTH_SECRET", "DATA_DIR"] as const;
const saved = Object.fromEntries(VARS.map((k) => [k, process.env[k]]));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-auth-secret-"));

function use(vars: Partial<Record<(typeof VARS)[number], string>>) {
  for (const k of VARS) delete process.env[k];
  Object.assign(process.env, { NODE_ENV: "test", DATA_DIR: dataDir }, vars);
  resetEnvCache();
}

afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("the session and link signing secret", () => {
  const DB = "postgres://postgres@127.0.0.1:5432/none";

  it("is required in production with PostgreSQL, where each process may have its own DATA_DIR", () => {
    use({ NODE_ENV: "production", DATABASE_URL: DB });
    expect(() => assertAuthSecret()).toThrow(
      /BETTER_AUTH_SECRET is required in production with DATABASE_URL/,
    );
    expect(() => authSecret()).toThrow(/BETTER_AUTH_SECRET is required/);
    // Nothing was generated on this process's disk.
    expect(fs.existsSync(path.join(dataDir, "auth-secret"))).toBe(false);
  });

  it("comes from BETTER_AUTH_SECRET when set", () => {
    use({ NODE_ENV: "production", DATABASE_URL: DB, BETTER_AUTH_SECRET: "s".repeat(40) });
    expect(() => assertAuthSecret()).not.toThrow();
    expect(authSecret()).toBe("s".repeat(40));
  });

  it("is generated into DATA_DIR for the embedded install, and kept", () => {
    use({ NODE_ENV: "production" });
    expect(() => assertAuthSecret()).not.toThrow();
    const first = authSecret();
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(authSecret()).toBe(first);
    expect(fs.readFileSync(path.join(dataDir, "auth-secret"), "utf8").trim()).toBe(first);
  });
});
