import { generateKeyPairSync } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { dkimVerify } from "mailauth/lib/dkim/verify";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { integrations, integrationUsage } from "@/server/db/schema";
import type { GmailSecrets } from "@/server/integrations/gmail/token-store";
import { httpDefaults } from "@/server/integrations/http";
import { readSecrets } from "@/server/integrations/store";
import { buildMessage } from "@/server/services/email/mime";
import { getTransport, type OutgoingEmail } from "@/server/services/email/transport";
import { handleOAuthCallback } from "@/server/services/integrations/callback";
import { sendViaGmail } from "@/server/services/integrations/gmail";
import {
  GOOGLE_CLIENT_ID,
  GOOGLE_CLIENT_SECRET,
  type GoogleStandIn,
  startGoogleStandIn,
} from "../fixtures/stand-ins/google";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
let g: GoogleStandIn;

beforeAll(async () => {
  g = await startGoogleStandIn();
  vi.stubEnv("GOOGLE_CLIENT_ID", GOOGLE_CLIENT_ID);
  vi.stubEnv("GOOGLE_CLIENT_SECRET", GOOGLE_CLIENT_SECRET);
  vi.stubEnv("GOOGLE_OAUTH_BASE_URL", g.url);
  vi.stubEnv("GOOGLE_AUTH_BASE_URL", g.url);
  vi.stubEnv("GMAIL_API_BASE_URL", g.url);
  vi.stubEnv("GMAIL_DAILY_LIMIT", "3");
  resetEnvCache();
  httpDefaults.backoffBaseMs = 5;
  f = await twoWorkspaces(h.db);
});
afterAll(async () => {
  await g.close();
  vi.unstubAllEnvs();
  resetEnvCache();
});
beforeEach(async () => {
  g.reset();
  await h.db.delete(integrations).where(eq(integrations.workspaceId, f.ws.id));
});

async function connect() {
  const { url } = await callerFor(h.db, f.owner).integrations.connect({
    workspaceId: f.ws.id,
    provider: "gmail",
  });
  expect(new URL(url).searchParams.get("access_type")).toBe("offline");
  const back = new URL(await g.approve(url));
  return handleOAuthCallback(h.db, {
    provider: "gmail",
    url: back,
    userId: f.owner.id,
    ip: null,
    userAgent: null,
  });
}

async function row() {
  const [r] = await h.db
    .select()
    .from(integrations)
    .where(and(eq(integrations.workspaceId, f.ws.id), eq(integrations.provider, "gmail")));
  return r;
}

