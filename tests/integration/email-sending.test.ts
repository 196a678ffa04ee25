import { randomUUID } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
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
  outboxMessages,
  workspaces,
} from "@/server/db/schema";
import { NotFoundError, ValidationError } from "@/server/errors";
import { type QueueAdapter, setQueue } from "@/server/queue";
import { jobHandlers } from "@/server/queue/handlers";
import { emailSenderJob } from "@/server/queue/jobs/email-sender";
import { runJob } from "@/server/queue/run";
import { systemActor } from "@/server/services/context";
import { claimDueSends, reclaimStaleSends } from "@/server/services/email/send-claim";
import { runSender } from "@/server/services/email/sender";
import { enrollLead, startCampaignSend, startDueScheduledCampaigns } from "@/server/services/email/start";
import { closeTransports } from "@/server/services/email/transport";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { setupTestDb } from "../helpers/db";
import { twoWorkspaces } from "../helpers/fixtures";
import { startDnsStandInForFile, verifySenderDomainThroughDns } from "../helpers/sender-domains";

// A database of its own on PostgreSQL: it runs the whole-database jobs (due scheduled campaigns,
// sequence steps) and counts what they did, which another file's rows on a shared database would
// change (CI, 2026-12-07: 2 scheduled campaigns started where this file had made 1 due).
const h = await setupTestDb({ ownDatabase: true });
const db = h.db as Db;
const dns = await startDnsStandInForFile();

/** A queue that only records what was enqueued: the tests drive the sender themselves. */
const enqueued: { name: string; payload: unknown }[] = [];
const manualQueue: QueueAdapter = {
  kind: "inline",
  async enqueue(def, payload, opts) {
    enqueued.push({ name: def.name, payload });
    return { jobId: opts?.jobId ?? randomUUID() };
  },
  async enqueueMany(def, jobs) {
    for (const j of jobs) enqueued.push({ name: def.name, payload: j.payload });
  },
  async repeat() {},
  async health() {
    return "ok";
  },
  async close() {},
};

let sink: SmtpSink;
let fx: Awaited<ReturnType<typeof twoWorkspaces>>;

const SENDER = {
  fromName: "Acme Team",
  fromEmail: "news@acme.example",
  replyTo: "hello@acme.example",
  postalAddress: "Acme Ltd, 1 Market Street, Springfield 12345, USA",
  sendRatePerSecond: 0,
};

// The route handlers open the app database through getDb(): point it at this file's database.
const appDb = globalThis as unknown as { organicDb?: Promise<unknown> };

beforeAll(async () => {
  setQueue(manualQueue);
  appDb.organicDb = Promise.resolve(h);
  sink = await startSmtpSink({
    policy: (a) => {
      if (a.startsWith("bounce")) return { code: 550, message: "5.1.1 No such user" };
      if (a.startsWith("later") && sink.counts.get("__later_tries") === undefined) {
        sink.counts.set("__later_tries", 1);
        return { code: 451, message: "4.7.1 Try again later" };
      }
      return null;
    },
  });
  fx = await twoWorkspaces(db);
  // Mail of the first workspace goes out over SMTP from news@acme.example: that domain is theirs.
  await verifySenderDomainThroughDns(db, dns, fx.ws.id, "acme.example");
});

afterAll(async () => {
  appDb.organicDb = undefined;
  closeTransports();
  await sink.close();
  setQueue(h.queue);
});

async function configure(workspaceId: string, p: { smtp?: boolean; sender?: Partial<typeof SENDER> } = {}) {
  const settings = {
    sender: { ...SENDER, ...p.sender },
    ...(p.smtp === false ? {} : { smtp: { url: sink.url } }),
  };
  await db
    .update(workspaces)
    .set({ settings: sql`${workspaces.settings} || ${JSON.stringify(settings)}::jsonb` })
    .where(eq(workspaces.id, workspaceId));
}

async function addLeads(
  workspaceId: string,
  rows: { email: string; name?: string | null; custom?: object; tags?: string[] }[],
) {
  return db
    .insert(leads)
    .values(
      rows.map((r) => ({
        workspaceId,
        email: r.email,
        name: r.name ?? null,
        customFields: (r.custom ?? {}) as Record<string, unknown>,
        tags: r.tags ?? [],
      })),
    )
    .returning();
}

