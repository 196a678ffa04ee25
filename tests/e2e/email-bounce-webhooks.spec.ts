import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { shot, signUpWithWorkspace, uniqueEmail } from "./helpers";

/*
 * Settings → Instance → Bounce webhooks (issue 19, point 1): an instance admin sees each provider's
 * webhook URL, generates Postmark's Basic credentials, pastes SendGrid's key, Mailgun's signing key and
 * an SNS topic; the generated credentials then open Postmark's webhook while wrong ones are refused.
 */
const PASSWORD = "correct horse battery";

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

/** What `npm run cli -- instance-admin --email …` does. */
async function grantInstanceAdmin(email: string) {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    await client.query("update users set instance_admin = true where email = $1", [email]);
  } finally {
    await client.end();
  }
}

test("bounce webhooks: an instance admin sets up the providers; Postmark's credentials work", async ({
  browser,
  baseURL,
}) => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const email = uniqueEmail("bounces");
  const { slug } = await signUpWithWorkspace(
    page,
    { name: "Bo Unce", email, password: PASSWORD },
    `Bounce Shop ${Date.now().toString(36).slice(-4)}`,
  );
  await grantInstanceAdmin(email);

  await page.goto(`/${slug}/settings/instance`);
  const card = page.getByTestId("instance-email-webhooks");
  await expect(card.getByTestId("email-webhooks-ses-url")).toHaveValue(`${baseURL}/api/webhooks/email/ses`);
  await expect(card.getByTestId("email-webhooks-sendgrid-url")).toHaveValue(
    `${baseURL}/api/webhooks/email/sendgrid`,
  );
  await expect(card.getByTestId("email-webhooks-postmark-state")).toHaveText("Postmark: not set up");

  // Postmark: we generate the credentials; they are in the URL to paste.
  await card.getByTestId("email-webhooks-postmark-generate").click();
  const withCredentials = card.getByTestId("email-webhooks-postmark-credentials-url");
  await expect(withCredentials).toHaveValue(
    /^http:\/\/organic-[0-9a-f]{12}:[^@]+@localhost:\d+\/api\/webhooks\/email\/postmark$/,
  );
  await expect(card.getByTestId("email-webhooks-postmark-state")).toHaveText("Postmark: set up");
  const first = await withCredentials.inputValue();
  // Its toast, closed: Sonner loads on the first toast, so it can slide in (bottom right) just as
  // Save, scrolled to the bottom edge, is clicked, and take the click (seen once with the CPU busy).
  const generated = page.getByRole("listitem").filter({ hasText: "New Postmark credentials" });
  await generated.getByRole("button", { name: "Close toast" }).click();
  await expect(generated).toHaveCount(0);

  // A key that is not SendGrid's is refused in words.
  await card.getByTestId("email-webhooks-sendgrid-key").fill("not-a-key");
  await card.getByTestId("email-webhooks-save").click();
  await expect(page.getByText(/That is not SendGrid's verification key/)).toBeVisible();

  const sendgridKey = generateKeyPairSync("ec", { namedCurve: "prime256v1" })
    .publicKey.export({ type: "spki", format: "der" })
    .toString("base64");
  await card.getByTestId("email-webhooks-sendgrid-key").fill(sendgridKey);
  await card.getByTestId("email-webhooks-mailgun-key").fill("key-0123456789abcdef0123456789abcdef");
  await card.getByTestId("email-webhooks-ses-topics").fill("arn:aws:sns:eu-west-1:123456789012:ses-bounces");
  await card.getByTestId("email-webhooks-save").click();
  await expect(page.getByText("Bounce webhook settings saved")).toBeVisible();
  await page.reload();
  for (const p of ["ses", "postmark", "sendgrid", "mailgun"])
    await expect(card.getByTestId(`email-webhooks-${p}-state`)).toContainText("set up");
  await expect(card.getByTestId("email-webhooks-mailgun-key")).toHaveValue("");
  await expect(card.getByText("Set. Leave empty to keep it.")).toBeVisible();
  await expect(card.getByTestId("email-webhooks-ses-topics")).toHaveValue(
    "arn:aws:sns:eu-west-1:123456789012:ses-bounces",
  );
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, "instance-email-webhooks");

  // The generated credentials open Postmark's webhook (a bounce of mail we never sent: ignored).
  const url = new URL(first);
  const auth = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64")}`;
  const bounce = { RecordType: "Bounce", ID: 1, Type: "HardBounce", Email: "x@example.test", Metadata: {} };
  const ok = await page.request.post("/api/webhooks/email/postmark", {
    data: bounce,
    headers: { authorization: auth },
  });
  expect(ok.status()).toBe(200);
  expect(await ok.json()).toMatchObject({ applied: 0, notOurs: 1 });
  const wrong = await page.request.post("/api/webhooks/email/postmark", {
    data: bounce,
    headers: { authorization: `Basic ${Buffer.from("organic-x:nope").toString("base64")}` },
  });
  expect(wrong.status()).toBe(401);

  // Regenerating replaces them: the old ones stop working.
  await card.getByTestId("email-webhooks-postmark-generate").click();
  await page.getByTestId("email-webhooks-postmark-confirm").click();
  await expect(withCredentials).not.toHaveValue(first);
  const stale = await page.request.post("/api/webhooks/email/postmark", {
    data: bounce,
    headers: { authorization: auth },
  });
  expect(stale.status()).toBe(401);
  await ctx.close();
});