const message = (n = 1): OutgoingEmail => ({
  from: { name: "Moon Mug", address: "sender@moonmug.test" },
  to: `lead${n}@example.test`,
  subject: `Spring sale ${n} — 20% off`,
  html: "<p>Hello <b>there</b></p>",
  text: "Hello there",
  headers: {
    "Message-ID": `<msg-${n}@moonmug.test>`,
    "List-Unsubscribe": "<https://app.test/u/TOKEN>, <mailto:unsub@moonmug.test>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  },
});

describe("Gmail", () => {
  it("connects with offline access and names the account", async () => {
    expect(await connect()).toEqual({
      redirect: `/${f.ws.slug}/integrations?provider=gmail&connected=gmail`,
    });
    const r = await row();
    expect(r).toMatchObject({ status: "connected", accountName: "sender@moonmug.test" });
    expect(readSecrets<GmailSecrets>(r!)?.refreshToken).toMatch(/^1\/\//);
  });

  it("the workspace transport becomes Gmail and sends the full RFC 2822 message with headers intact", async () => {
    await connect();
    const t = getTransport(h.db, f.ws.id);
    expect(await t.kind()).toBe("gmail");
    const res = await t.send(message());
    expect(res).toEqual({ messageId: "<msg-1@moonmug.test>", accepted: true });
    expect(g.sent).toHaveLength(1);
    const sent = g.sent[0]!;
    expect(sent.headers.to).toBe("lead1@example.test");
    expect(sent.headers["list-unsubscribe"]).toBe("<https://app.test/u/TOKEN>, <mailto:unsub@moonmug.test>");
    expect(sent.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    expect(sent.headers["message-id"]).toBe("<msg-1@moonmug.test>");
    expect((await simpleParser(sent.raw)).text?.trim()).toBe("Hello there");
  });

  it("Gmail gets the same message the SMTP transport would send: one builder, same headers, same order", async () => {
    await connect();
    const m = message(7);
    await sendViaGmail(h.db, f.ws.id, m);
    const raw = g.sent[0]!.raw;
    const viaGmail = await simpleParser(raw);
    const viaSmtp = await simpleParser(buildMessage(m).raw);
    for (const name of ["from", "to", "subject", "message-id", "list", "mime-version"]) {
      expect(viaGmail.headers.get(name), name).toEqual(viaSmtp.headers.get(name));
    }
    // mailparser groups List-* headers: both unsubscribe URIs and the one-click flag survive intact.
    expect(viaGmail.headers.get("list")).toEqual({
      unsubscribe: { url: "https://app.test/u/TOKEN", mail: "unsub@moonmug.test" },
      "unsubscribe-post": { name: "List-Unsubscribe=One-Click" },
    });
    expect(viaGmail.headerLines.find((l) => l.key === "list-unsubscribe-post")?.line).toBe(
      "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
    );
    expect(viaGmail.messageId).toBe("<msg-7@moonmug.test>");
    expect(viaGmail.subject).toBe("Spring sale 7 — 20% off");
    expect(viaGmail.text?.trim()).toBe("Hello there");
    expect(viaGmail.html).toContain("<b>there</b>");
    // The raw header block, name by name and in order, is what buildMessage writes (only the
    // boundary and the Date differ between two builds).
    const names = (r: string) =>
      r
        .split("\r\n\r\n")[0]!
        .split("\r\n")
        .filter((l) => /^[A-Za-z-]+:/.test(l))
        .map((l) => l.slice(0, l.indexOf(":")));
    expect(names(raw)).toEqual(names(buildMessage(m).raw.toString("utf8")));
    expect(raw).not.toMatch(/^DKIM-Signature:/im); // no DKIM key configured for this workspace
  });

  it("with a DKIM key configured, the Gmail message is signed like the SMTP one and verifies", async () => {
    await connect();
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const sender = callerFor(h.db, f.owner).email.sender;
    await sender.updateDkim({
      workspaceId: f.ws.id,
      domain: "moonmug.test",
      selector: "organic",
      privateKey: pem,
    });
    try {
      await sendViaGmail(h.db, f.ws.id, message(8));
      const raw = g.sent[0]!.raw;
      const parsed = await simpleParser(raw);
      expect(parsed.headers.get("list")).toMatchObject({
        "unsubscribe-post": { name: "List-Unsubscribe=One-Click" },
      });
      expect(parsed.headers.get("dkim-signature")).toBeDefined();
      const dns = await sender.dkim({ workspaceId: f.ws.id });
      const resolver = async (name: string, rr: string) => {
        if (rr === "TXT" && name === dns!.dnsName) return [[dns!.dnsValue]];
        throw Object.assign(new Error(`no ${rr} record for ${name}`), { code: "ENOTFOUND" });
      };
      const result = await dkimVerify(Buffer.from(raw), { resolver } as never);
      expect(result.results[0]).toMatchObject({
        signingDomain: "moonmug.test",
        selector: "organic",
        status: { result: "pass" },
      });
      const signed = String(
        (result.results[0] as { signingHeaders?: { keys?: string } }).signingHeaders?.keys,
      ).toLowerCase();
      for (const header of ["from", "subject", "message-id", "list-unsubscribe", "list-unsubscribe-post"])
        expect(signed).toContain(header);
    } finally {
      await sender.removeDkim({ workspaceId: f.ws.id });
    }
  });

  it("counts the daily quota per account and holds sends past it", async () => {
    await connect();
    for (let i = 1; i <= 3; i++) await sendViaGmail(h.db, f.ws.id, message(i));
    await expect(sendViaGmail(h.db, f.ws.id, message(4))).rejects.toThrow(/daily limit \(3 messages\)/);
    expect(g.sent).toHaveLength(3);
    const [u] = await h.db.select().from(integrationUsage).where(eq(integrationUsage.workspaceId, f.ws.id));
    expect(u?.count).toBe(3);
    const list = await callerFor(h.db, f.viewer).integrations.list({ workspaceId: f.ws.id });
    expect(list.find((v) => v.provider === "gmail")?.details).toMatchObject({ sentToday: 3, dailyLimit: 3 });
  });

  it("401: refreshes once and sends", async () => {
    await connect();
    g.killAccessTokens();
    await sendViaGmail(h.db, f.ws.id, message());
    expect(g.sent).toHaveLength(1);
    expect(
      g.requests.filter(
        (r) => r.path === "/token" && (r.body as Record<string, string>).grant_type === "refresh_token",
      ),
    ).toHaveLength(1);
  });

  it("401 after the refresh too: reconnect needed, nothing lost (temporary), no more sends attempted", async () => {
    await connect();
    g.setMode("unauthorized");
    const err = await sendViaGmail(h.db, f.ws.id, message()).then(
      () => null,
      (e: { permanent: boolean; message: string }) => e,
    );
    expect(err).toMatchObject({ permanent: false, message: expect.stringContaining("reconnected") });
    expect((await row())?.status).toBe("needs_attention");
    const sends = g.requests.filter((r) => r.path.endsWith("/send")).length;
    await expect(sendViaGmail(h.db, f.ws.id, message(2))).rejects.toThrow(/needs attention/);
    expect(g.requests.filter((r) => r.path.endsWith("/send")).length).toBe(sends);
  });

  it("domainPolicy stops sending and tells the user; not retried", async () => {
    await connect();
    g.setMode("domainPolicy");
    await expect(sendViaGmail(h.db, f.ws.id, message())).rejects.toThrow(/administrator/);
    expect(g.requests.filter((r) => r.path.endsWith("/send"))).toHaveLength(1);
    const r = await row();
    expect(r?.status).toBe("needs_attention");
    expect(r?.lastError).toContain("domainPolicy");
  });

  it("403 dailyLimitExceeded holds sending until tomorrow; 429 is retried with backoff, then held", async () => {
    await connect();
    g.setMode("dailyLimitExceeded", 1);
    await expect(sendViaGmail(h.db, f.ws.id, message())).rejects.toThrow(/resumes after/);
    expect((await row())?.status).toBe("connected");
    await expect(sendViaGmail(h.db, f.ws.id, message(2))).rejects.toThrow(/limit reached/);
    await h.db.update(integrations).set({ settings: {} }).where(eq(integrations.workspaceId, f.ws.id));
    g.setMode("rateLimit429", 1);
    await sendViaGmail(h.db, f.ws.id, message(3));
    expect(g.sent.map((s) => s.headers.to)).toEqual(["lead3@example.test"]);
  });

  it("5xx is temporary and never disconnects", async () => {
    await connect();
    g.setMode("server500");
    await expect(sendViaGmail(h.db, f.ws.id, message())).rejects.toMatchObject({ permanent: false });
    expect((await row())?.status).toBe("connected");
  });

  it("disconnect revokes the refresh token", async () => {
    await connect();
    const rt = readSecrets<GmailSecrets>((await row())!)!.refreshToken;
    await callerFor(h.db, f.owner).integrations.disconnect({ workspaceId: f.ws.id, provider: "gmail" });
    expect(g.revoked).toEqual([rt]);
    expect(await row()).toBeUndefined();
    expect(await getTransport(h.db, f.ws.id).kind()).not.toBe("gmail");
  });

  it("Test sends a message to the account itself", async () => {
    await connect();
    const r = await callerFor(h.db, f.admin).integrations.test({ workspaceId: f.ws.id, provider: "gmail" });
    expect(r).toMatchObject({ ok: true, detail: "Test message sent to sender@moonmug.test" });
    expect(g.sent[0]?.headers.to).toBe("sender@moonmug.test");
  });
});