async function campaign(
  workspaceId: string,
  p: { tag?: string; body?: string; subject?: string; type?: "one-time" | "sequence"; steps?: number[] } = {},
) {
  const [c] = await db
    .insert(emailCampaigns)
    .values({
      workspaceId,
      name: `Campaign ${randomUUID().slice(0, 6)}`,
      type: p.type ?? "one-time",
      content: {},
      segmentCriteria: p.tag ? { match: "all", conditions: [{ field: "tag", op: "has", value: p.tag }] } : {},
    })
    .returning();
  const delays = p.steps ?? [0];
  const steps = await db
    .insert(campaignSteps)
    .values(
      delays.map((d, i) => ({
        workspaceId,
        campaignId: c!.id,
        position: i,
        delayMinutes: d,
        subject: p.subject ?? "Hello {{name|friend}}",
        preheader: "A short preview",
        body:
          p.body ??
          "# Hi {{name|there}}\n\nYour plan: **{{custom.plan|free}}**.\n\n[Read the guide](https://docs.example.com/guide?ref=mail) or [write to us](mailto:hello@acme.example).",
      })),
    )
    .returning();
  return { ...c!, steps };
}

const ctxFor = (workspaceId: string) => ({ db, workspaceId, actor: systemActor });
const drain = (workspaceId: string) => runSender(db, { workspaceId, deadline: Date.now() + 20_000 });

async function sendsOf(campaignId: string) {
  return db.select().from(emailSends).where(eq(emailSends.campaignId, campaignId));
}

