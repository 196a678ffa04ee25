import { generateKeyPairSync, randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { dkimVerify } from "mailauth/lib/dkim/verify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as clickGET } from "@/app/api/track/click/[token]/route";
import { GET as openGET } from "@/app/api/track/open/[token]/route";
import { POST as unsubscribePOST } from "@/app/api/unsubscribe/[token]/route";
import type { Db } from "@/server/db";
import {
  campaignSteps,
  emailCampaigns,
  emailEvents,
  emailSends,
  leads,
  users,
  workspaces,
} from "@/server/db/schema";
import { setQueue } from "@/server/queue";
import { systemActor } from "@/server/services/context";
import { createLinkToken } from "@/server/services/email/links";
import { runSender } from "@/server/services/email/sender";
import { startCampaignSend } from "@/server/services/email/start";
import { closeTransports } from "@/server/services/email/transport";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";
import { recordingQueue } from "../helpers/queues";
import { startDnsStandInForFile, verifySenderDomainThroughDns } from "../helpers/sender-domains";

/**
 * Delivery details around the send pipeline: DKIM with the workspace's own key (verified by
 * mailauth against the public key), the outbox keeping every header, test sends reaching a real
 * SMTP server, and the per-IP limits and signature checks of the public tracking routes.
 */
const h = await setupTestDb();
const db = h.db as Db;
const dns = await startDnsStandInForFile();

const noQueue = recordingQueue();

const appDb = globalThis as unknown as { organicDb?: Promise<unknown> };
let sink: SmtpSink;
let f: Awaited<ReturnType<typeof twoWorkspaces>>;

const SENDER = {
  fromName: "Acme Team",
  fromEmail: "news@acme.example",
  replyTo: "",
  postalAddress: "Acme Ltd, 1 Market Street, Springfield 12345, USA",
  sendRatePerSecond: 0,
};

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PRIVATE_PEM = rsa.privateKey.export({ format: "pem", type: "pkcs8" }).toString();
const PUBLIC_B64 = rsa.publicKey.export({ format: "der", type: "spki" }).toString("base64");

beforeAll(async () => {
  setQueue(noQueue);
  appDb.organicDb = Promise.resolve(h);
  sink = await startSmtpSink();
  f = await twoWorkspaces(db);
  // Mail of the first workspace goes out over SMTP from news@acme.example: that domain is theirs.
  await verifySenderDomainThroughDns(db, dns, f.ws.id, "acme.example");
});

afterAll(async () => {
  appDb.organicDb = undefined;
  closeTransports();
  await sink.close();
  setQueue(h.queue);
});

async function configure(workspaceId: string, smtp: boolean) {
  await db
    .update(workspaces)
    .set({
      settings: sql`(${workspaces.settings} - 'smtp') || ${JSON.stringify({
        sender: SENDER,
        ...(smtp ? { smtp: { url: sink.url } } : {}),
      })}::jsonb`,
    })
    .where(eq(workspaces.id, workspaceId));
  closeTransports();
}

async function oneTimeCampaign(workspaceId: string, emails: string[]) {
  const tag = `t-${randomUUID().slice(0, 6)}`;
  await db.insert(leads).values(emails.map((email) => ({ workspaceId, email, name: "Ada", tags: [tag] })));
  const [c] = await db
    .insert(emailCampaigns)
    .values({
      workspaceId,
      name: tag,
      type: "one-time",
      content: {},
      segmentCriteria: { match: "all", conditions: [{ field: "tag", op: "has", value: tag }] },
    })
    .returning();
  await db.insert(campaignSteps).values({
    workspaceId,
    campaignId: c!.id,
    position: 0,
    subject: "Grüße, {{name}}",
    body: "Hello {{name}}, [read this](https://example.com/read).",
  });
  await startCampaignSend({ db, workspaceId, actor: systemActor }, c!.id);
  await runSender(db, { workspaceId, deadline: Date.now() + 20_000 });
  return c!;
}

describe("DKIM with the workspace's key", () => {
  it("admins store a key (sealed), everyone sees the DNS record, never the private key", async () => {
    const admin = callerFor(db, f.owner).email.sender;
    const view = await admin.updateDkim({
      workspaceId: f.ws.id,
      domain: "Acme.Example",
      selector: "organic",
      privateKey: PRIVATE_PEM,
    });
    expect(view).toEqual({
      domain: "acme.example",
      selector: "organic",
      dnsName: "organic._domainkey.acme.example",
      dnsValue: `v=DKIM1; k=rsa; p=${PUBLIC_B64}`,
      keyType: "rsa",
    });
    const seen = await callerFor(db, f.viewer).email.sender.dkim({ workspaceId: f.ws.id });
    expect(seen).toEqual(view);
    expect(JSON.stringify(seen)).not.toContain("PRIVATE KEY");
    // at rest: sealed, not the PEM
    const [ws] = await db
      .select({ s: workspaces.settings })
      .from(workspaces)
      .where(eq(workspaces.id, f.ws.id));
    const stored = JSON.stringify(ws!.s);
    expect(stored).not.toContain("PRIVATE KEY");
    expect(stored).not.toContain(PRIVATE_PEM.split("\n")[1]!);
    // a later edit may keep the stored key
    await admin.updateDkim({ workspaceId: f.ws.id, domain: "acme.example", selector: "s2" });
    expect((await admin.dkim({ workspaceId: f.ws.id }))?.dnsValue).toBe(view.dnsValue);
    await admin.updateDkim({ workspaceId: f.ws.id, domain: "acme.example", selector: "organic" });
  });

  it("refuses bad keys and names, viewers and members, and other workspaces; nothing changes", async () => {
    const before = await callerFor(db, f.owner).email.sender.dkim({ workspaceId: f.ws.id });
    const admin = callerFor(db, f.owner).email.sender;
    await expect(
      admin.updateDkim({ workspaceId: f.ws.id, domain: "acme.example", selector: "x", privateKey: "nope" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("PEM") });
    const small = generateKeyPairSync("rsa", { modulusLength: 512 })
      .privateKey.export({ format: "pem", type: "pkcs8" })
      .toString();
    await expect(
      admin.updateDkim({ workspaceId: f.ws.id, domain: "acme.example", selector: "x", privateKey: small }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("1024") });
    await expect(
      admin.updateDkim({ workspaceId: f.ws.id, domain: "not a domain", selector: "x" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      callerFor(db, f.member).email.sender.updateDkim({
        workspaceId: f.ws.id,
        domain: "evil.example",
        selector: "x",
        privateKey: PRIVATE_PEM,
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      callerFor(db, f.viewer).email.sender.removeDkim({ workspaceId: f.ws.id }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      callerFor(db, f.otherOwner).email.sender.dkim({ workspaceId: f.ws.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await admin.dkim({ workspaceId: f.ws.id })).toEqual(before);
    // a workspace without DKIM has none
    expect(await callerFor(db, f.otherOwner).email.sender.dkim({ workspaceId: f.other.id })).toBeNull();
  });

  it("signs what the SMTP server receives; the signature verifies against the published key", async () => {
    await configure(f.ws.id, true);
    const email = `dkim-${randomUUID().slice(0, 6)}@example.test`;
    await oneTimeCampaign(f.ws.id, [email]);
    const [mail] = sink.for(email);
    expect(mail).toBeDefined();
    const dns = await callerFor(db, f.owner).email.sender.dkim({ workspaceId: f.ws.id });
    const resolver = async (name: string, rr: string) => {
      if (rr === "TXT" && name === dns!.dnsName) return [[dns!.dnsValue]];
      throw Object.assign(new Error(`no ${rr} record for ${name}`), { code: "ENOTFOUND" });
    };
    const result = await dkimVerify(mail!.raw, { resolver } as never);
    expect(result.results).toHaveLength(1);
    expect(result.results[0]).toMatchObject({
      signingDomain: "acme.example",
      selector: "organic",
      status: { result: "pass" },
    });
    // the signature covers the headers that matter
    const signed = String((result.results[0] as { signingHeaders?: { keys?: string } }).signingHeaders?.keys);
    for (const header of ["from", "subject", "message-id", "list-unsubscribe", "list-unsubscribe-post"]) {
      expect(signed.toLowerCase()).toContain(header);
    }
    // a changed byte breaks it: the test can fail
    const tampered = Buffer.from(mail!.raw.toString("utf8").replace(/^Subject: .*$/m, "Subject: changed"));
    const bad = await dkimVerify(tampered, { resolver } as never);
    expect(bad.results[0]!.status.result).toBe("fail");

    await callerFor(db, f.owner).email.sender.removeDkim({ workspaceId: f.ws.id });
    expect(await callerFor(db, f.owner).email.sender.dkim({ workspaceId: f.ws.id })).toBeNull();
    closeTransports();
    const plain = `plain-${randomUUID().slice(0, 6)}@example.test`;
    await oneTimeCampaign(f.ws.id, [plain]);
    expect(sink.for(plain)[0]!.raw.toString()).not.toMatch(/^DKIM-Signature:/im);
  });
});

describe("the outbox keeps what would have been sent", () => {
  it("stores every header; list/get read it per workspace", async () => {
    await configure(f.other.id, false);
    const email = `outbox-${randomUUID().slice(0, 6)}@example.test`;
    const c = await oneTimeCampaign(f.other.id, [email]);
    const [send] = await db.select().from(emailSends).where(eq(emailSends.campaignId, c.id));
    const caller = callerFor(db, f.otherOwner).email.outbox;
    const list = await caller.list({ workspaceId: f.other.id, search: email });
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ toAddress: email, subject: "Grüße, Ada", kind: "campaign" });
    const msg = await caller.get({ workspaceId: f.other.id, id: list.items[0]!.id });
    const headers = Object.fromEntries(msg.headers.map(([k, v]) => [k, v]));
    expect(headers).toMatchObject({
      From: "Acme Team <news@acme.example>",
      To: email,
      Subject: "Grüße, Ada",
      "Message-ID": `<${send!.id}@acme.example>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      "MIME-Version": "1.0",
    });
    // The kept copy's one-click token is redacted (issue 12): only the recipient gets a working link.
    expect(headers["List-Unsubscribe"]).toMatch(
      /^<http[^>]+\/api\/unsubscribe\/\[removed\]>, <mailto:news@acme\.example\?subject=unsubscribe>$/,
    );
    expect(headers.Date).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    expect(msg.html).toContain("Hello Ada");
    // other workspaces, bad ids and bad cursors
    await expect(
      callerFor(db, f.owner).email.outbox.get({ workspaceId: f.ws.id, id: msg.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerFor(db, f.owner).email.outbox.list({ workspaceId: f.other.id })).rejects.toMatchObject(
      { code: "NOT_FOUND" },
    );
    await expect(caller.get({ workspaceId: f.other.id, id: "nope" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(caller.list({ workspaceId: f.other.id, cursor: "garbage" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("pages with a cursor, newest first, without gaps or repeats", async () => {
    await configure(f.other.id, false);
    const tag = randomUUID().slice(0, 6);
    await oneTimeCampaign(
      f.other.id,
      Array.from({ length: 5 }, (_v, i) => `page${i}-${tag}@example.test`),
    );
    const caller = callerFor(db, f.otherOwner).email.outbox;
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await caller.list({ workspaceId: f.other.id, search: tag, limit: 2, cursor });
      seen.push(...page.items.map((i) => i.toAddress));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.sort()).toEqual(Array.from({ length: 5 }, (_v, i) => `page${i}-${tag}@example.test`));
  });
});

describe("send test", () => {
  it("delivers one rendered message to a member's verified address over SMTP, with working signed links", async () => {
    await configure(f.ws.id, true);
    await db.update(users).set({ emailVerified: true }).where(eq(users.id, f.member.id));
    const to = f.member.email;
    const res = await callerFor(db, f.member).email.campaigns.sendTest({
      workspaceId: f.ws.id,
      to,
      step: {
        subject: "Launch for {{name|you}}",
        preheader: "",
        body: "Hi {{name|friend}} — [see it](https://example.com/launch)",
        delayMinutes: 0,
      },
    });
    expect(res.delivered).toBe(true);
    const got = sink.for(to);
    expect(got).toHaveLength(1);
    const parsed = await sink.parse(got[0]!);
    expect(parsed.subject).toMatch(/^\[Test\] Launch for /);
    const postLine = parsed.headerLines.find((l) => l.key === "list-unsubscribe-post")?.line;
    expect(postLine).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(parsed.messageId).toBe(res.messageId);
    const click = /https?:\/\/[^"\s]+\/api\/track\/click\/[\w.-]+/.exec(String(parsed.html))![0];
    const token = click.split("/api/track/click/")[1]!;
    const r = await clickGET(new Request(click), { params: Promise.resolve({ token }) });
    expect(r.status).toBe(302);
    expect(r.headers.get("location")).toBe("https://example.com/launch");
    // a test send records nothing in the ledger or the events
    const events = await db.select().from(emailEvents).where(eq(emailEvents.workspaceId, f.ws.id));
    expect(events.filter((e) => e.url === "https://example.com/launch")).toHaveLength(0);
  });
});

describe("public tracking routes", () => {
  const ipHeaders = (ip: string) => ({ "x-forwarded-for": ip });
  const call = {
    open: (token: string, ip: string) =>
      openGET(new Request(`http://x/api/track/open/${token}`, { headers: ipHeaders(ip) }), {
        params: Promise.resolve({ token }),
      }),
    click: (token: string, ip: string) =>
      clickGET(new Request(`http://x/api/track/click/${token}`, { headers: ipHeaders(ip) }), {
        params: Promise.resolve({ token }),
      }),
    unsubscribe: (token: string, ip: string) =>
      unsubscribePOST(
        new Request(`http://x/api/unsubscribe/${token}`, {
          method: "POST",
          headers: { ...ipHeaders(ip), "content-type": "application/x-www-form-urlencoded" },
          body: "List-Unsubscribe=One-Click",
        }),
        { params: Promise.resolve({ token }) },
      ),
  };

  it("answer 429 with Retry-After past the per-IP limit, per IP", async () => {
    const ip = `203.0.113.${Math.floor(Math.random() * 200) + 1}`;
    const open = createLinkToken({ kind: "o", sendId: "test" });
    const click = createLinkToken({ kind: "c", sendId: "test", url: "https://example.com/" });
    // open and click share one budget of 300 a minute
    for (let i = 0; i < 150; i++) {
      expect((await call.open(open, ip)).status).toBe(200);
      expect((await call.click(click, ip)).status).toBe(302);
    }
    const overOpen = await call.open(open, ip);
    expect(overOpen.status).toBe(429);
    expect(Number(overOpen.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(overOpen.headers.get("content-type")).toBe("image/gif");
    const overClick = await call.click(click, ip);
    expect(overClick.status).toBe(429);
    expect(Number(overClick.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(overClick.headers.get("location")).toBeNull();
    // another address is not affected
    expect((await call.click(click, "198.51.100.7")).status).toBe(302);

    const unsub = createLinkToken({ kind: "u", sendId: "test" });
    for (let i = 0; i < 60; i++) expect((await call.unsubscribe(unsub, ip)).status).toBe(200);
    const overUnsub = await call.unsubscribe(unsub, ip);
    expect(overUnsub.status).toBe(429);
    expect(Number(overUnsub.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("one-click unsubscribe needs no cookie or login, and refuses tampered tokens", async () => {
    await configure(f.ws.id, true);
    const email = `unsub-${randomUUID().slice(0, 6)}@example.test`;
    const c = await oneTimeCampaign(f.ws.id, [email]);
    const [send] = await db.select().from(emailSends).where(eq(emailSends.campaignId, c.id));
    const token = createLinkToken({ kind: "u", sendId: send!.id });
    const ip = "192.0.2.44";
    // tampered: another send id under the old signature, a flipped signature, a click token
    const [data, sig] = token.split(".");
    const otherData = Buffer.from(`u\n${randomUUID()}`).toString("base64url");
    for (const bad of [
      `${otherData}.${sig}`,
      `${data}.${sig!.slice(0, -2)}${sig!.endsWith("AA") ? "BB" : "AA"}`,
      createLinkToken({ kind: "c", sendId: send!.id, url: "https://example.com/" }),
      "not-a-token",
    ]) {
      expect((await call.unsubscribe(bad, ip)).status).toBe(400);
    }
    const [before] = await db.select().from(leads).where(eq(leads.email, email));
    expect(before!.status).toBe("active");
    const res = await call.unsubscribe(token, ip);
    expect(res.status).toBe(200);
    const [after] = await db.select().from(leads).where(eq(leads.email, email));
    expect(after!.status).toBe("unsubscribed");
  });

  it("never redirects to a URL nobody signed", async () => {
    const ip = "192.0.2.45";
    const good = createLinkToken({ kind: "c", sendId: "test", url: "https://example.com/ok" });
    const [, sig] = good.split(".");
    const evilData = Buffer.from("c\ntest\nhttps://evil.example/").toString("base64url");
    for (const bad of [
      `${evilData}.${sig}`,
      evilData,
      createLinkToken({ kind: "c", sendId: "test", url: "javascript:alert(1)" }),
      createLinkToken({ kind: "o", sendId: "test" }),
    ]) {
      const r = await call.click(bad, ip);
      expect(r.status).toBe(400);
      expect(r.headers.get("location")).toBeNull();
    }
    expect((await call.open(`${evilData}.${sig}`, ip)).status).toBe(400);
  });
});
