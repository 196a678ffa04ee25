import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { shot, signUpWithWorkspace, uniqueEmail } from "./helpers";

/*
 * Settings → Sending as one setup flow (issue 15, point 13): the admin types their own SMTP server,
 * tests it against a real SMTP sink that requires a login (started here; the server runs with
 * SMTP_ALLOW_PRIVATE=true so 127.0.0.1 may be typed), saves it; and an instance admin saves the
 * TikTok app's credentials in Settings → Instance.
 */
const PASSWORD = "correct horse battery";
const SMTP_PASS = "sink-password-42";

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

/** What `npm run cli -- instance-admin --email …` does (the first account of this install is another spec's). */
async function grantInstanceAdmin(email: string) {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    await client.query("update users set instance_admin = true where email = $1", [email]);
  } finally {
    await client.end();
  }
}

let sink: SmtpSink;
test.beforeAll(async () => {
  sink = await startSmtpSink({ auth: { user: "mailer", pass: SMTP_PASS } });
});
test.afterAll(async () => {
  await sink?.close();
});

test("sending setup: own SMTP server tested and saved; an instance admin sets TikTok's app", async ({
  browser,
}) => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const email = uniqueEmail("sender");
  const { slug } = await signUpWithWorkspace(
    page,
    { name: "Sam Sender", email, password: PASSWORD },
    `Setup Shop ${Date.now().toString(36).slice(-4)}`,
  );

  await page.goto(`/${slug}/settings/sending`);
  const card = page.getByTestId("mail-server-card");
  await expect(card.getByTestId("mail-mode-default")).toBeChecked();
  await expect(card.getByTestId("mail-mode-default-detail")).toContainText(
    "None — mail stays in the in-app outbox",
  );

  await card.getByTestId("mail-mode-own").check();
  await card.getByTestId("smtp-host").fill("127.0.0.1");
  await card.getByTestId("smtp-security").click();
  await page.getByRole("option", { name: /None \(plain text/ }).click();
  await card.getByTestId("smtp-port").fill(String(sink.port));
  await card.getByTestId("smtp-username").fill("mailer");

  // A wrong password first: the answer says so in words.
  await card.getByTestId("smtp-password").fill("not-the-password");
  await card.getByTestId("mail-server-test").click();
  await expect(card.getByTestId("mail-test-result")).toContainText(
    `Authentication failed: 127.0.0.1:${sink.port} refused the username or password.`,
  );

  await card.getByTestId("smtp-password").fill(SMTP_PASS);
  await card.getByTestId("mail-server-test").click();
  await expect(card.getByTestId("mail-test-result")).toContainText(
    `Sent a test message to ${email} through 127.0.0.1:${sink.port}. Check that inbox.`,
  );
  await sink.waitFor(1);
  expect(sink.for(email)).toHaveLength(1);

  await card.getByTestId("mail-server-save").click();
  await expect(page.getByText("Mail server saved")).toBeVisible();
  await page.reload();
  await expect(card.getByTestId("mail-mode-own")).toBeChecked();
  await expect(card.getByTestId("smtp-password")).toHaveValue("");
  await expect(card.getByText("Set. Leave empty to keep it")).toBeVisible();
  await expect(page.getByTestId("send-readiness")).toContainText("SMTP server");
  await shot(page, "sending-setup");

  // --- Settings → Instance: only for instance admins (the first account of a run's install already is one) ---
  await grantInstanceAdmin(email);
  await page.goto(`/${slug}/settings/instance`);
  const tiktok = page.getByTestId("instance-tiktok");
  await expect(tiktok.getByTestId("instance-tiktok-source")).toHaveText("Using the server's environment");
  await tiktok.getByTestId("instance-tiktok-clientKey").fill("saved-in-the-ui-key");
  await tiktok.getByTestId("instance-tiktok-clientSecret").fill("saved-in-the-ui-secret");
  await tiktok.getByTestId("instance-tiktok-save").click();
  await expect(tiktok.getByTestId("instance-tiktok-source")).toHaveText("Using the values saved here");
  await expect(tiktok.getByTestId("instance-tiktok-clientSecret")).toHaveValue("");
  await expect(tiktok.getByText("Set. Leave empty to keep it.")).toBeVisible();
  await expect(page.getByTestId("settings-tab-instance")).toBeVisible();
  await shot(page, "instance-settings");
  // The key reaches TikTok's authorize URL when a workspace connects.
  const listed = await page.request.get("/api/trpc/workspace.list").then((r) => r.json());
  const workspaceId = (listed.result.data.json as { id: string; slug: string }[]).find(
    (w) => w.slug === slug,
  )!.id;
  const res = await page.request.post("/api/trpc/integrations.connect", {
    data: { json: { workspaceId, provider: "tiktok" } },
  });
  const url = new URL((await res.json()).result.data.json.url as string);
  expect(url.searchParams.get("client_key")).toBe("saved-in-the-ui-key");
  // Put the environment's back for the specs that run after this one.
  await tiktok.getByRole("button", { name: "Use the environment's" }).click();
  await expect(tiktok.getByTestId("instance-tiktok-source")).toHaveText("Using the server's environment");
  await ctx.close();
});
