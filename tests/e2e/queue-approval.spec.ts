import { expect, test } from "@playwright/test";
import { createFirstWorkspace, shot, signUp, uniqueEmail, verifyEmailWithCli } from "./helpers";

/*
 * Issue 15 point 17: the posting queue and the approval step. An admin sets weekly slots; "Add to
 * queue" schedules a post at the next one. With "Require approval" on, a member's Add to queue
 * becomes a request; the admin approves it on the Approvals page and the post is scheduled.
 */
const PASSWORD = "correct horse battery";
const UUID_PATH = /\/content\/([0-9a-f-]{36})$/;

test("posting queue and approval: slots, Add to queue, a member submits, the admin approves", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const ownerCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const owner = await ownerCtx.newPage();
  await signUp(owner, { name: "Olga Owner", email: uniqueEmail("queue-owner"), password: PASSWORD });
  const wsName = `Queue Games ${Date.now().toString(36).slice(-4)}`;
  const slug = await createFirstWorkspace(owner, wsName);

  // --- the admin sets a slot at 09:00 on every day of the week ---
  await owner.goto(`/${slug}/settings/queue`);
  await expect(owner.getByTestId("queue-slots")).toContainText("Monday");
  for (let d = 0; d < 7; d++) {
    await owner.getByTestId("slot-day").selectOption(String(d));
    await owner.getByTestId("slot-time").fill("09:00");
    await owner.getByTestId("add-slot").click();
    await expect(owner.getByTestId(`slot-${d}-09:00`)).toBeVisible();
  }
  await owner.getByTestId("publishing-save").click();
  await expect(owner.getByText("Posting queue saved")).toBeVisible();
  await owner.reload();
  await expect(owner.getByTestId("slot-6-09:00")).toBeVisible();
  await shot(owner, "queue-01-settings");

  // --- a post goes into the queue and shows the slot's time ---
  await owner.goto(`/${slug}/content/new?type=blog`);
  await owner.getByTestId("title-input").fill("Queued riffle tips");
  await owner.getByTestId("body-input").fill("Split the deck and bend.");
  await owner.getByTestId("save-content").click();
  await owner.waitForURL(UUID_PATH);
  await expect(owner.getByTestId("status-badge")).toHaveText("Draft");
  await owner.getByTestId("add-to-queue").click();
  await expect(owner.getByText(/^Queued for .*9:00 AM$/)).toBeVisible();
  await expect(owner.getByTestId("status-badge")).toHaveText("Scheduled");
  const panel = owner.getByTestId("status-panel");
  await expect(panel).toContainText(/Publishes .*9:00 AM/);
  const firstSlot = (await panel.textContent())!.match(/Publishes (.*?9:00 AM)/)![1]!;
  await shot(owner, "queue-02-queued-post");

  // --- approval on; a member joins ---
  await owner.goto(`/${slug}/settings/queue`);
  await owner.getByTestId("require-approval").click();
  await owner.getByTestId("publishing-save").click();
  await expect(owner.getByText("Posting queue saved")).toBeVisible();
  await owner.goto(`/${slug}/settings/members`);
  await owner.getByTestId("invite-button").click();
  const memberEmail = uniqueEmail("queue-member");
  await owner.getByTestId("invite-email").fill(memberEmail);
  await owner.getByTestId("invite-role").click();
  await owner.getByRole("option", { name: /^member/i }).click();
  await owner.getByTestId("invite-submit").click();
  const linkEl = owner.getByTestId("invite-link");
  await expect(linkEl).toBeVisible();
  const link = (await linkEl.inputValue().catch(() => null)) || (await linkEl.textContent())!;
  await owner.keyboard.press("Escape");

  const memberCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const member = await memberCtx.newPage();
  await member.goto(new URL(link).pathname);
  await member.getByRole("link", { name: "Create account" }).click();
  await member.fill("#name", "Mia Member");
  await member.fill("#password", PASSWORD);
  await member.getByRole("button", { name: "Create account" }).click();
  await member.waitForURL(/\/invitations\//);
  await verifyEmailWithCli(memberEmail);
  await member.reload();
  await member.getByRole("button", { name: "Accept invitation" }).click();
  await member.waitForURL(new RegExp(`/${slug}$`));

  // --- the member cannot publish directly: they submit, through Add to queue ---
  await member.goto(`/${slug}/content/new?type=blog`);
  await member.getByTestId("title-input").fill("Member's trick shot post");
  await member.getByTestId("body-input").fill("Flick, spin, catch.");
  await member.getByTestId("save-content").click();
  await member.waitForURL(UUID_PATH);
  const memberItem = UUID_PATH.exec(new URL(member.url()).pathname)![1]!;
  await expect(member.getByTestId("submit-approval")).toBeVisible();
  await expect(member.getByTestId("publish-now")).toHaveCount(0);
  await member.getByTestId("add-to-queue").click();
  await expect(member.getByText("Submitted for approval", { exact: true })).toBeVisible();
  await expect(member.getByTestId("awaiting-approval")).toContainText("Awaiting approval");
  await expect(member.getByTestId("status-badge")).toHaveText("Draft");
  await expect(member.getByTestId("approve-request")).toHaveCount(0);
  await shot(member, "queue-03-member-awaiting");

  // --- the admin sees it in Content and approves it on the Approvals page ---
  await owner.goto(`/${slug}/content`);
  await expect(owner.getByTestId("approvals-count")).toContainText("1");
  await expect(owner.getByTestId(`content-row-${memberItem}`).getByTestId("awaiting-badge")).toBeVisible();
  await shot(owner, "queue-04-content-list-awaiting");
  await owner.getByTestId("open-approvals").click();
  await expect(owner.getByRole("heading", { name: "Approvals", exact: true })).toBeVisible();
  await expect(owner.getByTestId("approvals-pending")).toContainText("Member's trick shot post");
  await expect(owner.getByTestId("approvals-pending")).toContainText("by Mia Member");
  await shot(owner, "queue-05-approvals");
  await owner.getByTestId("approve-request").click();
  await expect(owner.getByText("Approved “Member's trick shot post”")).toBeVisible();
  await expect(owner.getByText("Nothing awaits approval")).toBeVisible();

  // --- the item is scheduled at the next free slot (not the first post's) ---
  await member.reload();
  await expect(member.getByTestId("status-badge")).toHaveText("Scheduled");
  await expect(member.getByTestId("status-panel")).toContainText(/Publishes .*9:00 AM/);
  await expect(member.getByTestId("status-panel")).not.toContainText(firstSlot);
  await expect(member.getByTestId("awaiting-approval")).toHaveCount(0);
  await shot(member, "queue-06-member-approved");

  await memberCtx.close();
  await ownerCtx.close();
});
