import { expect, type Page, test } from "@playwright/test";
import { shot, signUpWithWorkspace, trpcPost, uniqueEmail } from "./helpers";

const PASSWORD = "correct horse battery";
const CAMPAIGN_PATH = /\/email\/([0-9a-f-]{36})$/;

/** The outbox rows whose subject contains `text` (no SMTP server in this run: mail is kept). */
async function outboxCount(page: Page, slug: string, text: string) {
  await page.goto(`/${slug}/email/outbox`);
  await expect(page.getByRole("heading", { name: "Outbox", exact: true })).toBeVisible();
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  return page.getByTestId("outbox-row").filter({ hasText: text }).count();
}

test("email: a two-step sequence enrols leads, pauses and resumes; a triggered email fires for a lead added in the UI", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const { slug, workspaceId } = await signUpWithWorkspace(
    page,
    { name: "Sam Sequence", email: uniqueEmail("seq"), password: PASSWORD },
    `Drip Co ${Date.now().toString(36).slice(-4)}`,
  );
  await trpcPost(page, "email.sender.update", {
    workspaceId,
    fromName: "Drip Co",
    fromEmail: "hello@drip.test",
    replyTo: "",
    postalAddress: "4 Canal Street, Leeds LS1 4AB, United Kingdom",
    sendRatePerSecond: 0,
  });
  const stamp = Date.now().toString(36);
  for (const i of [1, 2]) {
    await trpcPost(page, "leads.create", {
      workspaceId,
      email: `drip${i}-${stamp}@example.test`,
      name: `Drip ${i}`,
      status: "active",
    });
  }

  // --- a sequence: welcome on day 0, a follow-up two days later ---
  await page.goto(`/${slug}/email`);
  await page.getByTestId("new-campaign").click();
  await page.getByTestId("new-campaign-sequence").click();
  await page.waitForURL(/\/email\/new\?type=sequence/);
  await page.getByTestId("campaign-name").fill("Onboarding drip");
  await page.getByTestId("step-subject").first().fill(`Welcome {{first_name|friend}} ${stamp}`);
  await page
    .getByTestId("step-body")
    .first()
    .fill("# Welcome\n\nGlad you're here. [Start](https://drip.test/start)");
  await page.getByTestId("add-step").click();
  await expect(page.getByTestId("campaign-step-1")).toBeVisible();
  await page.locator("#delay-days-1").fill("2");
  await page.getByTestId("step-subject").nth(1).fill(`Two days in ${stamp}`);
  await page.getByTestId("step-body").nth(1).fill("How is it going, {{first_name|friend}}?");
  await expect(page.getByTestId("campaign-step-1")).toContainText(/2 days/);
  await page.getByTestId("campaign-save").click();
  await page.waitForURL(CAMPAIGN_PATH);
  const campaignUrl = page.url();
  await shot(page, "email-seq-01-editor");

  // --- activate: both leads enrolled, step 1 goes out, step 2 waits two days ---
  await page.getByTestId("activate").click();
  await expect(page.getByTestId("campaign-status")).toHaveText(/active/i);
  await expect(async () => {
    expect(await outboxCount(page, slug, `Welcome`)).toBe(2);
  }).toPass({ timeout: 60_000 });
  expect(await outboxCount(page, slug, `Two days in ${stamp}`)).toBe(0);
  await shot(page, "email-seq-02-outbox");

  // the kept message shows every header it would have been sent with
  await page.getByTestId("outbox-row").filter({ hasText: `Welcome` }).first().getByRole("link").click();
  const headers = page.getByTestId("outbox-headers");
  await expect(headers).toContainText("List-Unsubscribe-Post:");
  await expect(headers).toContainText("List-Unsubscribe=One-Click");
  await expect(headers).toContainText(/Message-ID:\s*<[0-9a-f-]{36}@drip\.test>/);
  await expect(headers).toContainText("Drip Co <hello@drip.test>");
  await shot(page, "email-seq-03-outbox-message");
  await page.setViewportSize({ width: 375, height: 800 });
  await shot(page, "email-seq-03-outbox-message-mobile");
  await page.setViewportSize({ width: 1280, height: 900 });

  // --- pause: a lead that joins now gets nothing ---
  await page.goto(campaignUrl);
  await page.getByTestId("pause").click();
  await expect(page.getByTestId("campaign-status")).toHaveText(/paused/i);
  await trpcPost(page, "leads.create", {
    workspaceId,
    email: `drip3-${stamp}@example.test`,
    name: "Drip 3",
    status: "active",
  });
  await page.waitForTimeout(4000);
  expect(await outboxCount(page, slug, `Welcome`)).toBe(2);

  // --- resume (reactivate): the new lead is enrolled and gets step 1; nobody gets it twice ---
  await page.goto(campaignUrl);
  await page.getByTestId("activate").click();
  await expect(page.getByTestId("campaign-status")).toHaveText(/active/i);
  await expect(async () => {
    expect(await outboxCount(page, slug, `Welcome`)).toBe(3);
  }).toPass({ timeout: 60_000 });
  await page.getByTestId("outbox-search").fill(`drip3-${stamp}`);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByTestId("outbox-row")).toHaveCount(1);

  // --- the report ---
  await page.goto(campaignUrl);
  await page.getByTestId("open-report").click();
  await page.waitForURL(/\/report$/);
  await expect(page.getByTestId("report-sent")).toHaveText("3");
  await shot(page, "email-seq-04-report");

  // --- a triggered email for new leads ---
  await page.goto(`/${slug}/email`);
  await page.getByTestId("new-campaign").click();
  await page.getByTestId("new-campaign-triggered").click();
  await page.waitForURL(/\/email\/new\?type=triggered/);
  await page.getByTestId("campaign-name").fill("Hello on signup");
  await page.getByTestId("step-subject").first().fill(`Nice to meet you ${stamp}`);
  await page.getByTestId("step-body").first().fill("Thanks for joining, {{first_name|friend}}.");
  await page.getByTestId("campaign-save").click();
  await page.waitForURL(CAMPAIGN_PATH);
  await page.getByTestId("activate").click();
  await expect(page.getByTestId("campaign-status")).toHaveText(/active/i);

  // a lead added by hand on the Leads page
  await page.goto(`/${slug}/leads`);
  await page.getByTestId("add-lead").first().click();
  await page.getByTestId("lead-email-input").fill(`handmade-${stamp}@example.test`);
  await page.locator("#lead-name").fill("Hand Made");
  await page.getByTestId("lead-save").click();
  await expect(page.getByText(`handmade-${stamp}@example.test`).first()).toBeVisible();
  await expect(async () => {
    expect(await outboxCount(page, slug, `Nice to meet you ${stamp}`)).toBe(1);
  }).toPass({ timeout: 60_000 });
  await expect(page.getByTestId("outbox-row").filter({ hasText: `Nice to meet you ${stamp}` })).toContainText(
    `handmade-${stamp}@example.test`,
  );
  await ctx.close();
});
