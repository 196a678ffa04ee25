import { expect, type Page, test } from "@playwright/test";
import { createFirstWorkspace, shot, signUp, uniqueEmail } from "./helpers";

const PASSWORD = "correct horse battery";
const CAMPAIGN_PATH = /\/email\/([0-9a-f-]{36})$/;

async function workspaceIdOf(page: Page, slug: string): Promise<string> {
  return page.evaluate(async (s) => {
    const res = await fetch("/api/trpc/workspace.list").then((r) => r.json());
    const list = res.result.data.json as { id: string; slug: string }[];
    return list.find((w) => w.slug === s)!.id;
  }, slug);
}

test("email: sender settings, a one-time campaign to all active leads, sent to the outbox, and its report", async ({
  browser,
}) => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await signUp(page, { name: "Esme Email", email: uniqueEmail("email"), password: PASSWORD });
  const slug = await createFirstWorkspace(page, `Postbox Games ${Date.now().toString(36).slice(-4)}`);
  const workspaceId = await workspaceIdOf(page, slug);

  // --- the empty list warns that nothing can be sent before the sender is set ---
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Email" }).click();
  await expect(page.getByText("No campaigns yet")).toBeVisible();
  await expect(page.getByTestId("sender-missing")).toBeVisible();
  await shot(page, "email-01-empty-list");

  // --- Settings → Sending ---
  await page.getByTestId("sender-missing").getByRole("link").click();
  await page.waitForURL(`**/${slug}/settings/sending`);
  await page.getByTestId("sender-from-email").fill("news@postbox.test");
  await page.getByTestId("sender-postal-address").fill("short");
  await page.getByTestId("sender-save").click();
  await expect(page.getByText(/full postal address/)).toBeVisible();
  await page.getByTestId("sender-postal-address").fill("12 Mill Lane, Bristol BS1 4DJ, United Kingdom");
  await page.getByTestId("sender-save").click();
  await expect(page.getByText("Sending settings saved")).toBeVisible();
  await expect(page.getByTestId("sender-not-set")).toHaveCount(0);
  await shot(page, "email-02-sender-settings");

  // --- three active leads and one unsubscribed (never mailed) ---
  const N = 3;
  for (let i = 0; i < N + 1; i++) {
    const res = await page.request.post("/api/trpc/leads.create", {
      data: {
        json: {
          workspaceId,
          email: `reader${i}-${Date.now().toString(36)}@example.test`,
          name: `Reader ${i}`,
          status: i === N ? "unsubscribed" : "active",
        },
      },
    });
    expect(res.ok()).toBe(true);
  }

  // --- a one-time campaign to all active leads ---
  await page.goto(`/${slug}/email`);
  await expect(page.getByTestId("sender-missing")).toHaveCount(0);
  await page.getByTestId("new-campaign").click();
  await page.getByTestId("new-campaign-one-time").click();
  await page.waitForURL(/\/email\/new\?type=one-time/);
  await page.getByTestId("campaign-name").fill("November news");
  await page.getByTestId("step-subject").fill("Hello {{first_name|there}}, three new decks");
  await page
    .getByTestId("step-body")
    .fill("# New this month\n\nThree decks, one [shop](https://postbox.test/shop).");
  await expect(page.getByText(`${N} active leads match now.`)).toBeVisible();
  // the live preview is the rendered email, with the postal address in the footer
  const preview = page.frameLocator('iframe[title="Email preview"]');
  await expect(preview.getByRole("heading", { name: "New this month", exact: true })).toBeVisible();
  await expect(preview.getByText(/12 Mill Lane/)).toBeVisible();
  await page.getByTestId("campaign-save").click();
  await page.waitForURL(CAMPAIGN_PATH);
  await expect(page.getByTestId("campaign-status")).toHaveText(/draft/i);
  await page.getByTestId("preview-mobile").click();
  await shot(page, "email-03-editor");

  // --- send it ---
  await page.getByTestId("send-now").click();
  await expect(page.getByRole("alertdialog")).toContainText(`${N} active leads`);
  await page.getByTestId("send-confirm").click();
  await expect(page.getByTestId("campaign-status")).toHaveText(/sending|sent/i);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("campaign-status")).toHaveText(/sent/i, { timeout: 2000 });
  }).toPass({ timeout: 60_000 });
  await shot(page, "email-04-sent");

  // --- the report says N sent; opens start at zero ---
  await page.getByTestId("open-report").click();
  await page.waitForURL(/\/report$/);
  await expect(page.getByTestId("report-sent")).toHaveText(String(N));
  await expect(page.getByTestId("report-opens")).toHaveText("0");
  // No mail server in this run: the messages only reached the in-app outbox, which is not delivery.
  await expect(page.getByTestId("report-delivered")).toHaveText("0");
  await expect(page.getByText(`${N} in outbox (not sent)`)).toBeVisible();
  await shot(page, "email-05-report");
  const campaignUrl = page.url().replace(/\/report$/, "");

  // --- a lead added after the send does not change the sent campaign's audience ---
  const late = await page.request.post("/api/trpc/leads.create", {
    data: { json: { workspaceId, email: `late-${Date.now().toString(36)}@example.test`, name: "Late" } },
  });
  expect(late.ok()).toBe(true);
  await page.goto(campaignUrl);
  await expect(page.getByTestId("campaign-recipients")).toHaveText(`Sent to ${N} leads.`);
  await expect(page.getByText(`Sent to ${N} leads.`)).toHaveCount(2); // status panel and Audience card

  // --- the list shows it as sent ---
  await page.goto(`/${slug}/email`);
  const row = page.getByTestId("campaign-row").filter({ hasText: "November news" });
  await expect(row.locator('[data-status="sent"]')).toBeVisible();
  await expect(row).toContainText(String(N));
  await expect(row.getByTestId("campaign-audience")).toHaveText(String(N));
  await shot(page, "email-06-list");

  // --- one place to write email: an email written in Content goes out as a campaign of its own ---
  const segment = await page.request.post("/api/trpc/segments.create", {
    data: {
      json: {
        workspaceId,
        name: "Active readers",
        criteria: { match: "all", conditions: [{ field: "status", op: "is", value: "active" }] },
      },
    },
  });
  expect(segment.ok()).toBe(true);
  await page.goto(`/${slug}/content`);
  await page.getByTestId("new-content").click();
  await page.getByTestId("new-email").click();
  await expect(page.getByTestId("title-input")).toBeEditable();
  await page.getByTestId("title-input").fill("Winter letter");
  await expect(
    page.getByTestId("segment-select").locator("option", { hasText: "Active readers" }),
  ).toHaveCount(1);
  await page.getByTestId("segment-select").selectOption({ index: 1 });
  await page.getByTestId("subject-input").fill("Winter is here");
  await page.getByTestId("body-input").fill("Hi {{first_name|there}},\n\nWarm decks for cold nights.");
  await page.getByTestId("save-content").click();
  await page.waitForURL(/\/content\/[0-9a-f-]{36}$/);
  await page.getByTestId("publish-now").click();
  await page.getByTestId("publish-confirm").click();
  await expect(page.getByTestId("status-badge")).toHaveText("Published", { timeout: 30_000 });
  await page.getByTestId("email-campaign-link").click();
  await page.waitForURL(/\/email\/[0-9a-f-]{36}\/report$/);
  await expect(page.getByTestId("report-sent")).toHaveText(String(N + 1), { timeout: 30_000 });
  await page.goto(`/${slug}/email`);
  await expect(page.getByTestId("campaign-row").filter({ hasText: "Winter" })).toBeVisible();
  await shot(page, "email-06b-content-email-as-campaign");

  // --- narrow screens ---
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(`/${slug}/email`);
  await expect(page.getByTestId("campaign-row")).toHaveCount(2);
  await shot(page, "email-07-list-mobile");
  await ctx.close();
});
