import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { shot } from "./helpers";
import { newDataDir, startOwnServer } from "./own-server";

/*
 * A first run as the README tells it (issue 15, items 1 and 3): `npm start` without ENCRYPTION_KEY,
 * `npm run dev` opened at 127.0.0.1, and the auth forms without JavaScript.
 */

const BASE_PORT = Number(process.env.E2E_PORT ?? 3210) + 30;

/** The environment of a server this spec starts: none of the test runner's database settings. */
function serverEnv(extra: Record<string, string | undefined>) {
  const {
    DATABASE_URL: _db,
    REDIS_URL: _redis,
    APP_URL: _app,
    ENCRYPTION_KEY: _key,
    ...inherited
  } = process.env;
  return { ...inherited, LOG_LEVEL: "info", ...extra };
}

function collect(child: ChildProcess) {
  let out = "";
  child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (out += c.toString()));
  return () => out;
}

test("production with DATABASE_URL and no ENCRYPTION_KEY refuses to start, with one line", async () => {
  test.setTimeout(120_000);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "organic-e2e-nokey-"));
  const server = spawn(process.execPath, ["scripts/next.mjs", "start"], {
    env: serverEnv({
      NODE_ENV: "production",
      PORT: String(BASE_PORT),
      HOST: "localhost",
      DATA_DIR: dataDir,
      // Never reached: the key check comes first.
      DATABASE_URL: "postgres://postgres@127.0.0.1:5432/organic_never_opened",
      BETTER_AUTH_SECRET: "first-run-secret-first-run-secret-first-run",
    }),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const output = collect(server);
  const code = await new Promise<number | null>((resolve) => server.once("exit", resolve));
  rmSync(dataDir, { recursive: true, force: true });
  expect(code, output()).not.toBe(0);
  const lines = output()
    .split("\n")
    .filter((l) => l.includes("Organic cannot start"));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain("ENCRYPTION_KEY is required in production with DATABASE_URL");
  // Nobody answered meanwhile with a 500 on every route: there is no server.
  await expect(fetch(`http://localhost:${BASE_PORT}/api/health`)).rejects.toThrow();
});

test("an embedded production install without ENCRYPTION_KEY generates one into DATA_DIR and runs", async ({
  page,
}) => {
  test.setTimeout(200_000);
  const server = await startOwnServer(
    BASE_PORT + 1,
    { ENCRYPTION_KEY: "", LOG_LEVEL: "info" },
    // A first start: initdb, the migrations and the generated key, as a new install has them.
    { fresh: true },
  );
  try {
    const health = await fetch(`${server.origin}/api/health`);
    expect(health.status).toBe(200);
    const keyFile = path.join(server.dataDir, "encryption-key");
    expect(existsSync(keyFile)).toBe(true);
    expect(readFileSync(keyFile, "utf8")).toMatch(/^[0-9a-f]{64}$/);
    expect(server.log()).toContain("ENCRYPTION_KEY is not set: generated one into");
    await page.goto(`${server.origin}/sign-in`);
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  } finally {
    await server.stop();
  }
});

test("npm run dev opened at 127.0.0.1 becomes interactive", async ({ page }) => {
  test.setTimeout(300_000);
  const port = BASE_PORT + 2;
  // The run's migrated database: a first start of the database is the production test's above
  // (PGlite's initdb is about 10 CPU-seconds); this one is about the dev server and its address.
  const dataDir = newDataDir("organic-e2e-dev-");
  // HOST unset: dev listens on "localhost", as after `npm run dev`; the browser uses 127.0.0.1.
  const dev = spawn(process.execPath, ["scripts/next.mjs", "dev"], {
    env: serverEnv({ NODE_ENV: "development", PORT: String(port), HOST: undefined, DATA_DIR: dataDir }),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const output = collect(dev);
  try {
    const origin = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 180_000;
    while (
      !(await fetch(`${origin}/api/health`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (dev.exitCode !== null || Date.now() > deadline)
        throw new Error(`dev server did not start:\n${output()}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    await page.goto(`${origin}/sign-in`, { timeout: 180_000 });
    // Hydrated: the form validates in the browser instead of submitting.
    await expect(async () => {
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await expect(page.getByText("Enter a valid email address")).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 150_000 });
    expect(output()).not.toContain("Blocked cross-origin request");
    await shot(page, "first-run-dev-127");
  } finally {
    if (dev.pid && dev.exitCode === null) {
      const exited = new Promise((r) => dev.once("exit", r));
      process.kill(-dev.pid, "SIGTERM");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the sign-in and sign-up forms post: the password never goes into the URL", async ({ page }) => {
    for (const [pathname, button] of [
      ["/sign-in", "Sign in"],
      ["/sign-up", "Create account"],
    ] as const) {
      await page.goto(pathname);
      if (pathname === "/sign-up") await page.getByLabel("Name").fill("No Script");
      await page.getByLabel("Email").fill("noscript@example.com");
      await page.getByLabel("Password").fill("a secret in the url");
      const request = page.waitForRequest(
        (r) => new URL(r.url()).pathname === pathname && r.method() !== "GET",
      );
      await page.getByRole("button", { name: button, exact: true }).click();
      const sent = await request;
      expect(sent.method()).toBe("POST");
      expect(sent.url()).not.toContain("secret");
      await page.waitForLoadState();
      expect(page.url()).not.toContain("secret");
      expect(page.url()).not.toContain("password");
    }
  });
});
