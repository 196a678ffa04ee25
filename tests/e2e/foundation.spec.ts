import { expect, test } from "@playwright/test";
import { createFirstWorkspace, shot, signUp, uniqueEmail, verifyEmailWithCli } from "./helpers";

const PASSWORD = "correct horse battery";

test("sign up → onboarding → dashboard → invite a viewer → the viewer gets a read-only workspace", async ({
  browser,
}) => {
  // --- the owner ---
  const ownerCtx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const owner = await ownerCtx.newPage();
  await owner.goto("/");
  await expect(owner).toHaveURL(/\/sign-in/);
  await shot(owner, "01-sign-in");

  const ownerEmail = uniqueEmail("owner");
  await signUp(owner, { name: "Olivia Owner", email: ownerEmail, password: PASSWORD });
  await expect(owner.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  await shot(owner, "02-onboarding");
  const slug = await createFirstWorkspace(owner, "Acme Card Games");
  expect(slug).toBe("acme-card-games");
  for (const label of ["Overview", "Content", "Email", "Leads", "Analytics", "Integrations", "Settings"]) {
    await expect(
      owner.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label }),
    ).toBeVisible();
  }
  await expect(owner.getByTestId("revenue-metric")).toBeVisible();
  await shot(owner, "03-overview");

  // analytics opens on its tabs (figures themselves are tested in analytics.spec.ts)
  await owner.getByRole("link", { name: "Analytics", exact: true }).click();
  await expect(owner.getByRole("tab", { name: "Content" })).toBeVisible();

  // --- invite a viewer ---
  await owner.goto(`/${slug}/settings/members`);
  await owner.getByTestId("invite-button").click();
  const viewerEmail = uniqueEmail("viewer");
  await owner.getByTestId("invite-email").fill(viewerEmail);
  await owner.getByTestId("invite-role").click();
  await owner.getByRole("option", { name: /viewer/i }).click();
  await owner.getByTestId("invite-submit").click();
  const linkEl = owner.getByTestId("invite-link");
  await expect(linkEl).toBeVisible();
  const link = (await linkEl.inputValue().catch(() => null)) || (await linkEl.textContent())!;
  expect(link).toMatch(/\/invitations\/[A-Za-z0-9_-]{20,}$/);
  await shot(owner, "04-invite-link");
  await owner.keyboard.press("Escape");
  await expect(owner.getByTestId(`invitation-row-${viewerEmail}`)).toBeVisible();
  await shot(owner, "05-members");

  // --- the viewer, in a second browser context ---
  const viewerCtx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const viewer = await viewerCtx.newPage();
  await viewer.goto(new URL(link).pathname);
  await expect(viewer.getByText("Join Acme Card Games", { exact: true })).toBeVisible();
  await shot(viewer, "06-invitation-signed-out");
  await viewer.getByRole("link", { name: "Create account" }).click();
  await expect(viewer.locator("#email")).toHaveValue(viewerEmail);
  await viewer.fill("#name", "Victor Viewer");
  await viewer.fill("#password", PASSWORD);
  await viewer.getByRole("button", { name: "Create account" }).click();
  await viewer.waitForURL(/\/invitations\//);
  // Accepting needs the address verified (issue 12); no mail server here, so the operator vouches.
  await expect(viewer.getByTestId("invitation-verify-first")).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Accept invitation" })).toHaveCount(0);
  await shot(viewer, "06b-invitation-verify-first");
  await verifyEmailWithCli(viewerEmail);
  await viewer.reload();
  await viewer.getByRole("button", { name: "Accept invitation" }).click();
  await viewer.waitForURL(new RegExp(`/${slug}$`));
  await expect(viewer.getByTestId("read-only-badge")).toBeVisible();
  await expect(viewer.getByRole("link", { name: "Invite teammates" })).toHaveCount(0);
  await shot(viewer, "07-viewer-overview");

  // read-only UI: no invite/role/remove controls, settings disabled, no save button
  await viewer.goto(`/${slug}/settings/members`);
  await expect(viewer.getByTestId("members-table")).toBeVisible();
  await expect(viewer.getByTestId("invite-button")).toHaveCount(0);
  await expect(viewer.getByTestId(`role-select-${ownerEmail}`)).toHaveCount(0);
  await shot(viewer, "08-viewer-members");
  await viewer.goto(`/${slug}/settings`);
  await expect(viewer.locator("input").first()).toBeDisabled();
  await expect(viewer.getByRole("button", { name: /save/i })).toHaveCount(0);
  await shot(viewer, "09-viewer-settings");
  // The outbox holds other people's mail (invitation copies among them): admins only (issue 12).
  await viewer.goto(`/${slug}/email`);
  await expect(viewer.getByRole("heading", { name: "Email", exact: true })).toBeVisible();
  await expect(viewer.getByTestId("open-outbox")).toHaveCount(0);
  await viewer.goto(`/${slug}/email/outbox`);
  await expect(viewer.getByText("The outbox is for admins and owners")).toBeVisible();
  await shot(viewer, "09b-viewer-outbox-refused");

  // …and the server refuses a viewer's write even when the UI is bypassed
  const refused = await viewer.evaluate(async () => {
    const ws = await fetch("/api/trpc/workspace.list").then((r) => r.json());
    const workspaceId = ws.result.data.json[0].id as string;
    const res = await fetch("/api/trpc/workspace.update", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { workspaceId, name: "Hacked" } }),
    });
    return { status: res.status, body: await res.json() };
  });
  expect(refused.status).toBe(403);
  expect(refused.body.error.json.message).toMatch(/admin/);

  // the owner sees the viewer joined, and the activity log recorded it all
  await owner.goto(`/${slug}/settings/activity`);
  await expect(owner.getByTestId("activity-table")).toContainText("joined as viewer");
  await expect(owner.getByTestId("activity-table")).toContainText(`invited ${viewerEmail} as viewer`);
  await shot(owner, "10-activity");

  // dark mode and a phone-sized screen
  await owner.goto(`/${slug}`);
  await owner.getByTestId("theme-toggle").click();
  await expect(owner.locator("html")).toHaveClass(/dark/);
  await shot(owner, "11-overview-dark");
  await owner.setViewportSize({ width: 375, height: 760 });
  await owner.getByRole("button", { name: "Open navigation" }).click();
  await expect(owner.getByRole("dialog").getByRole("link", { name: "Settings" })).toBeVisible();
  await owner.waitForTimeout(600); // let the slide-in finish before the picture
  await shot(owner, "12-mobile-nav");

  await ownerCtx.close();
  await viewerCtx.close();
});

