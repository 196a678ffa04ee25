import { expect, test } from "@playwright/test";
import { startTikTokStandIn, type TikTokStandIn } from "../fixtures/stand-ins/tiktok";
import { shot, signUpWithWorkspace, uniqueEmail } from "./helpers";

// The server under test was started (playwright.config.ts) with TIKTOK_* URLs pointing here.
const port = Number(process.env.E2E_TIKTOK_PORT ?? Number(process.env.E2E_PORT ?? 3210) + 8);
let tiktok: TikTokStandIn;

test.beforeAll(async () => {
  tiktok = await startTikTokStandIn({ port });
});
test.afterAll(async () => {
  await tiktok?.close();
});

test("connect TikTok through its authorize page, see the account, disconnect", async ({ page }) => {
  const { slug } = await signUpWithWorkspace(
    page,
    {
      name: "Integrations Owner",
      email: uniqueEmail("int"),
      password: "correct-horse-battery",
    },
    "Moon Mug Co",
  );

  await page.goto(`/${slug}/integrations`);
  await expect(page.getByRole("heading", { name: "Integrations", exact: true })).toBeVisible();
  const card = page.getByTestId("integration-tiktok");
  await expect(card.getByTestId("integration-status")).toHaveText("Not connected");
  for (const p of ["gmail", "openai", "smtp"])
    await expect(page.getByTestId(`integration-${p}`)).toBeVisible();
  await shot(page, "integrations-01-empty");

  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await page.waitForURL(`http://127.0.0.1:${port}/v2/auth/authorize/**`);
  await expect(page.getByRole("heading", { name: "TikTok (stand-in)", exact: true })).toBeVisible();
  await page.getByRole("link", { name: "Authorize" }).click();

  await page.waitForURL(`**/${slug}/integrations?**`);
  await expect(card.getByTestId("integration-status")).toHaveText("Connected");
  await expect(card.getByTestId("integration-account")).toHaveText("Moon Mug Co");
  await expect(page.getByText("TikTok is connected")).toBeVisible();
  // Secrets never reach the page.
  const html = await page.content();
  expect(html).not.toMatch(/act\.[0-9a-f]{8}|rft\.[0-9a-f]{8}/);
  await shot(page, "integrations-02-connected");

  await card.getByRole("button", { name: "Test" }).click();
  await expect(page.getByText("Signed in as @moonmugco")).toBeVisible();
  await card.getByRole("button", { name: "Sync now" }).click();
  await expect(page.getByText("0 videos read, 0 matched to content")).toBeVisible();

  await page.emulateMedia({ colorScheme: "dark" });
  await page.evaluate(() => document.documentElement.classList.add("dark"));
  await shot(page, "integrations-03-connected-dark");
  await page.evaluate(() => document.documentElement.classList.remove("dark"));
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 375, height: 900 });
  await shot(page, "integrations-04-phone");
  await page.setViewportSize({ width: 1280, height: 1000 });

  await card.getByRole("button", { name: "Disconnect" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Disconnect" }).click();
  await expect(card.getByTestId("integration-status")).toHaveText("Not connected");
  expect(tiktok.revoked).toHaveLength(1);
});