describe("one-time campaign over SMTP", () => {
  it("sends each matching active lead exactly once, with every required header and part", async () => {
    await configure(fx.ws.id);
    const tag = `t-${randomUUID().slice(0, 6)}`;
    const [ann, bob, , unsub] = await addLeads(fx.ws.id, [
      {
        email: `ann-${tag}@example.test`,
        name: "Ann <b>&</b> Co",
        custom: { plan: "Pro & More" },
        tags: [tag],
      },
      { email: `bob-${tag}@example.test`, name: null, tags: [tag] },
      { email: `zed-${tag}@example.test`, name: "Zed", tags: [] }, // not in the segment
      { email: `gone-${tag}@example.test`, name: "Gone", tags: [tag] },
    ]);
    await db.update(leads).set({ status: "unsubscribed" }).where(eq(leads.id, unsub!.id));
    const c = await campaign(fx.ws.id, { tag });

    const { queued } = await startCampaignSend(ctxFor(fx.ws.id), c.id);
    expect(queued).toBe(2);
    expect(enqueued.some((j) => j.name === "email-sender")).toBe(true);
    // idempotent: a second start neither re-resolves nor duplicates
    expect((await startCampaignSend(ctxFor(fx.ws.id), c.id)).queued).toBe(2);

    const before = sink.received.length;
    const result = await drain(fx.ws.id);
    expect(result.sent).toBe(2);
    expect(sink.received.length - before).toBe(2);
    expect(sink.for(ann!.email)).toHaveLength(1);
    expect(sink.for(bob!.email)).toHaveLength(1);

    const [campaignRow] = await db.select().from(emailCampaigns).where(eq(emailCampaigns.id, c.id));
    expect(campaignRow!.status).toBe("sent");
    const sends = await sendsOf(c.id);
    expect(sends.map((s) => s.status)).toEqual(["sent", "sent"]);
    // A mail server accepted both: marked on the sends, with no event row of its own.
    expect(sends.map((s) => s.delivered)).toEqual([true, true]);
    expect(await db.select().from(emailEvents).where(eq(emailEvents.campaignId, c.id))).toEqual([]);

    const annMail = await sink.parse(sink.for(ann!.email)[0]!);
    const bobMail = await sink.parse(sink.for(bob!.email)[0]!);
    expect(annMail.from?.value[0]).toEqual({ name: "Acme Team", address: "news@acme.example" });
    expect(annMail.replyTo?.value[0]?.address).toBe("hello@acme.example");
    expect(annMail.subject).toBe("Hello Ann <b>&</b> Co");
    expect(bobMail.subject).toBe("Hello friend");
    expect(annMail.messageId).toBeTruthy();
    expect(annMail.messageId).not.toBe(bobMail.messageId);
    const annSend = sends.find((s) => s.leadId === ann!.id)!;
    expect(annMail.messageId).toBe(`<${annSend.id}@acme.example>`);

    const headerLine = (name: string) =>
      annMail.headerLines
        .find((l) => l.key === name)
        ?.line.replace(/^[^:]+:\s*/, "")
        .replace(/\r?\n\s+/g, " ");
    const listUnsub = String(headerLine("list-unsubscribe"));
    expect(listUnsub).toMatch(
      /^<https?:\/\/[^>]+\/api\/unsubscribe\/[\w.-]+>, <mailto:hello@acme\.example\?subject=unsubscribe>$/,
    );
    expect(headerLine("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");

    // merge tags filled, lead values escaped in HTML, fallbacks used
    const html = String(annMail.html);
    expect(html).toContain("Hi Ann &lt;b&gt;&amp;&lt;/b&gt; Co");
    expect(html).not.toContain("<b>&</b>");
    expect(html).toContain("Pro &amp; More");
    expect(String(bobMail.html)).toContain("Hi there");
    expect(String(bobMail.html)).toContain("<strong>free</strong>");
    expect(annMail.text).toContain("Hi Ann <b>&</b> Co");
    expect(annMail.text).toContain("1 Market Street");
    expect(html).toContain("Acme Ltd, 1 Market Street, Springfield 12345, USA");
    expect(html).toContain("A short preview");
    expect(html).toMatch(/style="[^"]*font-family/); // inline styles

    // every http link goes through a signed click URL; mailto is left alone
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, "&"));
    expect(hrefs.some((u) => u.includes("docs.example.com"))).toBe(false);
    expect(hrefs).toContain("mailto:hello@acme.example");
    const click = hrefs.find((u) => u.includes("/api/track/click/"))!;
    const token = click.split("/api/track/click/")[1]!;
    const res = await clickGET(
      new Request(click, { headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0" } }),
      { params: Promise.resolve({ token }) },
    );
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("https://docs.example.com/guide?ref=mail");
    // tampered: another URL under the same signature, or a changed signature → 400, no redirect
    const [data, sig] = token.split(".");
    const forged = `${Buffer.from(Buffer.from(data!, "base64url").toString().replace("docs.example.com", "evil.example")).toString("base64url")}.${sig}`;
    for (const bad of [forged, `${data}.${sig!.slice(0, -2)}AA`, "garbage"]) {
      const r = await clickGET(new Request("http://x/"), { params: Promise.resolve({ token: bad }) });
      expect(r.status).toBe(400);
      expect(r.headers.get("location")).toBeNull();
    }
    const clicks = await db
      .select()
      .from(emailEvents)
      .where(and(eq(emailEvents.sendId, annSend.id), eq(emailEvents.type, "click")));
    expect(clicks).toHaveLength(1);
    expect(clicks[0]!.url).toBe("https://docs.example.com/guide?ref=mail");

    // open pixel: a GIF, never cached; Google's image proxy is stored as a machine open
    const pixel = /src="([^"]+\/api\/track\/open\/[^"]+)"/.exec(html)![1]!;
    const openToken = pixel.split("/api/track/open/")[1]!;
    const open = await openGET(
      new Request(pixel, { headers: { "user-agent": "Mozilla/5.0 (via ggpht.com GoogleImageProxy)" } }),
      {
        params: Promise.resolve({ token: openToken }),
      },
    );
    expect(open.status).toBe(200);
    expect(open.headers.get("content-type")).toBe("image/gif");
    expect(open.headers.get("cache-control")).toContain("no-store");
    const opens = await db
      .select()
      .from(emailEvents)
      .where(and(eq(emailEvents.sendId, annSend.id), eq(emailEvents.type, "open")));
    expect(opens.map((o) => o.isMachine)).toEqual([true]);

    // RFC 8058 one-click: no cookie, form body
    const oneClick = /<([^>]+\/api\/unsubscribe\/[^>]+)>/.exec(listUnsub)![1]!;
    const u = await unsubscribePOST(
      new Request(oneClick, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      }),
      { params: Promise.resolve({ token: oneClick.split("/api/unsubscribe/")[1]! }) },
    );
    expect(u.status).toBe(200);
    const [annAfter] = await db.select().from(leads).where(eq(leads.id, ann!.id));
    expect(annAfter!.status).toBe("unsubscribed");
    const unsubEvents = await db
      .select()
      .from(emailEvents)
      .where(and(eq(emailEvents.leadId, ann!.id), eq(emailEvents.type, "unsubscribe")));
    expect(unsubEvents).toHaveLength(1);
  });

  it("never sends to a lead that unsubscribed after the audience was resolved", async () => {
    const tag = `u-${randomUUID().slice(0, 6)}`;
    const rows = await addLeads(fx.ws.id, [
      { email: `stay-${tag}@example.test`, tags: [tag] },
      { email: `leave-${tag}@example.test`, tags: [tag] },
      { email: `bounced-${tag}@example.test`, tags: [tag] },
    ]);
    const c = await campaign(fx.ws.id, { tag });
    expect((await startCampaignSend(ctxFor(fx.ws.id), c.id)).queued).toBe(3);
    // one unsubscribes through the link, one is marked bounced elsewhere, after resolution
    await db.update(leads).set({ status: "unsubscribed" }).where(eq(leads.id, rows[1]!.id));
    await db.update(leads).set({ status: "bounced" }).where(eq(leads.id, rows[2]!.id));
    await drain(fx.ws.id);
    expect(sink.for(rows[0]!.email)).toHaveLength(1);
    expect(sink.for(rows[1]!.email)).toHaveLength(0);
    expect(sink.for(rows[2]!.email)).toHaveLength(0);
    const byLead = new Map((await sendsOf(c.id)).map((s) => [s.leadId, s.status]));
    expect(byLead.get(rows[1]!.id)).toBe("suppressed");
    expect(byLead.get(rows[2]!.id)).toBe("suppressed");
    expect((await db.select().from(emailCampaigns).where(eq(emailCampaigns.id, c.id)))[0]!.status).toBe(
      "sent",
    );
  });

  it("marks a 5xx recipient bounced and retries a 4xx one until it is accepted", async () => {
    const tag = `b-${randomUUID().slice(0, 6)}`;
    const [bounce, later] = await addLeads(fx.ws.id, [
      { email: `bounce-${tag}@example.test`, tags: [tag] },
      { email: `later-${tag}@example.test`, tags: [tag] },
    ]);
    const c = await campaign(fx.ws.id, { tag });
    await startCampaignSend(ctxFor(fx.ws.id), c.id);
    const first = await drain(fx.ws.id);
    expect(first).toMatchObject({ bounced: 1, retried: 1, sent: 0 });
    const rows = new Map((await sendsOf(c.id)).map((s) => [s.leadId, s]));
    expect(rows.get(bounce!.id)!.status).toBe("bounced");
    expect((await db.select().from(leads).where(eq(leads.id, bounce!.id)))[0]!.status).toBe("bounced");
    const retry = rows.get(later!.id)!;
    expect(retry).toMatchObject({ status: "pending", attempts: 1 });
    expect(retry.error).toContain("Try again later");
    // backed off: 5 s × 2^0 in the future, so an immediate run sends nothing
    expect(retry.dueAt.getTime()).toBeGreaterThan(Date.now() + 3000);
    expect((await drain(fx.ws.id)).claimed).toBe(0);
    expect((await db.select().from(emailCampaigns).where(eq(emailCampaigns.id, c.id)))[0]!.status).toBe(
      "sending",
    );
    await db.update(emailSends).set({ dueAt: new Date() }).where(eq(emailSends.id, retry.id));
    expect((await drain(fx.ws.id)).sent).toBe(1);
    expect(sink.for(later!.email)).toHaveLength(1);
    expect(sink.for(bounce!.email)).toHaveLength(0);
    expect((await db.select().from(emailCampaigns).where(eq(emailCampaigns.id, c.id)))[0]!.status).toBe(
      "sent",
    );
    const bounceEvents = await db
      .select()
      .from(emailEvents)
      .where(and(eq(emailEvents.campaignId, c.id), eq(emailEvents.type, "bounce")));
    expect(bounceEvents).toHaveLength(1);
  });

  it("gives up after 5 temporary failures", async () => {
    const tag = `f-${randomUUID().slice(0, 6)}`;
    const [lead] = await addLeads(fx.ws.id, [{ email: `flaky-${tag}@example.test`, tags: [tag] }]);
    const c = await campaign(fx.ws.id, { tag });
    await startCampaignSend(ctxFor(fx.ws.id), c.id);
    sink.setPolicy((a) => (a.startsWith("flaky") ? { code: 421, message: "4.3.2 Busy" } : null));
    try {
      for (let i = 0; i < 5; i++) {
        await db.update(emailSends).set({ dueAt: new Date() }).where(eq(emailSends.campaignId, c.id));
        await drain(fx.ws.id);
      }
    } finally {
      sink.setPolicy(() => null);
    }
    const [row] = await sendsOf(c.id);
    expect(row).toMatchObject({ status: "failed", attempts: 5, leadId: lead!.id });
    expect((await db.select().from(emailCampaigns).where(eq(emailCampaigns.id, c.id)))[0]!.status).toBe(
      "sent",
    );
  });

  it("pause stops sending, resume continues where it stopped", async () => {
    const tag = `p-${randomUUID().slice(0, 6)}`;
    const rows = await addLeads(
      fx.ws.id,
      Array.from({ length: 12 }, (_v, i) => ({ email: `p${i}-${tag}@example.test`, tags: [tag] })),
    );
    const c = await campaign(fx.ws.id, { tag });
    await startCampaignSend(ctxFor(fx.ws.id), c.id);
    // the sender takes one batch, then the campaign is paused
    const batch = await claimDueSends(db, fx.ws.id, 5);
    expect(batch).toHaveLength(5);
    await db
      .update(emailSends)
      .set({ status: "pending", claimedAt: null })
      .where(eq(emailSends.campaignId, c.id));
    await db.update(emailCampaigns).set({ status: "paused" }).where(eq(emailCampaigns.id, c.id));
    expect((await drain(fx.ws.id)).claimed).toBe(0);
    expect(rows.every((r) => sink.for(r.email).length === 0)).toBe(true);
    await db.update(emailCampaigns).set({ status: "sending" }).where(eq(emailCampaigns.id, c.id));
    expect((await drain(fx.ws.id)).sent).toBe(12);
    expect(rows.every((r) => sink.for(r.email).length === 1)).toBe(true);
  });

  it("duplicate starts and concurrent senders never send twice", async () => {
    const tag = `d-${randomUUID().slice(0, 6)}`;
    const rows = await addLeads(
      fx.ws.id,
      Array.from({ length: 40 }, (_v, i) => ({ email: `d${i}-${tag}@example.test`, tags: [tag] })),
    );
    const c = await campaign(fx.ws.id, { tag });
    await Promise.all([startCampaignSend(ctxFor(fx.ws.id), c.id), startCampaignSend(ctxFor(fx.ws.id), c.id)]);
    expect(await sendsOf(c.id)).toHaveLength(40);
    await Promise.all([drain(fx.ws.id), drain(fx.ws.id), drain(fx.ws.id), drain(fx.ws.id)]);
    expect(rows.map((r) => sink.for(r.email).length)).toEqual(rows.map(() => 1));
  });

  it("gives stale claims (a worker died mid-send) back to pending", async () => {
    const tag = `s-${randomUUID().slice(0, 6)}`;
    await addLeads(fx.ws.id, [{ email: `stale-${tag}@example.test`, tags: [tag] }]);
    const c = await campaign(fx.ws.id, { tag });
    await startCampaignSend(ctxFor(fx.ws.id), c.id);
    await claimDueSends(db, fx.ws.id, 10);
    await db
      .update(emailSends)
      .set({ claimedAt: new Date(Date.now() - 60_000) })
      .where(eq(emailSends.campaignId, c.id));
    expect(await reclaimStaleSends(db, 30_000)).toBeGreaterThanOrEqual(1);
    expect((await drain(fx.ws.id)).sent).toBe(1);
  });

  it("a taken-over claim goes out before the rest of the campaign", async () => {
    const tag = `f-${randomUUID().slice(0, 6)}`;
    await addLeads(
      fx.ws.id,
      Array.from({ length: 5 }, (_v, i) => ({ email: `first${i}-${tag}@example.test`, tags: [tag] })),
    );
    const c = await campaign(fx.ws.id, { tag });
    await startCampaignSend(ctxFor(fx.ws.id), c.id);
    // The dead worker took the last row due; the other four stay pending, due before it.
    const [held] = await db
      .select({ id: emailSends.id })
      .from(emailSends)
      .where(eq(emailSends.campaignId, c.id))
      .orderBy(desc(emailSends.dueAt), desc(emailSends.id))
      .limit(1);
    await db
      .update(emailSends)
      .set({ status: "sending", claimedAt: new Date(Date.now() - 60_000) })
      .where(eq(emailSends.id, held!.id));
    expect(await reclaimStaleSends(db, 30_000)).toBeGreaterThanOrEqual(1);
    const [next] = await claimDueSends(db, fx.ws.id, 1);
    expect(next?.id).toBe(held!.id);
  });

  it("starts scheduled campaigns when their time comes", async () => {
    const tag = `sch-${randomUUID().slice(0, 6)}`;
    await addLeads(fx.ws.id, [{ email: `sch-${tag}@example.test`, tags: [tag] }]);
    const due = await campaign(fx.ws.id, { tag });
    const later = await campaign(fx.ws.id, { tag });
    await db
      .update(emailCampaigns)
      .set({ status: "scheduled", schedule: { sendAt: new Date(Date.now() - 1000).toISOString() } })
      .where(eq(emailCampaigns.id, due.id));
    await db
      .update(emailCampaigns)
      .set({ status: "scheduled", schedule: { sendAt: new Date(Date.now() + 3600_000).toISOString() } })
      .where(eq(emailCampaigns.id, later.id));
    expect(await startDueScheduledCampaigns(db)).toBe(1);
    const status = async (id: string) =>
      (await db.select().from(emailCampaigns).where(eq(emailCampaigns.id, id)))[0]!.status;
    expect(await status(due.id)).toBe("sending");
    expect(await status(later.id)).toBe("scheduled");
    await drain(fx.ws.id);
    expect(await status(due.id)).toBe("sent");
  });
});

