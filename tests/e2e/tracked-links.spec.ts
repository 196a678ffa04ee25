import { expect, test } from "@playwright/test";
import { shot } from "./helpers";
import { setUpWorkspace } from "./main-pages";

const CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

test("tracked links: make one for a blog post, follow it as a person and as a bot, edit it, delete it", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const slug = await setUpWorkspace(page, "links");

  // Reached from the navigation, under Content.
  await page.goto(`/${slug}`);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Links" }).click();
  await page.waitForURL(`**/${slug}/content/links`);
  await expect(page.getByRole("heading", { name: "No links yet" })).toBeVisible();
  await shot(page, "links-01-empty");

  // New link, tied to the published post: its UTM parameters come from the post.
  await page.getByTestId("link-new").first().click();
  const dialog = page.getByTestId("link-dialog");
  await dialog.getByLabel("Destination").fill("https://www.amazon.com/dp/B0TESTLINK");
  await dialog.getByLabel("Label").fill("Matcha on Amazon");
  await dialog.getByTestId("link-content").click();
  await page.getByRole("option", { name: "A plain post (blog)" }).click();
  await shot(page, "links-02-new");
  await dialog.getByTestId("link-save").click();
  await expect(dialog).toBeHidden();

  const row = page.getByTestId("link-row").filter({ hasText: "Matcha on Amazon" });
  await expect(row).toBeVisible();
  await expect(row).toContainText("blog · blog · a-plain-post");
  await expect(row.getByRole("link", { name: "A plain post" })).toBeVisible();
  const shortUrl = (await row.getByTestId("link-short-url").textContent())!;
  const path = new URL(shortUrl).pathname;
  expect(path).toMatch(/^\/l\/[A-Za-z0-9]{7}$/);

  // A person's click redirects with the UTM parameters; a crawler's is counted apart.
  const human = await page.request.get(path, { headers: { "user-agent": CHROME }, maxRedirects: 0 });
  expect(human.status()).toBe(302);
  // …and the person's click id (ocid), which a store or a form can bring back with an order.
  expect(human.headers().location).toMatch(
    /^https:\/\/www\.amazon\.com\/dp\/B0TESTLINK\?utm_source=blog&utm_medium=blog&utm_campaign=a-plain-post&ocid=[0-9a-f-]{36}$/,
  );
  const bot = await page.request.get(path, { headers: { "user-agent": GOOGLEBOT }, maxRedirects: 0 });
  expect(bot.status()).toBe(302);
  await page.reload();
  await expect(row.getByTestId("link-clicks-30d")).toHaveText("1");
  await expect(row.getByTestId("link-machine-clicks")).toHaveText("1");
  await shot(page, "links-03-counted");

  // A new destination applies to the next click; the short address stays.
  await row.getByRole("button", { name: "Edit Matcha on Amazon" }).click();
  await dialog.getByLabel("Destination").fill("https://www.amazon.com/dp/B0NEWPLACE");
  await dialog.getByTestId("link-save").click();
  await expect(dialog).toBeHidden();
  await expect(row.getByTestId("link-short-url")).toHaveText(shortUrl);
  const moved = await page.request.get(path, { headers: { "user-agent": CHROME }, maxRedirects: 0 });
  expect(moved.headers().location).toContain("https://www.amazon.com/dp/B0NEWPLACE?utm_source=blog");

  // A bad destination is refused in words, and nothing changes.
  await row.getByRole("button", { name: "Edit Matcha on Amazon" }).click();
  await dialog.getByLabel("Destination").fill("javascript:alert(1)");
  await dialog.getByTestId("link-save").click();
  await expect(dialog.getByText("Use a full http:// or https:// address")).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // Deleting it makes the address a 404.
  await row.getByRole("button", { name: "Delete Matcha on Amazon" }).click();
  await page.getByRole("button", { name: "Delete link" }).click();
  await expect(page.getByRole("heading", { name: "No links yet" })).toBeVisible();
  const gone = await page.request.get(path, { headers: { "user-agent": CHROME }, maxRedirects: 0 });
  expect(gone.status()).toBe(404);
  await ctx.close();
});
