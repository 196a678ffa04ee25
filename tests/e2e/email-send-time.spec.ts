import { expect, test } from "@playwright/test";
import { shot, signUpWithWorkspace, trpcPost, uniqueEmail } from "./helpers";

const PASSWORD = "correct horse battery";
const CAMPAIGN_PATH = /\/email\/([0-9a-f-]{36})$/;

test("send-time: a lead's zone on its page, a campaign scheduled at a local hour, quiet hours", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const { slug, workspaceId } = await signUpWithWorkspace(
    page,
    { name: "Tess Zone", email: uniqueEmail("tz"), password: PASSWORD },
    `Zone Co ${Date.now().toString(36).slice(-4)}`,
  );
  await trpcPost(page, "email.sender.update", {
    workspaceId,
    fromName: "Zone Co",
    fromEmail: "hello@zone.test",
    replyTo: "",
    postalAddress: "9 Harbour Road, Plymouth PL1 2AA, United Kingdom",
    sendRatePerSecond: 0,
  });
  const lead = await trpcPost<{ id: string }>(page, "leads.create", {
    workspaceId,
    email: uniqueEmail("reader"),
    name: "Kenji Reader",
    status: "active",
  });

  // --- the lead page: no zone yet (the workspace's applies), then set by hand ---
  await page.goto(`/${slug}/leads/${lead.id}`);
  const zone = page.getByTestId("lead-time-zone");
  await expect(zone).toContainText("Not known");
  await page.getByTestId("lead-time-zone-edit").click();
  await page.getByTestId("lead-time-zone-select").click();
  await page.getByRole("option", { name: /Asia \/ Tokyo/ }).click();
  await page.getByTestId("lead-time-zone-save").click();
  await expect(page.getByTestId("lead-time-zone")).toContainText("Asia/Tokyo");
  await shot(page, "send-time-lead-zone");

  // --- a one-time campaign scheduled for 09:00 on each lead's clock ---
  await page.goto(`/${slug}/email`);
  await page.getByTestId("new-campaign").click();
  await page.getByTestId("new-campaign-one-time").click();
  await page.waitForURL(/\/email\/new\?type=one-time/);
  await page.getByTestId("campaign-name").fill("Morning letter");
  await page.getByTestId("step-subject").fill("Good morning");
  await page.getByTestId("step-body").fill("Fresh news, at breakfast.");
  await page.getByTestId("campaign-save").click();
  await page.waitForURL(CAMPAIGN_PATH);
  await page.getByRole("button", { name: "Schedule", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByTestId("send-time-mode-local").check();
  const date = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
  await dialog.getByTestId("campaign-local-date").fill(date);
  await dialog.getByTestId("campaign-local-time").fill("09:00");
  await expect(dialog.getByTestId("local-send-time-hint")).toContainText(
    "at 09:00 in each lead's own time zone",
  );
  await expect(dialog.getByTestId("local-send-time-hint")).toContainText("get it at once");
  await shot(page, "send-time-schedule-dialog");
  await dialog.getByTestId("schedule-confirm").click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("campaign-status")).toContainText(/scheduled/i);
  await expect(page.getByTestId("campaign-send-at")).toContainText(
    `Sends at 09:00 on ${date} in each lead's time zone`,
  );
  await shot(page, "send-time-campaign-scheduled");

  // --- quiet hours in Settings → Sending ---
  await page.goto(`/${slug}/settings/delivery`);
  const card = page.getByTestId("quiet-hours-card");
  await expect(card).toBeVisible();
  await card.getByTestId("quiet-hours-on").click();
  await expect(card).toContainText("waits until 08:00");
  await card.getByTestId("quiet-hours-save").click();
  await expect(page.getByText("Quiet hours saved")).toBeVisible();
  await card.scrollIntoViewIfNeeded();
  await shot(page, "send-time-quiet-hours");
  await page.reload();
  await expect(page.getByTestId("quiet-hours-card").getByTestId("quiet-hours-on")).toHaveAttribute(
    "data-state",
    "checked",
  );
  await expect(page.getByTestId("quiet-hours-card")).toContainText("Mail due between 21:00 and 08:00");
  await ctx.close();
});
