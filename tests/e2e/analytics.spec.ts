import fs from "node:fs";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import pg from "pg";
import { createFirstWorkspace, shot, signUp, uniqueEmail } from "./helpers";

/*
 * Seeds history the integrations would write (orders, content metric snapshots) straight into the
 * server's database: PostgreSQL when E2E_DATABASE_URL is set, otherwise the embedded database's
 * socket in E2E_DATA_DIR (run with E2E_DATA_DIR=$(mktemp -d) so this process knows where it is).
 */
function databaseUrl(): string {
  if (process.env.E2E_DATABASE_URL) return process.env.E2E_DATABASE_URL;
  const dir = process.env.E2E_DATA_DIR;
  if (!dir)
    throw new Error("analytics.spec needs E2E_DATABASE_URL or E2E_DATA_DIR to seed the server's database");
  const lock = JSON.parse(fs.readFileSync(path.join(dir, "pglite.lock.json"), "utf8")) as {
    socketDir: string;
  };
  return `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(lock.socketDir)}`;
}

async function seed(slug: string) {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>("select id from workspaces where slug = $1", [slug]);
    const ws = rows[0]!.id;
    const { rows: items } = await client.query<{ id: string }>(
      `insert into content (workspace_id, type, title, status, published_at)
       values ($1, 'tiktok', 'Unboxing the deluxe deck', 'published', now() - interval '3 days'),
              ($1, 'blog', 'How we print our cards', 'published', now() - interval '2 days')
       returning id`,
      [ws],
    );
    // Two syncs of the TikTok item (1,000 then 1,500 views) and one of the blog post (300): 1,800 views.
    // Syncs write snapshots as they happen, so they are recent (the rollup finds rows by when they arrived).
    await client.query(
      `insert into content_metric_snapshots (workspace_id, content_id, captured_at, views, likes, conversions, revenue)
       values ($1, $2, now() - interval '90 seconds', 1000, 50, 0, 0),
              ($1, $2, now() - interval '1 minute', 1500, 80, 2, 40.00),
              ($1, $3, now() - interval '1 minute', 300, 10, 0, 0)`,
      [ws, items[0]!.id, items[1]!.id],
    );
    await client.query(
      `insert into orders (workspace_id, source, external_id, purchase_date, status, channel, total, currency)
       values ($1, 'manual', 'E2E-1', now() - interval '1 day', 'Shipped', 'amazon', 120.50, 'USD'),
              ($1, 'manual', 'E2E-2', now() - interval '2 hours', 'Shipped', 'tiktok', 29.50, 'USD')`,
      [ws],
    );
  } finally {
    await client.end();
  }
}

async function addLead(page: Page, slug: string, email: string) {
  await page.goto(`/${slug}/leads`);
  await page.getByTestId("add-lead-empty").or(page.getByTestId("add-lead")).first().click();
  await page.getByTestId("lead-email-input").fill(email);
  await page.getByTestId("lead-save").click();
  await expect(page.getByRole("heading", { name: email })).toBeVisible(); // the new lead's page
}

