import { expect, test } from "@playwright/test";
import { dovecotAvailable, type ImapServer, startImapServer } from "../fixtures/imap-server";
import { shot, signUpWithWorkspace, uniqueEmail } from "./helpers";

/*
 * Issue 19, points 1 and 7 in the browser: Settings → Sending → Bounces and replies (the return
 * path, an IMAP mailbox tested against a real Dovecot started here — a wrong password first —
 * saved, and read with Check now), and a sequence's goals switched on in the campaign editor and
 * shown in its report. The e2e server runs with SMTP_ALLOW_PRIVATE=true, so 127.0.0.1 may be typed.
 */
const PASSWORD = "correct horse battery";

let imap: ImapServer;
test.skip(!dovecotAvailable(), "Dovecot (dovecot-imapd) is not installed");
test.beforeAll(async () => {
  imap = await startImapServer();
  await imap.deliver(
    "From: Some Vendor <promo@other.test>\r\nTo: bounces@brand.test\r\nSubject: Toner\r\nMessage-ID: <toner@other.test>\r\n\r\nBuy toner.\r\n",
  );
});
test.afterAll(async () => {
  await imap?.stop();
});

test("bounce mailbox: tested, saved and read; a sequence's goals toggled and reported", async ({
  browser,
}) => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const { slug } = await signUpWithWorkspace(
    page,
    { name: "Bea Bounce", email: uniqueEmail("bounces"), password: PASSWORD },
    `Bounce Shop ${Date.now().toString(36).slice(-4)}`,
  );

  await page.goto(`/${slug}/settings/delivery`);
  const card = page.getByTestId("bounce-mailbox-card");
  await card.getByTestId("bounce-return-path").fill("bounces@brand.test");
  await card.getByTestId("bounce-mailbox-on").click();
  await card.getByTestId("imap-host").fill("127.0.0.1");
  await card.getByTestId("imap-security").click();
  await page.getByRole("option", { name: /None \(unencrypted\)/ }).click();
  await card.getByTestId("imap-port").fill(String(imap.port));
  await card.getByTestId("imap-username").fill(imap.user);

  await card.getByTestId("imap-password").fill("not-the-password");
  await card.getByTestId("bounce-test").click();
  await expect(card.getByTestId("bounce-outcome")).toHaveText(
    `Authentication failed: 127.0.0.1:${imap.port} refused the username or password.`,
    { timeout: 20_000 },
  );
  await card.getByTestId("imap-password").fill(imap.password);
  await card.getByTestId("bounce-test").click();
  await expect(card.getByTestId("bounce-outcome")).toContainText('opened "INBOX" (1 messages)');

  await card.getByTestId("bounce-save").click();
  await expect(page.getByText("Bounce settings saved")).toBeVisible();
  await card.getByTestId("bounce-check-now").click();
  await expect(card.getByTestId("bounce-outcome")).toHaveText(
    "Read 1 new message: 0 bounces, 0 complaints, 0 replies, 1 left alone.",
  );
  await expect(card.getByTestId("bounce-last-check")).toContainText("1 new, 0 bounces");
  await page.reload();
  await expect(card.getByTestId("bounce-return-path")).toHaveValue("bounces@brand.test");
  await expect(card.getByTestId("imap-password")).toHaveValue("");
  await expect(card.getByText("Set. Leave empty to keep it")).toBeVisible();
  await card.scrollIntoViewIfNeeded();
  await shot(page, "bounce-mailbox-settings");

  // --- goals on a sequence ---
  const listed = await page.request.get("/api/trpc/workspace.list").then((r) => r.json());
  const workspaceId = (listed.result.data.json as { id: string; slug: string }[]).find(
    (w) => w.slug === slug,
  )!.id;
  const created = await page.request.post("/api/trpc/email.campaigns.create", {
    data: {
      json: {
        workspaceId,
        type: "sequence",
        name: "Welcome series",
        steps: [{ subject: "Welcome", body: "Hello", delayMinutes: 0 }],
      },
    },
  });
  expect(created.ok()).toBe(true);
  const campaignId = (await created.json()).result.data.json.id as string;
  await page.goto(`/${slug}/email/${campaignId}`);
  const goals = page.getByTestId("campaign-goals-card");
  await expect(goals.getByTestId("goal-stopOnOrder")).toHaveAttribute("aria-checked", "false");
  await goals.getByTestId("goal-stopOnOrder").click();
  await expect(page.getByText("Goals saved")).toBeVisible();
  await goals.getByTestId("goal-stopOnReply").click();
  await expect(goals.getByTestId("goal-stopOnReply")).toHaveAttribute("aria-checked", "true");
  await page.reload();
  await expect(goals.getByTestId("goal-stopOnOrder")).toHaveAttribute("aria-checked", "true");
  await expect(goals.getByTestId("goal-stopOnReply")).toHaveAttribute("aria-checked", "true");
  await goals.scrollIntoViewIfNeeded();
  await shot(page, "campaign-goals");
  await ctx.close();
});
