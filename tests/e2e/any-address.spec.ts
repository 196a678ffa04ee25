import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createFirstWorkspace, shot, uniqueEmail } from "./helpers";
import { newDataDir } from "./own-server";

/**
 * Issue #12 item 5: the documented production start (`npm start`: HOST defaults to 0.0.0.0) with no
 * APP_URL. The shared test server starts with HOST=localhost, which hid the bug, so this spec starts
 * its own production server — default HOST, fresh embedded install — and signs up, out and in again
 * through http://127.0.0.1:<port>, an address the server was never told about.
 */

const PASSWORD = "correct horse battery";
let server: ChildProcess | undefined;
let dataDir = "";
let origin = "";
let serverLog = "";

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const port = await freePort();
  dataDir = newDataDir("organic-any-address-");
  const {
    APP_URL: _a,
    HOST: _h,
    DATABASE_URL: _d,
    REDIS_URL: _r,
    TRUST_PROXY: _t,
    ...inherited
  } = process.env;
  server = spawn(process.execPath, ["scripts/next.mjs", "start"], {
    env: {
      ...inherited,
      NODE_ENV: "production",
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      ENCRYPTION_KEY: "1".repeat(64),
    },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so stopping it also stops the Next.js child that scripts/next.mjs starts.
    detached: true,
  });
  server.stdout!.on("data", (c: Buffer) => {
    serverLog += c.toString();
  });
  server.stderr!.on("data", (c: Buffer) => {
    serverLog += c.toString();
  });
  origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000;
  for (;;) {
    const up = await fetch(`${origin}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (server.exitCode !== null || Date.now() > deadline) {
      throw new Error(`production server did not start:\n${serverLog}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  // The server listens on every address: HOST was left to npm start's default.
  expect(serverLog).toMatch(/0\.0\.0\.0/);
});

test.afterAll(async () => {
  if (server?.pid && server.exitCode === null) {
    const exited = new Promise((r) => server!.once("exit", r));
    process.kill(-server.pid, "SIGTERM");
    await exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test("npm start without APP_URL: sign up, sign out and sign in again on http://127.0.0.1", async ({
  browser,
}) => {
  const context = await browser.newContext({ baseURL: origin, viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const email = uniqueEmail("any-address");

  await page.goto("/sign-up");
  await page.fill("#name", "Ada Anywhere");
  await page.fill("#email", email);
  await page.fill("#password", PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  const slug = await createFirstWorkspace(page, "Any Address Co");
  expect(new URL(page.url()).origin).toBe(origin);
  await shot(page, "any-address-01-overview");

  await page.getByTestId("user-menu").click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await page.waitForURL("**/sign-in");
  await page.goto(`/${slug}`);
  await expect(page).toHaveURL(/\/sign-in/);

  await page.fill("#email", email);
  await page.fill("#password", PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview", exact: true })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe(`/${slug}`);
  await shot(page, "any-address-02-signed-in-again");

  // Still one origin only: a cross-site form post is refused.
  const crossSite = await context.request.post(`${origin}/api/auth/sign-in/email`, {
    headers: { origin: "https://evil.example", "content-type": "application/json" },
    data: { email, password: PASSWORD },
  });
  expect(crossSite.status()).toBe(403);
  await context.close();
});