test("unknown pages and foreign workspaces are a 404; health answers", async ({ page, request }) => {
  const res = await page.goto("/definitely-not-a-workspace/nothing/here");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found", exact: true })).toBeVisible();
  await shot(page, "13-not-found");

  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  const body = await health.json();
  expect(body.services).toMatchObject({ database: "ok", redis: "disabled", queue: "ok" });
});

test("sign-in is rate limited per account", async ({ request, baseURL }) => {
  const email = uniqueEmail("brute");
  let last = 0;
  for (let i = 0; i < 12; i++) {
    const res = await request.post("/api/auth/sign-in/email", {
      data: { email, password: "wrong password" },
      headers: { origin: baseURL! },
    });
    last = res.status();
    if (last === 429) break;
    expect(last).toBe(401);
  }
  expect(last).toBe(429);
});

test("signing in from a deep link lands on the page asked for", async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const email = uniqueEmail("deeplink");
  await signUp(page, { name: "Dee Link", email, password: PASSWORD });
  const slug = await createFirstWorkspace(page, "Deep Link Goods");

  const fresh = await browser.newContext();
  const visitor = await fresh.newPage();
  await visitor.goto(`/${slug}/leads/segments?tab=all`);
  await expect(visitor).toHaveURL(
    new RegExp(
      `/sign-in\\?next=${encodeURIComponent(`/${slug}/leads/segments?tab=all`).replace(/[?]/g, "\\?")}$`,
    ),
  );
  await visitor.fill("#email", email);
  await visitor.fill("#password", PASSWORD);
  await visitor.getByRole("button", { name: "Sign in", exact: true }).click();
  await visitor.waitForURL(new RegExp(`/${slug}/leads/segments\\?tab=all$`));
  await expect(visitor.getByRole("heading", { name: "Segments", exact: true })).toBeVisible();
  await ctx.close();
  await fresh.close();
});
