import { expect, test } from "@playwright/test";
import { type AmazonStandIn, STAND_IN_CREDENTIALS, startAmazonStandIn } from "../fixtures/stand-ins/amazon";
import { shot, signUpWithWorkspace, uniqueEmail } from "./helpers";

// The server under test was started (playwright.config.ts) with AMAZON_* URLs pointing here.
const port = Number(process.env.E2E_AMAZON_PORT ?? Number(process.env.E2E_PORT ?? 3210) + 7);
let amazon: AmazonStandIn;

test.beforeAll(async () => {
  amazon = await startAmazonStandIn({ port });
});
test.afterAll(async () => {
  await amazon?.close();
});

test("connect Amazon, preview and create an MCF order, see it in the list", async ({ page }) => {
  const { slug } = await signUpWithWorkspace(
    page,
    { name: "Fulfil Owner", email: uniqueEmail("ff"), password: "correct-horse-battery" },
    "Sample Shop",
  );

  await page.goto(`/${slug}/integrations`);
  const card = page.getByTestId("amazon-card");
  await expect(card).toBeVisible();
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await card.locator("#amz-client-id").fill(STAND_IN_CREDENTIALS.clientId);
  await card.locator("#amz-client-secret").fill(STAND_IN_CREDENTIALS.clientSecret);
  await card.locator("#amz-refresh-token").fill(STAND_IN_CREDENTIALS.refreshToken);
  await card.getByRole("button", { name: "Connect Amazon" }).click();
  await expect(card.getByTestId("amazon-account")).toHaveText("Organic Test Store");
  await expect(card.getByText("Connected", { exact: true })).toBeVisible();
  // Secrets never come back to the page.
  expect(await page.content()).not.toContain(STAND_IN_CREDENTIALS.refreshToken);
  await card.getByRole("button", { name: "Sync now" }).click();
  await expect(card.getByTestId("amazon-last-sync")).toContainText("5 fetched", { timeout: 20_000 });
  await shot(page, "fulfillment-amazon-card");

  await page.getByRole("link", { name: "Fulfillment" }).first().click();
  await expect(page.getByRole("heading", { name: "Fulfillment", exact: true })).toBeVisible();
  await page.fill("#ff-name", "Ada Lovelace");
  await page.fill("#ff-line1", "1 Analytical Way");
  await page.fill("#ff-city", "Seattle");
  await page.fill("#ff-state", "WA");
  await page.fill("#ff-postal", "98109");
  await page.fill("#ff-sku-0", "SAMPLE-KIT");
  await page.fill("#ff-qty-0", "2");
  await page.getByRole("button", { name: "Preview" }).click();
  const options = page.getByTestId("preview-options");
  await expect(options).toContainText("Standard");
  await expect(options).toContainText("7.09 USD");
  await expect(options).toContainText("Expedited");
  await shot(page, "fulfillment-preview");

  await options.getByText("Expedited").click();
  await page.getByRole("button", { name: /Create order/ }).click();
  const detail = page.getByTestId("fulfillment-detail");
  await expect(detail).toContainText("Received");
  const list = page.getByTestId("fulfillment-list");
  await expect(list.getByTestId("fulfillment-row")).toHaveCount(1);
  await expect(list).toContainText("Ada Lovelace");
  expect(amazon.mcf.size).toBe(1);

  // Amazon ships it: the detail shows the tracking number.
  const [id] = [...amazon.mcf.keys()];
  amazon.advance(id!, 3);
  await page.reload();
  await list.getByTestId("fulfillment-row").first().click();
  await expect(page.getByTestId("shipments")).toContainText("UPS");
  await expect(page.getByTestId("fulfillment-detail")).toContainText("nothing left to cancel");
  await shot(page, "fulfillment-detail");

  await page.emulateMedia({ colorScheme: "dark" });
  await shot(page, "fulfillment-dark");
  await page.setViewportSize({ width: 375, height: 800 });
  await shot(page, "fulfillment-mobile");
});

test("an unfulfillable preview explains why", async ({ page }) => {
  const { slug } = await signUpWithWorkspace(
    page,
    { name: "Fulfil Two", email: uniqueEmail("ff2"), password: "correct-horse-battery" },
    "Second Shop",
  );
  await page.goto(`/${slug}/fulfillment`);
  // Not connected: the page says so and links to the integrations page.
  await expect(page.getByText("Connect Amazon to ship")).toBeVisible();
});
