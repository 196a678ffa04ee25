import { expect, test } from "@playwright/test";
import { type DnsStandIn, startDnsStandIn } from "../fixtures/stand-ins/dns";
import { shot, signUpWithWorkspace, uniqueEmail } from "./helpers";

/*
 * Settings → Sending → Sender domains, the whole DNS setup (issue 19 point 3): adding a domain shows
 * every record to add — verification, the domain's own DKIM key, SPF and DMARC advice — and "Check
 * records" looks each up through the server's DNS_SERVERS, here the DNS stand-in started on
 * E2E_DNS_PORT (playwright.config.ts), and shows ok / missing / wrong per record.
 */
const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
const DNS_PORT = Number(process.env.E2E_DNS_PORT ?? E2E_PORT + 9);

let dns: DnsStandIn;
test.beforeAll(async () => {
  dns = await startDnsStandIn({ port: DNS_PORT });
});
test.afterAll(async () => {
  await dns?.close();
});

test("sender domain: every DNS record to add, checked one by one", async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const { slug } = await signUpWithWorkspace(
    page,
    {
      name: "Dana Domain",
      email: uniqueEmail("domain"),
      password: "correct horse battery",
    },
    `Domain Goods ${Date.now().toString(36).slice(-4)}`,
  );
  await page.goto(`/${slug}/settings/sending`);

  await page.getByTestId("sender-domain-input").fill("domain-goods.test");
  await page.getByTestId("sender-domain-add").click();
  const row = page.locator('[data-testid="sender-domain"][data-domain="domain-goods.test"]');
  const record = (kind: string) =>
    row.locator(`[data-testid="sender-domain-dns-record"][data-kind="${kind}"]`);
  await expect(row.getByTestId("sender-domain-dns-record")).toHaveCount(4);
  await expect(record("verification")).toContainText("_organic.domain-goods.test");
  await expect(record("dkim")).toContainText(/organic-[0-9a-f]{6}\._domainkey\.domain-goods\.test/);
  await expect(record("dkim")).toContainText("v=DKIM1; k=rsa; p=");
  await expect(record("spf")).toContainText("v=spf1");
  await expect(record("dmarc")).toContainText("v=DMARC1; p=none; rua=mailto:dmarc@domain-goods.test");
  await expect(record("dkim").getByRole("button", { name: "Copy value" })).toBeVisible();
  await expect(record("dkim").getByRole("button", { name: "Copy split value" })).toBeVisible();
  await expect(row.getByTestId("record-status")).toHaveText(Array(4).fill("Not checked"));
  await expect(row.getByTestId("sender-domain-dkim")).toHaveAttribute("data-signing", "no");

  // publish the verification and DKIM records (the key as two strings), two SPF records, no DMARC
  const verification = (await row.getByTestId("sender-domain-value").textContent())!.trim();
  const dkimName = (await record("dkim").locator("dd").first().textContent())!.trim();
  const dkimValue = (await row.getByTestId("sender-domain-dkim-value").textContent())!.trim();
  dns.setTxt("_organic.domain-goods.test", verification);
  dns.setTxt(dkimName, [dkimValue.slice(0, 255), dkimValue.slice(255)]);
  dns.setTxt("domain-goods.test", "v=spf1 include:a.example ~all", "v=spf1 mx ~all");
  await row.getByTestId("sender-domain-verify").click();

  await expect(row.getByTestId("sender-domain-status")).toHaveText("Verified");
  await expect(record("verification").getByTestId("record-status")).toHaveText("OK");
  await expect(record("dkim").getByTestId("record-status")).toHaveText("OK");
  await expect(record("spf").getByTestId("record-status")).toHaveText("Wrong");
  await expect(record("spf")).toContainText("2 SPF records");
  await expect(record("dmarc").getByTestId("record-status")).toHaveText("Missing");
  await expect(row.getByTestId("sender-domain-dkim")).toHaveAttribute("data-signing", "yes");
  await shot(page, "sender-domains-01-checked");

  // fixed SPF and a DMARC record: all OK, the policy said in words
  dns.setTxt("domain-goods.test", "v=spf1 include:a.example ~all");
  dns.setTxt("_dmarc.domain-goods.test", "v=DMARC1; p=none; rua=mailto:dmarc@domain-goods.test");
  await row.getByTestId("sender-domain-verify").click();
  await expect(row.getByTestId("record-status")).toHaveText(Array(4).fill("OK"));
  await expect(record("dmarc")).toContainText("Policy p=none");

  // rotate: a new selector, not signing until its record checks OK
  await row.getByTestId("sender-domain-rotate").click();
  await page.getByTestId("sender-domain-rotate-confirm").click();
  await expect(record("dkim").getByTestId("record-status")).toHaveText("Not checked");
  await expect(record("dkim")).not.toContainText(dkimName);
  await expect(row.getByTestId("sender-domain-dkim")).toHaveAttribute("data-signing", "no");
  await expect(row.getByTestId("sender-domain-dkim")).toContainText(`delete the old one at ${dkimName}`);
  await shot(page, "sender-domains-02-rotated");
  await ctx.close();
});