test("analytics: overview from seeded data, live lead, tabs, range and CSV export", async ({ browser }) => {
  test.setTimeout(180_000);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 1000 }, acceptDownloads: true });
  const page = await ctx.newPage();
  await signUp(page, {
    name: "Ana Lytics",
    email: uniqueEmail("analytics"),
    password: "correct horse battery",
  });
  const slug = await createFirstWorkspace(page, `Deck Shop ${Date.now().toString(36).slice(-4)}`);
  await seed(slug);
  const other = await ctx.newPage();
  await addLead(other, slug, "first-lead@example.test");

  // --- the overview shows the seeded figures once the rollup has run (within a minute) ---
  await page.goto(`/${slug}`);
  await expect(page.getByTestId("revenue-metric-value")).toHaveText("$150.00", { timeout: 90_000 });
  await expect(page.getByTestId("traffic-metric-value")).toHaveText("1,800");
  // The lead was added a few seconds after the seed: a rollup run may fall between the two.
  await expect(page.getByTestId("leads-metric-value")).toHaveText("1", { timeout: 90_000 });
  await expect(page.getByTestId("conversions-metric-value")).toHaveText("2");
  await expect(page.getByTestId("published-metric-value")).toHaveText("2");
  await expect(page.getByTestId("top-views")).toContainText("Unboxing the deluxe deck");
  await expect(page.getByTestId("traffic-metric-freshness")).toContainText("Content synced");
  await shot(page, "analytics-01-overview");

  // --- a lead added elsewhere shows up on the open overview without a reload ---
  await addLead(other, slug, "second-lead@example.test");
  await expect(page.getByTestId("leads-metric-value")).toHaveText("2", { timeout: 15_000 });

  // --- dark mode and a phone ---
  await page.emulateMedia({ colorScheme: "dark" });
  await page.evaluate(() => document.documentElement.classList.add("dark"));
  await shot(page, "analytics-02-overview-dark");
  await page.evaluate(() => document.documentElement.classList.remove("dark"));
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 375, height: 900 });
  await shot(page, "analytics-03-overview-375");
  await page.setViewportSize({ width: 1280, height: 1000 });

  // --- analytics tabs ---
  await page.goto(`/${slug}/analytics`);
  await expect(page.getByTestId("tab-content")).toBeVisible();
  await expect(page.getByTestId("table-content-items")).toContainText("Unboxing the deluxe deck");
  await shot(page, "analytics-04-content");

  // CSV export of the items table: a header and both items, sorted by views
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("table-content-items-csv").click(),
  ]);
  const csv = fs.readFileSync((await download.path())!, "utf8");
  expect(download.suggestedFilename()).toMatch(/^content-items-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = csv.trim().split(/\r\n/);
  expect(lines[0]).toBe("Title,Platform,Views,Likes,Shares,Saves,Clicks,Conv.,Revenue,Engagement");
  expect(lines[1]).toMatch(/^Unboxing the deluxe deck,TikTok,1500,80,/);
  expect(lines[2]).toMatch(/^How we print our cards,Blog,300,10,/);

  // sorting: click Views once more → ascending
  await page.getByTestId("table-content-items").getByTestId("sort-views").click();
  await expect(page.getByTestId("table-content-items").locator("tbody tr").first()).toContainText(
    "How we print",
  );

  await page.getByRole("tab", { name: "Revenue" }).click();
  await expect(page.getByTestId("tab-revenue")).toContainText("$150.00");
  await expect(page.getByTestId("table-revenue-channels")).toContainText("amazon");
  await shot(page, "analytics-05-revenue");

  await page.getByRole("tab", { name: "Leads" }).click();
  await expect(page.getByTestId("table-lead-sources")).toBeVisible();
  await shot(page, "analytics-05b-leads");
  await page.getByRole("tab", { name: "Email" }).click();
  await expect(page.getByTestId("tab-email")).toContainText("No email activity in this period");
  await shot(page, "analytics-06-email-empty");
  await page.getByRole("tab", { name: "Funnel" }).click();
  await expect(page.getByTestId("table-funnel")).toContainText("TikTok");
  await shot(page, "analytics-07-funnel");

  // --- range change: "Today" holds only today's order (the TikTok one, 2 hours ago, unless that was yesterday) ---
  await page.getByRole("tab", { name: "Revenue" }).click();
  // The select's code loads on first use; from the keyboard too: Enter opens it, Escape closes it.
  const preset = page.getByTestId("range-preset");
  await expect(preset).toHaveText("Last 30 days");
  await preset.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("option", { name: "Last 7 days" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("option", { name: "Last 7 days" })).toBeHidden();
  await page.getByTestId("range-preset").click();
  await page.getByTestId("range-today").click();
  await expect(page).toHaveURL(/range=today/);
  // The period's own figure, not the whole tab: just after midnight the "vs previous period" line
  // (yesterday) legitimately shows $150.00.
  await expect(page.getByTestId("revenue-total-value")).not.toHaveText("$150.00");
  await page.getByTestId("range-preset").click();
  await page.getByTestId("range-90d").click();
  await expect(page.getByTestId("revenue-total-value")).toHaveText("$150.00");
  await page.emulateMedia({ colorScheme: "dark" });
  await page.evaluate(() => document.documentElement.classList.add("dark"));
  await shot(page, "analytics-08-revenue-dark");
  await ctx.close();
});
