import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { TSX_NODE_ARGS } from "@/scripts/tsx-node-args";
import {
  OIDC_TEST_CLIENT_ID,
  OIDC_TEST_CLIENT_SECRET,
  type OidcServer,
  startOidcServer,
} from "../fixtures/oidc-server";
import { createFirstWorkspace, shot, signUp } from "./helpers";
import { newDataDir } from "./own-server";

/*
 * Company SSO (issue 18 item 3) in a browser, against a real OpenID Connect provider (oidc-provider,
 * its login and consent pages) on 127.0.0.1. The shared test server has no OIDC provider, so this
 * spec starts its own production server beside it with OIDC_* pointing at the provider.
 */

const PORT = Number(process.env.E2E_PORT ?? 3210) + 21;
const IDP_PORT = Number(process.env.E2E_PORT ?? 3210) + 22;
const BASE = `http://localhost:${PORT}`;
const PASSWORD = "correct horse battery";

let idp: OidcServer;
let server: ChildProcess | undefined;
let dataDir: string;

test.use({ baseURL: BASE });

test.beforeAll(async () => {
  test.setTimeout(150_000);
  idp = await startOidcServer({ redirectUris: [`${BASE}/api/auth/callback/oidc`], port: IDP_PORT });
  dataDir = newDataDir("organic-e2e-sso-");
  const { DATABASE_URL: _db, REDIS_URL: _redis, ...inherited } = process.env;
  server = spawn(process.execPath, ["scripts/next.mjs", "start"], {
    cwd: process.cwd(),
    env: {
      ...inherited,
      NODE_ENV: "production",
      PORT: String(PORT),
      HOST: "localhost",
      DATA_DIR: dataDir,
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: OIDC_TEST_CLIENT_ID,
      OIDC_CLIENT_SECRET: OIDC_TEST_CLIENT_SECRET,
      OIDC_NAME: "Acme SSO",
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
      throw new Error("the SSO-enabled server did not start");
    await new Promise((r) => setTimeout(r, 500));
  }
});

test.afterAll(async () => {
  if (server?.pid) {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {}
  }
  await idp?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** `npm run cli -- verify-email` against this spec's server's embedded database (through its socket). */
function verifyEmail(email: string): Promise<void> {
  const { DATABASE_URL: _db, REDIS_URL: _redis, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...TSX_NODE_ARGS, "cli/index.ts", "verify-email", "--email", email],
      { cwd: process.cwd(), env: { ...inherited, DATA_DIR: dataDir }, timeout: 60_000 },
      (err, _stdout, stderr) => (err ? reject(new Error(`verify-email failed: ${stderr}`)) : resolve()),
    );
  });
}

/** The provider's own login and consent pages, as a person fills them in. */
async function approveAtProvider(page: Page, login: string, shotPrefix?: string) {
  await page.waitForURL(`${idp.issuer}/interaction/**`);
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', "any password");
  if (shotPrefix) await shot(page, `${shotPrefix}-provider-login`);
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

test("Sign in with SSO → the dashboard; a workspace that requires SSO refuses its member's password", async ({
  browser,
}) => {
  const domain = `acme-${randomUUID().slice(0, 8)}.test`;
  const adminEmail = `admin@${domain}`;
  const memberEmail = `colleague@${domain}`;

  // The admin's first sign-in, through the provider, creates their account.
  const adminCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const admin = await adminCtx.newPage();
  await admin.goto("/sign-in");
  await expect(admin.getByTestId("sign-in-with-oidc")).toHaveText("Sign in with Acme SSO");
  await shot(admin, "sso-01-sign-in");
  await admin.getByTestId("sign-in-with-oidc").click();
  await approveAtProvider(admin, adminEmail, "sso-02");
  const slug = await createFirstWorkspace(admin, "Acme Marketing");
  await expect(admin.locator('[data-slot="skeleton"]')).toHaveCount(0);
  await shot(admin, "sso-03-dashboard");

  // Settings → Members: everyone at the domain joins as a member; SSO required.
  await admin.goto(`/${slug}/settings/members`);
  const card = admin.getByTestId("sso-card");
  await expect(card).toContainText("Single sign-on");
  await admin.getByTestId("sso-auto-join-domain").fill(domain);
  await admin.getByTestId("sso-required-switch").click();
  await admin.getByTestId("sso-save").click();
  await expect(admin.getByText("Single sign-on settings saved")).toBeVisible();
  await expect(admin.getByTestId("sso-required-switch")).toHaveAttribute("data-state", "checked");
  await shot(admin, "sso-04-settings");

  // A colleague with a password account at the domain: once their address is verified, signing in
  // makes them a member, but their password session cannot open the workspace.
  const memberCtx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const member = await memberCtx.newPage();
  await signUp(member, { name: "Cole League", email: memberEmail, password: PASSWORD });
  await member.waitForURL("**/onboarding");
  await verifyEmail(memberEmail);
  await memberCtx.clearCookies();
  await member.goto("/sign-in");
  await member.fill("#email", memberEmail);
  await member.fill("#password", PASSWORD);
  await member.getByRole("button", { name: "Sign in", exact: true }).click();
  await member.waitForURL("**/sso-required?workspace=**");
  await expect(member.getByTestId("sso-required-message")).toHaveText(
    "Acme Marketing requires signing in with Acme SSO. You signed in another way: sign in with Acme SSO to open it.",
  );
  await shot(member, "sso-05-password-session-refused");

  // Signing out and in with the password again is refused on the sign-in form itself.
  await member.getByRole("button", { name: "Sign out" }).click();
  await member.waitForURL("**/sign-in");
  await member.fill("#email", memberEmail);
  await member.fill("#password", PASSWORD);
  await member.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(
    member.getByText(
      "Acme Marketing requires signing in with Acme SSO. Use “Sign in with Acme SSO” instead.",
    ),
  ).toBeVisible();
  await shot(member, "sso-06-password-sign-in-refused");

  // Through the provider, the member is in.
  await member.getByTestId("sign-in-with-oidc").click();
  await approveAtProvider(member, memberEmail);
  await member.waitForURL(`**/${slug}`, { waitUntil: "commit" });
  await expect(member.getByRole("heading", { name: "Overview", exact: true })).toBeVisible();
  await expect(member.locator('[data-slot="skeleton"]')).toHaveCount(0);
  await shot(member, "sso-07-member-in-through-sso");

  await adminCtx.close();
  await memberCtx.close();
});
