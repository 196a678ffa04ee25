import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { TSX_NODE_ARGS } from "@/scripts/tsx-node-args";

export const SHOTS = path.join(process.cwd(), "tests/artifacts/screenshots");
mkdirSync(SHOTS, { recursive: true });

export function uniqueEmail(prefix: string) {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

/**
 * A full-page screenshot of what the test sees, for people to look at (`tests/artifacts/screenshots`).
 * E2E_SCREENSHOTS=off skips them: `.ci/run` does, since its clone (and every file in it) is deleted
 * after the run (30 of them cost about 7 CPU-seconds; a whole run's ~180 were within its noise).
 */
export async function shot(page: Page, name: string) {
  if (process.env.E2E_SCREENSHOTS === "off") return;
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * Waits, when fewer than `withinMs` are left before the next midnight UTC, until just past it, and adds
 * the wait to the test's time. For a spec that schedules or publishes posts "now" and then looks for
 * them on today's calendar cell: across midnight the posts land on two days (CI once ran one at 23:59).
 */
export async function clearOfMidnightUtc(withinMs: number) {
  const now = Date.now();
  const left = 86_400_000 - (now % 86_400_000);
  if (left >= withinMs) return;
  test.info().setTimeout(test.info().timeout + left + 1_000);
  await new Promise((resolve) => setTimeout(resolve, left + 1_000));
}

export async function signUp(page: Page, p: { name: string; email: string; password: string }) {
  await page.goto("/sign-up");
  await page.fill("#name", p.name);
  await page.fill("#email", p.email);
  await page.fill("#password", p.password);
  await page.getByRole("button", { name: "Create account" }).click();
}

export async function createFirstWorkspace(page: Page, name: string) {
  await page.waitForURL("**/onboarding");
  await page.fill("#ws-name", name);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/onboarding"));
  await expect(page.getByRole("heading", { name: "Overview", exact: true })).toBeVisible();
  return new URL(page.url()).pathname.split("/")[1]!;
}

/**
 * A new account and its first workspace for a spec about something else, made with the HTTP calls the
 * sign-up and onboarding pages make (better-auth's sign-up and sign-in, then `workspace.create`), so the browser
 * does not draw those two pages and the Overview each time. The session cookie lands in the page's
 * context. Sign-up and onboarding themselves are driven through their pages by foundation.spec,
 * any-address.spec and first-run.spec. Returns the workspace's slug; the page has not moved.
 */
export async function signUpWithWorkspace(
  page: Page,
  user: { name: string; email: string; password: string },
  workspaceName: string,
): Promise<{ slug: string; workspaceId: string }> {
  // As the form does: sign-up starts no session (it answers a taken address as a new one), sign-in does.
  const signedUp = await page.request.post("/api/auth/sign-up/email", { data: user });
  expect(signedUp.ok(), `sign-up: ${await signedUp.text()}`).toBe(true);
  const signedIn = await page.request.post("/api/auth/sign-in/email", {
    data: { email: user.email, password: user.password },
  });
  expect(signedIn.ok(), `sign-in: ${await signedIn.text()}`).toBe(true);
  const ws = await trpcPost<{ id: string; slug: string }>(page, "workspace.create", { name: workspaceName });
  return { slug: ws.slug, workspaceId: ws.id };
}

/** A tRPC mutation as the signed-in page's context: fails the test unless it succeeds; its result. */
export async function trpcPost<T = unknown>(page: Page, path: string, json: unknown): Promise<T> {
  const res = await page.request.post(`/api/trpc/${path}`, { data: { json } });
  expect(res.ok(), `${path}: ${await res.text()}`).toBe(true);
  return (await res.json()).result.data.json as T;
}

/**
 * What an operator without a mail server does: `npm run cli -- verify-email` against the server's
 * database (PostgreSQL when E2E_DATABASE_URL is set, else the embedded one through its socket).
 */
export function verifyEmailWithCli(email: string): Promise<void> {
  const { DATABASE_URL: _db, REDIS_URL: _redis, ...inherited } = process.env;
  const env = {
    ...inherited,
    DATA_DIR: process.env.E2E_DATA_DIR ?? "",
    ...(process.env.E2E_DATABASE_URL ? { DATABASE_URL: process.env.E2E_DATABASE_URL } : {}),
  };
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...TSX_NODE_ARGS, "cli/index.ts", "verify-email", "--email", email],
      { cwd: process.cwd(), env, timeout: 60_000 },
      (err, _stdout, stderr) => (err ? reject(new Error(`verify-email failed: ${stderr}`)) : resolve()),
    );
  });
}