describe("a sender stopped by its worker's shutdown", () => {
  it("hands over to the next window's job even when it held nothing, and that job sends the rest", async () => {
    await configure(fx.ws.id);
    const tag = `stop-${randomUUID().slice(0, 6)}`;
    await addLeads(fx.ws.id, [
      { email: `one-${tag}@example.test`, tags: [tag] },
      { email: `two-${tag}@example.test`, tags: [tag] },
    ]);
    const c = await campaign(fx.ws.id, { tag });
    expect((await startCampaignSend(ctxFor(fx.ws.id), c.id)).queued).toBe(2);
    // Stopped before its first claim: it gave nothing back, yet the tick's job of this window has its
    // id and will not run again, so the rest would wait for the next window without a hand-over.
    const stopped = new AbortController();
    stopped.abort();
    const from = enqueued.length;
    const result = await runJob(
      jobHandlers(),
      emailSenderJob.name,
      { workspaceId: fx.ws.id, until: Date.now() + 5_000, slot: 2 },
      { db, jobId: "stopped-sender", attempt: 1, signal: stopped.signal },
    );
    expect(result).toMatchObject({ claimed: 0, released: 0 });
    expect((await sendsOf(c.id)).map((s) => s.status)).toEqual(["pending", "pending"]);
    const handedOver = enqueued.slice(from).filter((j) => j.name === emailSenderJob.name);
    expect(handedOver).toEqual([
      { name: emailSenderJob.name, payload: expect.objectContaining({ workspaceId: fx.ws.id, slot: 2 }) },
    ]);
    const next = handedOver[0]!.payload as { until: number };
    expect(next.until).toBeGreaterThan(Date.now());
    await runJob(jobHandlers(), emailSenderJob.name, next, { db, jobId: "next-window", attempt: 1 });
    expect((await sendsOf(c.id)).map((s) => s.status)).toEqual(["sent", "sent"]);
  });
});

