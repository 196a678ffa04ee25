import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { appUrl, resetEnvCache } from "@/lib/env";
import { authSecret } from "@/lib/secrets";

/**
 * What the README and docs/SECURITY.md say about two defaults: without BETTER_AUTH_SECRET a secret is
 * generated into DATA_DIR (readable by the server's user only) and kept across restarts; without
 * APP_URL, links point to http://HOST:PORT, with localhost standing in for 0.0.0.0.
 */

const KEYS = ["BETTER_AUTH_SECRET", "DATA_DIR", "APP_URL", "HOST", "PORT"] as const;
const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
const dirs: string[] = [];

function setEnv(vars: Partial<Record<(typeof KEYS)[number], string | undefined>>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
}

afterEach(() => {
  setEnv(saved);
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe("authSecret", () => {
  it("without BETTER_AUTH_SECRET: generated once into DATA_DIR, owner-only, the same after a restart", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-secret-"));
    dirs.push(dataDir);
    setEnv({ BETTER_AUTH_SECRET: undefined, DATA_DIR: dataDir });
    const first = authSecret();
    expect(first.length).toBeGreaterThanOrEqual(48);
    const file = path.join(dataDir, "auth-secret");
    expect(fs.readFileSync(file, "utf8").trim()).toBe(first);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    resetEnvCache();
    expect(authSecret()).toBe(first);
  });

  it("BETTER_AUTH_SECRET wins, and nothing is written", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-secret-"));
    dirs.push(dataDir);
    const secret = "s".repeat(40);
    setEnv({ BETTER_AUTH_SECRET: secret, DATA_DIR: dataDir });
    expect(authSecret()).toBe(secret);
    expect(fs.existsSync(path.join(dataDir, "auth-secret"))).toBe(false);
  });
});

describe("appUrl", () => {
  it("without APP_URL: http://HOST:PORT, localhost for 0.0.0.0", () => {
    setEnv({ APP_URL: undefined, HOST: "0.0.0.0", PORT: "3000" });
    expect(appUrl()).toBe("http://localhost:3000");
    setEnv({ APP_URL: undefined, HOST: "192.168.1.20", PORT: "8080" });
    expect(appUrl()).toBe("http://192.168.1.20:8080");
  });

  it("with APP_URL: it, without a trailing slash", () => {
    setEnv({ APP_URL: "https://marketing.example.com/", HOST: "0.0.0.0" });
    expect(appUrl()).toBe("https://marketing.example.com");
  });
});
