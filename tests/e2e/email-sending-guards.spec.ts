import fs from "node:fs";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import pg from "pg";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { type DnsStandIn, startDnsStandIn } from "../fixtures/stand-ins/dns";
import { createFirstWorkspace, shot, signUp, uniqueEmail } from "./helpers";

/*
 * Settings → Sending and the campaign page before a real send (security issue #12, items 6 and 8).
 * The server runs as `npm start` does (production) without APP_URL, so campaign sends through a
 * mail server are refused; this workspace's mail goes to an SMTP sink started here (its URL is
 * written into the server's database), and the server's DNS_SERVERS point at the DNS stand-in
 * started here (playwright.config.ts: E2E_DNS_PORT, default E2E_PORT + 9).
 */
const PASSWORD = "correct horse battery";
const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
const DNS_PORT = Number(process.env.E2E_DNS_PORT ?? E2E_PORT + 9);

function databaseUrl(): string {
  if (process.env.E2E_DATABASE_URL) return process.env.E2E_DATABASE_URL;
  const dir = process.env.E2E_DATA_DIR;
  if (!dir)
    throw new Error("this spec needs E2E_DATABASE_URL or E2E_DATA_DIR to reach the server's database");
  const lock = JSON.parse(fs.readFileSync(path.join(dir, "pglite.lock.json"), "utf8")) as {
    socketDir: string;
  };
  return `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(lock.socketDir)}`;
}

/** What an operator or a verification email would have done: the workspace's SMTP server, a verified address. */
async function seed(slug: string, email: string, smtpUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    await client.query(
      `update workspaces set settings = settings || jsonb_build_object('smtp', jsonb_build_object('url', $2::text))
       where slug = $1`,
      [slug, smtpUrl],
    );
    await client.query("update users set email_verified = true where email = $1", [email]);
  } finally {
    await client.end();
  }
}

async function trpc(page: Page, procedure: string, json: unknown) {
  const res = await page.request.post(`/api/trpc/${procedure}`, { data: { json } });
  expect(res.ok(), `${procedure}: ${await res.text()}`).toBe(true);
  return (await res.json()).result.data.json;
}

let sink: SmtpSink;
let dns: DnsStandIn;
test.beforeAll(async () => {
  sink = await startSmtpSink();
  dns = await startDnsStandIn({ port: DNS_PORT });
});
test.afterAll(async () => {
  await sink?.close();
  await dns?.close();
});

test("sending: the domain is verified through DNS, the campaign says why it can't go out, a test reaches the member", async ({
  browser,
}) => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const email = uniqueEmail("guard");
  await signUp(page, { name: "Gwen Guard", email, password: PASSWORD });
  const slug = await createFirstWorkspace(page, `Guarded Goods ${Date.now().toString(36).slice(-4)}`);
  const listed = await page.request.get("/api/trpc/workspace.list").then((r) => r.json());
  const workspaceId = (listed.result.data.json as { id: string; slug: string }[]).find(
    (w) => w.slug === slug,
  )!.id;
  await trpc(page, "email.sender.update", {
    workspaceId,
    fromName: "Guarded Goods",
    fromEmail: "news@guarded-goods.test",
    postalAddress: "3 Guard Row, Leeds LS1 4AP, United Kingdom",
  });
  await seed(slug, email, sink.url);

  // --- Settings → Sending: not ready, and why ---
  await page.goto(`/${slug}/settings/sending`);
  const readiness = page.getByTestId("send-readiness");
  await expect(readiness.getByText("Campaign mail goes out through your SMTP server.")).toBeVisible();
  await expect(readiness.getByTestId("send-blocked")).toContainText("set APP_URL");
  await expect(readiness.getByTestId("send-blocked")).toContainText(
    "guarded-goods.test, which this workspace hasn't verified",
  );
  await expect(page.getByTestId("sender-domains-empty")).toBeVisible();

  // --- add the domain: the page says which TXT record to publish ---
  await page.getByTestId("sender-domain-input").fill("https://guarded-goods.test/");
  await page.getByTestId("sender-domain-add").click();
  await expect(page.getByText("Enter just the domain, like example.com (no address or URL)")).toBeVisible();
  await page.getByTestId("sender-domain-input").fill("Guarded-Goods.test");
  await page.getByTestId("sender-domain-add").click();
  const row = page.locator('[data-testid="sender-domain"][data-domain="guarded-goods.test"]');
  await expect(row.getByTestId("sender-domain-record")).toContainText("_organic.guarded-goods.test");
  const value = (await row.getByTestId("sender-domain-value").textContent())!.trim();
  expect(value).toMatch(/^organic-verification=[0-9a-f]{32}$/);

  // Verify before the record exists: not found, said in words
  await row.getByTestId("sender-domain-verify").click();
  await expect(row.getByTestId("sender-domain-status")).toHaveText("Not found");
  await expect(row.getByText(/No TXT record at _organic\.guarded-goods\.test yet/)).toBeVisible();
  await shot(page, "sending-01-domain-to-verify");

  // the record is published: Verify finds it
  dns.setTxt("_organic.guarded-goods.test", value);
  await row.getByTestId("sender-domain-verify").click();
  await expect(row.getByTestId("sender-domain-status")).toHaveText("Verified");
  await expect(page.getByTestId("from-domain-status")).toContainText("verified.");
  // Only APP_URL is left: the operator's to fix
  await expect(readiness.getByTestId("send-blocked").getByRole("listitem")).toHaveCount(1);
  await expect(readiness.getByTestId("send-blocked")).toContainText("set APP_URL");
  await shot(page, "sending-02-domain-verified");

  // --- the campaign page and the send dialog say the same before anyone presses Send ---
  const campaign = await trpc(page, "email.campaigns.create", {
    workspaceId,
    type: "one-time",
    name: "Spring launch",
    steps: [
      {
        subject: "Spring is here",
        body: "Hello {{name|there}}, [see the range](https://example.com/spring).",
      },
    ],
  });
  await page.goto(`/${slug}/email/${campaign.id}`);
  const panel = page.getByTestId("campaign-status-panel");
  await expect(panel.getByTestId("send-blocked")).toContainText("set APP_URL");
  await page.getByTestId("send-now").click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog.getByTestId("send-blocked")).toContainText("set APP_URL");
  await expect(dialog.getByTestId("send-confirm")).toBeDisabled();
  await shot(page, "sending-03-send-dialog-blocked");
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // --- a test goes to the member's own verified address, through the SMTP server ---
  await page.getByTestId("send-test").first().click();
  const testDialog = page.getByRole("dialog");
  await expect(testDialog.getByTestId("send-test-to")).toContainText(`Gwen Guard <${email}> (you)`);
  await shot(page, "sending-04-send-test");
  await testDialog.getByTestId("send-test-submit").click();
  await expect(page.getByText(`Test sent to ${email}`)).toBeVisible();
  await sink.waitFor(1);
  expect(sink.for(email)).toHaveLength(1);
  await ctx.close();
});