describe("refusals and other workspaces", () => {
  it("refuses without sender settings, with an empty body or subject, and for another workspace", async () => {
    const c = await campaign(fx.other.id);
    await expect(startCampaignSend(ctxFor(fx.other.id), c.id)).rejects.toThrow(/postal address/);
    await expect(startCampaignSend(ctxFor(fx.ws.id), c.id)).rejects.toBeInstanceOf(NotFoundError);
    await configure(fx.other.id, { smtp: false });
    const empty = await campaign(fx.other.id, { body: "   " });
    await expect(startCampaignSend(ctxFor(fx.other.id), empty.id)).rejects.toBeInstanceOf(ValidationError);
    const noSubject = await campaign(fx.other.id, { subject: " " });
    await expect(startCampaignSend(ctxFor(fx.other.id), noSubject.id)).rejects.toThrow(/subject/);
    expect((await db.select().from(emailCampaigns).where(eq(emailCampaigns.id, empty.id)))[0]!.status).toBe(
      "draft",
    );
  });
});

describe("without SMTP", () => {
  it("keeps exactly the messages in the outbox", async () => {
    const tag = `o-${randomUUID().slice(0, 6)}`;
    await configure(fx.other.id, { smtp: false });
    const rows = await addLeads(fx.other.id, [
      { email: `o1-${tag}@example.test`, name: "Olga", tags: [tag] },
      { email: `o2-${tag}@example.test`, tags: [tag] },
    ]);
    const c = await campaign(fx.other.id, { tag });
    const before = sink.received.length;
    await startCampaignSend(ctxFor(fx.other.id), c.id);
    expect((await drain(fx.other.id)).sent).toBe(2);
    expect(sink.received.length).toBe(before);
    const outbox = await db
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.workspaceId, fx.other.id), eq(outboxMessages.kind, "campaign")));
    expect(outbox.map((m) => m.toAddress).sort()).toEqual(rows.map((r) => r.email).sort());
    const olga = outbox.find((m) => m.toAddress === rows[0]!.email)!;
    expect(olga.subject).toBe("Hello Olga");
    expect(olga.html).toContain("Hi Olga");
    expect(olga.text).toContain("Unsubscribe: ");
    expect(olga.status).toBe("outbox");
    expect((await sendsOf(c.id)).every((s) => s.status === "sent")).toBe(true);
  });
});

