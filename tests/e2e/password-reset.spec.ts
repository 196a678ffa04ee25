import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { createFirstWorkspace, shot, signUp, uniqueEmail } from "./helpers";
import { newDataDir } from "./own-server";

/*
 * Password reset by email (issue 18), in a browser, through a real SMTP server. The shared test
 * server has no mail server (other specs read the outbox), so this spec starts its own production
 * server beside it, with SMTP_URL pointing at a sink in this process.
 */

const PORT = Number(process.env.E2E_PORT ?? 3210) + 20;
const BASE = `http://localhost:${PORT}`;
const PASSWORD = "correct horse battery";
const NEW_PASSWORD = "a brand new passphrase";

let sink: SmtpSink;
let server: ChildProcess | undefined;
let dataDir: string;

test.use({ baseURL: BASE });

test.beforeAll(async () => {
  test.setTimeout(150_000);
  sink = await startSmtpSink();
  dataDir = newDataDir("organic-e2e-reset-");
  const { DATABASE_URL: _db, REDIS_URL: _redis, ...inherited } = process.env;
  server = spawn(process.execPath, ["scripts/next.mjs", "start"], {
    cwd: process.cwd(),
    env: {
      ...inherited,
      NODE_ENV: "production",
      PORT: String(PORT),
      HOST: "localhost",
      DATA_DIR: dataDir,
      SMTP_URL: sink.url,
      EMAIL_FROM: "Organic <no-reply@organic.test>",
      ENCRYPTION_KEY: process.env.ENCRYPTION_KEY ?? "0".repeat(64),
      AUTH_RATE_LIMIT_IP_MAX: "500",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
    // Its own process group: next.mjs starts Next.js as a child, and both must stop with the spec.
    detached: true,
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const up = await fetch(`${BASE}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline || server.exitCode !== null)
      throw new Error("the mail-enabled server did not start");
    await new Promise((r) => setTimeout(r, 500));
  }
});

test.afterAll(async () => {
  if (server?.pid) {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {}
  }
  await sink?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function mailTo(address: string, subject: RegExp, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const m of sink.for(address).toReversed()) {
      const parsed = await sink.parse(m);
      if (subject.test(parsed.subject ?? "")) return parsed;
    }
    if (Date.now() > deadline) throw new Error(`no mail "${subject}" to ${address}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test("forgot password → mail in the SMTP sink → new password → the old session is signed out", async ({
  browser,
}) => {
  const email = uniqueEmail("forgetful");
  // The session that will be ended: signed in on "another device".
  const oldCtx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const old = await oldCtx.newPage();
  await signUp(old, { name: "Fay Forgetful", email, password: PASSWORD });
  const slug = await createFirstWorkspace(old, "Forgetful Co");
  await expect(old.getByTestId("verify-email-banner")).toBeVisible();
  await shot(old, "reset-00-verify-banner");
  // The sign-up's verification mail came through the sink too; its link verifies the address.
  const verification = await mailTo(email, /verify/i);
  const verifyLink = verification.text!.match(/https?:\/\/\S+\/api\/auth\/verify-email\?\S+/)![0];
  await old.goto(verifyLink);
  await expect(old.getByTestId("email-verified")).toBeVisible();
  await shot(old, "reset-00b-email-verified");
  await old.goto(`/${slug}`);
  await expect(old.getByRole("heading", { name: "Overview", exact: true })).toBeVisible();
  await expect(old.getByTestId("verify-email-banner")).toHaveCount(0);

  // On a new device, the password is gone from memory.
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await ctx.newPage();
  await page.goto("/sign-in");
  await page.fill("#email", email);
  await page.getByTestId("forgot-password-link").click();
  await page.waitForURL("**/forgot-password**");
  await expect(page.locator("#email")).toHaveValue(email);
  await shot(page, "reset-01-forgot-password");
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByTestId("forgot-password-sent")).toContainText(email);
  await shot(page, "reset-02-check-your-email");

  const mail = await mailTo(email, /reset/i);
  const link = mail.text!.match(/https?:\/\/\S+\/reset-password\?token=\S+/)![0];
  expect(new URL(link).origin).toBe(BASE);

  await page.goto(link);
  await expect(page.getByText("Choose a new password", { exact: true })).toBeVisible();
  await shot(page, "reset-03-choose-new-password");
  // A common password is refused with a clear message.
  await page.fill("#new-password", "password123");
  await page.fill("#confirm-password", "password123");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.locator("form p[role=alert]")).toContainText("too common");
  await page.fill("#new-password", NEW_PASSWORD);
  await page.fill("#confirm-password", NEW_PASSWORD);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByTestId("reset-password-done")).toBeVisible();
  await shot(page, "reset-04-password-changed");

  // The link worked once.
  await page.goto(link);
  await page.fill("#new-password", "yet another passphrase");
  await page.fill("#confirm-password", "yet another passphrase");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.locator("form p[role=alert]")).toContainText("expired or was already used");

  // The other device was signed out.
  await old.goto(`/${slug}`);
  await expect(old).toHaveURL(/\/sign-in/);

  // The old password no longer works; the new one does.
  await page.goto("/sign-in");
  await page.fill("#email", email);
  await page.fill("#password", PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form p[role=alert]")).toContainText(/invalid email or password/i);
  await page.fill("#password", NEW_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(new RegExp(`/${slug}$`));
  await expect(page.getByRole("heading", { name: "Overview", exact: true })).toBeVisible();

  await oldCtx.close();
  await ctx.close();
});
