import { expect, test } from "@playwright/test";
import { createFirstWorkspace, shot, signUp, uniqueEmail } from "./helpers";
import { startOwnServer } from "./own-server";

/**
 * A server with email marketing and analytics switched off (ENABLE_EMAIL_MARKETING=false,
 * ENABLE_ANALYTICS=false): the navigation leaves them out, a direct visit shows the "turned off"
 * page, and what stays (content, leads) is there. Its own server: the shared one has every part on.
 * Last, the same server is stopped as `docker stop` stops it, with a dashboard open.
 */
const PORT = Number(process.env.E2E_PORT ?? 3210) + 3;
let server: Awaited<ReturnType<typeof startOwnServer>> | undefined;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  server = await startOwnServer(PORT, { ENABLE_EMAIL_MARKETING: "false", ENABLE_ANALYTICS: "false" });
});

test.afterAll(async () => {
  await server?.stop();
});

test("switched-off parts are absent from the navigation and turned off when visited", async ({ browser }) => {
  const context = await browser.newContext({
    baseURL: server!.origin,
    viewport: { width: 1280, height: 860 },
  });
  const page = await context.newPage();
  await signUp(page, { name: "Flo Flags", email: uniqueEmail("flags"), password: "correct horse battery" });
  const slug = await createFirstWorkspace(page, "Flags Off Co");

  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Content" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Leads" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Email" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Analytics" })).toHaveCount(0);
  await expect(page.getByTestId("feature-off")).toContainText("Analytics is turned off on this server");
  await shot(page, "feature-flags-01-overview");

  await page.goto(`/${slug}/email`);
  await expect(page.getByTestId("feature-off")).toContainText("Email marketing is turned off on this server");
  await page.goto(`/${slug}/settings`);
  await expect(page.getByTestId("settings-tab-members")).toBeVisible();
  await expect(page.getByTestId("settings-tab-sending")).toHaveCount(0);
  await context.close();
});

test("SIGTERM with a dashboard open: its live-update stream is ended and the server exits", async ({
  browser,
}) => {
  const context = await browser.newContext({ baseURL: server!.origin });
  const page = await context.newPage();
  const stream = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/sse");
  await signUp(page, { name: "Stella Stop", email: uniqueEmail("stop"), password: "correct horse battery" });
  await createFirstWorkspace(page, "Stopping Co");
  // The dashboard's stream has answered (its headers are in) and stays open.
  expect((await stream).status()).toBe(200);
  // Next closes the HTTP server and waits for every response to end before it exits: an open stream
  // used to hold it until SIGKILL (here, 20 s later).
  const stopped = await server!.stop({ graceMs: 20_000 });
  expect(stopped.graceful, "the server was still running 20 s after SIGTERM").toBe(true);
  await context.close();
});