describe("sequences", () => {
  it("enrols a lead once, with one ledger row per step due after its delay", async () => {
    const [lead, gone] = await addLeads(fx.ws.id, [
      { email: `seq-${randomUUID().slice(0, 6)}@example.test` },
      { email: `seqgone-${randomUUID().slice(0, 6)}@example.test` },
    ]);
    await db.update(leads).set({ status: "complained" }).where(eq(leads.id, gone!.id));
    const c = await campaign(fx.ws.id, { type: "sequence", steps: [0, 2880, 7200] });
    await db.update(emailCampaigns).set({ status: "active" }).where(eq(emailCampaigns.id, c.id));
    const p = { workspaceId: fx.ws.id, campaignId: c.id, leadId: lead!.id };
    expect(await enrollLead(db, p)).toBe(true);
    expect(await enrollLead(db, p)).toBe(false);
    expect(await enrollLead(db, { ...p, leadId: gone!.id })).toBe(false);
    expect(await enrollLead(db, { ...p, workspaceId: fx.other.id })).toBe(false);
    const rows = await sendsOf(c.id);
    expect(rows).toHaveLength(3);
    const byStep = new Map(c.steps.map((s) => [s.id, s.delayMinutes]));
    const base = Math.min(...rows.map((r) => r.dueAt.getTime()));
    for (const r of rows) expect(r.dueAt.getTime() - base).toBe(byStep.get(r.stepId)! * 60_000);
    // only step 1 is due now
    expect((await drain(fx.ws.id)).sent).toBe(1);
    expect(sink.for(lead!.email)).toHaveLength(1);
  });
});
