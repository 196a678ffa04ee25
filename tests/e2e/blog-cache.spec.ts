import { expect, type Page, test } from "@playwright/test";
import { shot, signUpWithWorkspace, uniqueEmail } from "./helpers";

/*
 * Issue 16 item 3: the public blog is answered from a cache of its rendered pages
 * (server/blog-page-cache.ts). On the production server: the second visit is a copy; each answer has
 * its own CSP nonce, which the browser accepts (the theme script runs); an edit of the published post
 * shows on the next visit; views are counted for copies too.
 */
const UUID_PATH = /\/content\/([0-9a-f-]{36})$/;
const READER =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

function noncesOf(html: string) {
  return new Set([...html.matchAll(/nonce="([^"]+)"/g)].map((m) => m[1]));
}

async function visit(page: Page, url: string) {
  const res = await page.request.get(url, { headers: { "user-agent": READER } });
  const html = await res.text();
  const csp = res.headers()["content-security-policy"] ?? "";
  return {
    status: res.status(),
    cache: res.headers()["x-organic-cache"],
    html,
    nonce: /'nonce-([^']+)'/.exec(csp)?.[1],
  };
}

test("public blog: pages come from the cache with a fresh nonce, and an edit shows at once", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const { slug: ws } = await signUpWithWorkspace(
    page,
    {
      name: "Bea Blogger",
      email: uniqueEmail("blogcache"),
      password: "correct horse battery",
    },
    `Cached Cards ${Date.now().toString(36).slice(-4)}`,
  );

  await page.goto(`/${ws}/content/new?type=blog`);
  await expect(page.getByTestId("title-input")).toBeEditable();
  await page.getByTestId("title-input").fill("Sleeves that last");
  await page.getByTestId("body-input").fill("## Why sleeve\n\nSleeves keep **corners** sharp.\n");
  await page.getByTestId("save-content").click();
  await page.waitForURL(UUID_PATH);
  await page.getByTestId("publish-now").click();
  await page.getByTestId("publish-confirm").click();
  await expect(page.getByTestId("status-badge")).toHaveText("Published", { timeout: 30_000 });
  const url = `/blog/${ws}/sleeves-that-last`;

  // The first visit renders and keeps the page; the next ones are copies, each with its own nonce.
  const first = await visit(page, url);
  expect(first.status).toBe(200);
  expect(first.cache).toBe("miss");
  const second = await visit(page, url);
  const third = await visit(page, url);
  for (const v of [second, third]) {
    expect(v.status).toBe(200);
    expect(v.cache).toBe("hit");
    expect(v.html).toContain("Sleeves that last");
    // Every nonce in the page is the one its policy names, and no two answers share one.
    expect(noncesOf(v.html)).toEqual(new Set([v.nonce]));
  }
  expect(new Set([first.nonce, second.nonce, third.nonce]).size).toBe(3);
  expect((await visit(page, `/blog/${ws}`)).cache).toBe("miss");
  expect((await visit(page, `/blog/${ws}`)).cache).toBe("hit");

  // Opened under another name (no APP_URL here): its own copy, whose links name that address.
  const port = new URL(page.url()).port;
  const canonical = (html: string) => /<link rel="canonical" href="([^"]+)"/.exec(html)?.[1];
  expect(canonical(second.html)).toBe(`http://localhost:${port}${url}`);
  const renamed = await page.request.get(url, {
    headers: { "user-agent": "Twitterbot/1.0", host: `blog.example.test:${port}` },
  });
  expect(renamed.headers()["x-organic-cache"]).toBe("miss");
  expect(canonical(await renamed.text())).toBe(`http://blog.example.test:${port}${url}`);
  expect(canonical((await visit(page, url)).html)).toBe(`http://localhost:${port}${url}`);

  // A reader's browser runs the copy's scripts under its policy: no CSP refusals, the theme script ran.
  const reader = await browser.newContext({ userAgent: READER, colorScheme: "dark" });
  const readerPage = await reader.newPage();
  const refused: string[] = [];
  readerPage.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
  });
  const res = await readerPage.goto(url);
  expect(res?.headers()["x-organic-cache"]).toBe("hit");
  await expect(readerPage.getByRole("heading", { name: "Why sleeve" })).toBeVisible();
  await expect(readerPage.locator("html")).toHaveClass(/dark/);
  expect(refused).toEqual([]);
  await shot(readerPage, "blog-cache-01-cached-post");

  // An edit of the published post: the next visit renders it again.
  await page.getByTestId("title-input").fill("Sleeves that last for years");
  await page.getByTestId("save-content").click();
  await expect(page.getByTestId("save-content")).toBeDisabled();
  const edited = await visit(page, url);
  expect(edited.cache).toBe("miss");
  expect(edited.html).toContain("Sleeves that last for years");
  expect((await visit(page, url)).cache).toBe("hit");
  const index = await visit(page, `/blog/${ws}`);
  expect(index.cache).toBe("miss");
  expect(index.html).toContain("Sleeves that last for years");

  // Views: the reader's two visits and the six above (renders and copies alike; not the bot's).
  await readerPage.goto(url);
  await reader.close();
  await expect(async () => {
    await page.goto(`/${ws}/content`);
    await expect(page.locator('td[title="8"]')).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 20_000 });
  await ctx.close();
});
