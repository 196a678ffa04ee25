import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { resetMailer } from "@/lib/mailer";
import { outboxMessages, sessions, users, verifications } from "@/server/db/schema";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { routeHandlersUse, TestBrowser } from "../helpers/auth-http";
import { setupTestDb } from "../helpers/db";
import { uniqueEmail } from "../helpers/fixtures";

/** Issue 18 item 1: password reset by email, through a real SMTP server. */

const h = await setupTestDb();
routeHandlersUse(h);
const PASSWORD = "correct horse battery";
const NEW_PASSWORD = "a brand new passphrase";
let ipSeq = 1;
const browser = () => new TestBrowser(`198.51.100.${ipSeq++}`);
let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink();
  process.env.SMTP_URL = sink.url;
  resetEnvCache();
  resetMailer();
});
afterAll(async () => {
  delete process.env.SMTP_URL;
  resetEnvCache();
  resetMailer();
  await sink.close();
});
beforeEach(() => {
  resetEnvCache();
});

async function account() {
  const email = uniqueEmail("reset");
  const b = browser();
  expect((await b.auth("/sign-up/email", { email, password: PASSWORD, name: "R" })).status).toBe(200);
  if (!b.hasCookie("session_token"))
    expect((await b.auth("/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
  const [user] = await h.db.select().from(users).where(eq(users.email, email));
  return { email, signedIn: b, user: user! };
}

async function resetLink(email: string) {
  await h.queue.drain();
  const mails = sink.for(email);
  for (const m of mails.toReversed()) {
    const parsed = await sink.parse(m);
    if (/reset/i.test(parsed.subject ?? "")) {
      const link = parsed.text!.match(/https?:\/\/\S+\/reset-password\?token=\S+/)?.[0];
      expect(link).toBeTruthy();
      return link!;
    }
  }
  throw new Error(`no reset mail for ${email}`);
}

describe("forgot password → mail → new password", () => {
  it("resets through the mailed link, ends every session, and the link works once", async () => {
    const { email, signedIn, user } = await account();
    const other = browser();
    expect((await other.auth("/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
    expect(await h.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(2);

    const asked = await browser().auth("/request-password-reset", { email, redirectTo: "/reset-password" });
    expect(asked.status).toBe(200);
    const link = await resetLink(email);
    expect(link.startsWith("http://localhost:3000/reset-password?token=")).toBe(true);
    const token = new URL(link).searchParams.get("token")!;

    const done = await browser().auth("/reset-password", { token, newPassword: NEW_PASSWORD });
    expect(done.status).toBe(200);
    expect(await h.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
    const session = await signedIn.auth("/get-session");
    expect(await session.json()).toBeNull();

    expect((await browser().auth("/sign-in/email", { email, password: PASSWORD })).status).toBe(401);
    expect((await browser().auth("/sign-in/email", { email, password: NEW_PASSWORD })).status).toBe(200);
    const again = await browser().auth("/reset-password", { token, newPassword: "yet another passphrase" });
    expect(again.status).toBe(400);
    // Proving the mailbox also verifies the address.
    const [after] = await h.db.select().from(users).where(eq(users.id, user.id));
    expect(after?.emailVerified).toBe(true);
    // Nothing readable holds the token.
    const rows = await h.db.select().from(outboxMessages).where(eq(outboxMessages.toAddress, email));
    expect(rows.some((r) => r.kind === "password-reset")).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("the link expires after an hour", async () => {
    const { email } = await account();
    await browser().auth("/request-password-reset", { email });
    const token = new URL(await resetLink(email)).searchParams.get("token")!;
    const [row] = await h.db
      .select()
      .from(verifications)
      .where(eq(verifications.identifier, `reset-password:${token}`));
    const minutes = (row!.expiresAt.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(58);
    expect(minutes).toBeLessThanOrEqual(60);
    await h.db
      .update(verifications)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(verifications.id, row!.id));
    const res = await browser().auth("/reset-password", { token, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(400);
    expect((await browser().auth("/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
  });

  it("answers the same whether or not the address has an account, and mails only the real one", async () => {
    const { email } = await account();
    const nobody = uniqueEmail("nobody");
    const a = await browser().auth("/request-password-reset", { email });
    const b = await browser().auth("/request-password-reset", { email: nobody });
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await a.json()).toEqual(await b.json());
    await h.queue.drain();
    expect(sink.for(nobody)).toHaveLength(0);
    expect(sink.for(email).length).toBeGreaterThan(0);
  });

  it("refuses a common password as the new one, and keeps the token for a better choice", async () => {
    const { email } = await account();
    await browser().auth("/request-password-reset", { email });
    const token = new URL(await resetLink(email)).searchParams.get("token")!;
    const weak = await browser().auth("/reset-password", { token, newPassword: "password123" });
    expect(weak.status).toBe(400);
    expect(((await weak.json()) as { message: string }).message).toMatch(/too common/i);
    expect((await browser().auth("/reset-password", { token, newPassword: NEW_PASSWORD })).status).toBe(200);
  });

  it("is rate-limited per address (whatever the client address) and per client address", async () => {
    const { email } = await account();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await browser().auth("/request-password-reset", { email })).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses[5]).toBe(429);
    await h.queue.drain();
    const resets = await Promise.all(sink.for(email).map((m) => sink.parse(m)));
    expect(resets.filter((m) => /reset/i.test(m.subject ?? "")).length).toBe(5);

    const one = browser();
    const fromOneIp: number[] = [];
    for (let i = 0; i < 31; i++)
      fromOneIp.push((await one.auth("/request-password-reset", { email: uniqueEmail("spray") })).status);
    expect(fromOneIp.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(fromOneIp[30]).toBe(429);
  });
});
