import { expect, type Page, test } from "@playwright/test";
import { shot, signUpWithWorkspace, trpcPost, uniqueEmail } from "./helpers";

const PASSWORD = "correct horse battery";
const CAMPAIGN_PATH = /\/email\/([0-9a-f-]{36})$/;

/** A variant's row of the report: its "Sent" cell. */
const sentOf = (page: Page, label: string) => page.getByTestId(`ab-variant-${label}`).getByTestId("ab-sent");

test("email: an A/B test with three variants — set up, sent to half, winner picked, sent to the rest", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const { slug, workspaceId } = await signUpWithWorkspace(
    page,
    { name: "Avery Ab", email: uniqueEmail("ab"), password: PASSWORD },
    `Split Co ${Date.now().toString(36).slice(-4)}`,
  );
  await trpcPost(page, "email.sender.update", {
    workspaceId,
    fromName: "Split Co",
    fromEmail: "hello@split.test",
    replyTo: "",
    postalAddress: "9 Harbour Road, Plymouth PL1 2AA, United Kingdom",
    sendRatePerSecond: 0,
  });
  const stamp = Date.now().toString(36);
  for (let i = 0; i < 20; i++) {
    await trpcPost(page, "leads.create", {
      workspaceId,
      email: `split${i}-${stamp}@example.test`,
      name: `Reader ${i}`,
      status: "active",
    });
  }

  // --- a one-time campaign; the A/B card appears once it is saved ---
  await page.goto(`/${slug}/email`);
  await page.getByTestId("new-campaign").click();
  await page.getByTestId("new-campaign-one-time").click();
  await page.waitForURL(/\/email\/new\?type=one-time/);
  await expect(page.getByTestId("ab-test-card")).toHaveCount(0);
  await page.getByTestId("campaign-name").fill("Spring launch");
  await page.getByTestId("step-subject").fill("Spring is here");
  await page.getByTestId("step-body").fill("# Spring\n\nNew decks. [Shop](https://split.test/shop)");
  await page.getByTestId("campaign-save").click();
  await page.waitForURL(CAMPAIGN_PATH);
  const campaignId = CAMPAIGN_PATH.exec(page.url())![1]!;

  // --- variants B and C, half of the audience, winner by opens after 2 hours ---
  const card = page.getByTestId("ab-test-card");
  await expect(card).toBeVisible();
  await card.getByTestId("ab-enabled").click();
  await expect(card).toContainText("Variant A is the email above");
  await expect(card).toContainText("Spring is here");
  const b = card.getByTestId("ab-variant-B");
  await b.getByTestId("ab-variant-subject").fill("Your spring code is inside");
  await b.getByTestId("ab-variant-body").fill("Use **SPRING20** today.");
  await card.getByTestId("ab-add-variant").click();
  const c = card.getByTestId("ab-variant-C");
  await c.getByTestId("ab-variant-subject").fill("Last call for spring");
  // A variant without a body is refused before it is sent, with a message next to the field.
  await card.getByTestId("ab-save").click();
  await expect(c).toContainText("Write the variant's email");
  await c.getByTestId("ab-variant-body").fill("The spring sale ends tonight.");
  await card.getByTestId("ab-share").fill("50");
  await card.getByTestId("ab-wait").fill("2");
  await card.getByTestId("ab-save").click();
  await expect(page.getByText("A/B test saved")).toBeVisible();
  await shot(page, "email-ab-01-editor");

  // --- send: only the test share (10 of 20) gets mail now; the campaign keeps sending ---
  await page.getByTestId("send-now").click();
  await page.getByTestId("send-confirm").click();
  await expect(page.getByTestId("campaign-status")).toHaveText(/sending/i);
  await page.goto(`/${slug}/email/${campaignId}/report`);
  const report = page.getByTestId("ab-test-report");
  await expect(async () => {
    await page.reload();
    await expect(sentOf(page, "A")).toHaveText("4", { timeout: 2000 });
    await expect(sentOf(page, "B")).toHaveText("3", { timeout: 2000 });
    await expect(sentOf(page, "C")).toHaveText("3", { timeout: 2000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByTestId("ab-test-phase")).toHaveText("Testing");
  await expect(page.getByTestId("ab-test-summary")).toContainText("Testing on 10 of 20 people (50 %)");
  await expect(report.getByTestId("ab-variant-B")).toContainText("Your spring code is inside");
  await expect(page.getByTestId("report-sent")).toHaveText("10");
  await shot(page, "email-ab-02-report-testing");

  // --- the owner picks B now: the other 10 get B, and the campaign finishes ---
  await report.getByTestId("ab-pick-B").click();
  await expect(page.getByRole("alertdialog")).toContainText("Send variant B to the rest?");
  await page.getByTestId("ab-pick-confirm").click();
  await expect(page.getByText("Winner chosen: sending it to 10 more people")).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(sentOf(page, "B")).toHaveText("13", { timeout: 2000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByTestId("ab-test-phase")).toHaveText("Decided");
  await expect(report.getByTestId("ab-variant-B")).toHaveAttribute("data-winner", "true");
  await expect(report.getByTestId("ab-variant-B")).toContainText("Winner");
  await expect(page.getByTestId("ab-test-summary")).toContainText("Variant B won (picked by hand)");
  await expect(sentOf(page, "A")).toHaveText("4");
  await expect(sentOf(page, "C")).toHaveText("3");
  await expect(page.getByTestId("report-sent")).toHaveText("20");
  await expect(report.getByRole("button", { name: "Pick winner now" })).toHaveCount(0);
  await shot(page, "email-ab-03-report-decided");

  // --- the campaign is sent; its A/B card is read-only now ---
  await page.goto(`/${slug}/email/${campaignId}`);
  await expect(page.getByTestId("campaign-status")).toHaveText(/sent/i);
  await expect(page.getByTestId("ab-started")).toContainText("The winner has been chosen");
  await expect(page.getByTestId("ab-save")).toHaveCount(0);
  await ctx.close();
});
