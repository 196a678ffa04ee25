import { createHmac } from "node:crypto";
import { expect, test } from "@playwright/test";
import { shot } from "./helpers";
import { setUpWorkspace } from "./main-pages";

const CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

test("attribution: a post's link is clicked, the store's order comes back with the click, Analytics shows the post's revenue", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const slug = await setUpWorkspace(page, "attribution");

  // A tracked link added from the post's editor: made, tied to the post, and put into its body.
  await page.goto(`/${slug}/content`);
  await page.getByRole("link", { name: "A plain post" }).first().click();
  await page.getByTestId("insert-link").click();
  await page.getByLabel("Destination").fill("https://shop.example/products/matcha");
  await page.getByLabel("Label").fill("Matcha in the shop");
  await shot(page, "attribution-00-insert-link");
  await page.getByRole("button", { name: "Add link" }).click();
  const postBody = page.getByTestId("body-input");
  await expect(postBody).toHaveValue(/\[Matcha in the shop\]\(http:\/\/[^)]+\/l\/[A-Za-z0-9]{7}\)$/);
  const shortUrl = /\((http[^)]+)\)$/.exec(await postBody.inputValue())![1]!;
  await page.getByTestId("save-content").click();
  await expect(page.getByText("All changes saved")).toBeVisible();
  await page.goto(`/${slug}/content/links`);
  await expect(page.getByTestId("link-row").filter({ hasText: "Matcha in the shop" })).toContainText(
    "A plain post",
  );

  // A reader follows it: the shop's page gets the click id.
  const followed = await page.request.get(new URL(shortUrl).pathname, {
    headers: { "user-agent": CHROME },
    maxRedirects: 0,
  });
  expect(followed.status()).toBe(302);
  const ocid = new URL(followed.headers().location!).searchParams.get("ocid")!;
  expect(ocid).toMatch(/^[0-9a-f-]{36}$/);

  // Settings → Attribution: connect a WooCommerce store; its webhook address and secret are shown once.
  await page.goto(`/${slug}/settings`);
  await page.getByTestId("settings-tab-attribution").click();
  await page.waitForURL(`**/${slug}/settings/attribution`);
  await expect(page.getByRole("heading", { name: "No store connected" })).toBeVisible();
  await page.getByTestId("connect-store").click();
  await page.getByTestId("store-platform-woocommerce").check();
  await page.getByTestId("store-shop").fill("not a url");
  await page.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByText("The store's address, e.g. https://shop.example")).toBeVisible();
  await page.getByTestId("store-shop").fill("https://shop.example");
  await page.getByRole("button", { name: "Connect" }).click();
  const webhookUrl = (await page.getByTestId("store-webhook-url").textContent())!;
  const secret = (await page.getByTestId("store-secret").textContent())!;
  await shot(page, "attribution-01-store-connected");
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("stores")).toContainText("https://shop.example");

  // The store sends its order.created webhook, signed, with the click its visitor came with.
  const body = JSON.stringify({
    id: 4242,
    number: "4242",
    status: "processing",
    currency: "USD",
    total: "42.50",
    date_created_gmt: new Date().toISOString().slice(0, 19),
    billing: { email: "reader@example.test" },
    meta_data: [
      {
        id: 1,
        key: "_wc_order_attribution_session_entry",
        value: `https://shop.example/products/matcha?ocid=${ocid}`,
      },
    ],
  });
  const delivered = await page.request.post(new URL(webhookUrl).pathname, {
    headers: {
      "content-type": "application/json",
      "x-wc-webhook-topic": "order.created",
      "x-wc-webhook-signature": createHmac("sha256", secret).update(body).digest("base64"),
    },
    data: body,
  });
  expect(delivered.status(), await delivered.text()).toBe(200);
  const forged = await page.request.post(new URL(webhookUrl).pathname, {
    headers: {
      "content-type": "application/json",
      "x-wc-webhook-topic": "order.created",
      "x-wc-webhook-signature": "AAAA",
    },
    data: body,
  });
  expect(forged.status()).toBe(401);

  // The order is listed, credited to the post's link click.
  await page.reload();
  const orders = page.getByTestId("orders-table");
  await expect(orders).toContainText("4242");
  await expect(orders).toContainText("A plain post");
  await expect(orders).toContainText("Link click");
  await shot(page, "attribution-02-settings");

  // Analytics → Revenue: the post earned the order.
  await page.goto(`/${slug}/analytics?tab=revenue`);
  const posts = page.getByTestId("table-attribution-posts");
  const row = posts.getByRole("row").filter({ hasText: "A plain post" });
  await expect(row).toContainText("$42.50");
  await expect(row).toContainText("100%");
  await expect(page.getByTestId("attribution-credited-value")).toHaveText("$42.50");
  await page.getByTestId("attribution").scrollIntoViewIfNeeded();
  await shot(page, "attribution-03-analytics");

  // Linear credit from the settings: saved, every order credited again.
  await page.goto(`/${slug}/settings/attribution`);
  await page.getByTestId("attribution-model-linear").check();
  await page.getByTestId("attribution-window").fill("14");
  await page.getByTestId("attribution-save").click();
  await expect(page.getByText("Saved: 1 order credited again with the new rule")).toBeVisible();
  await ctx.close();
});
