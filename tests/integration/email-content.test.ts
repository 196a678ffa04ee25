import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { content, emailCampaigns, emailSends, leads, workspaces } from "@/server/db/schema";
import { enqueueContentPublishes, publishContentJob } from "@/server/queue/jobs/publish-content";
import { findDueContent } from "@/server/services/content/publish";
import { runSender } from "@/server/services/email/sender";
import { closeTransports } from "@/server/services/email/transport";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { callerFor } from "../helpers/fixtures";
import { runJobNow } from "../helpers/jobs";
import { startDnsStandInForFile, verifySenderDomainThroughDns } from "../helpers/sender-domains";
import { call, setupRest } from "./rest-helpers";

/**
 * Email-type content is real: publishing it (now, or by the scheduler at its time) sends it once to
 * its chosen segment as a one-time campaign, through the campaign ledger and sender, over SMTP to a
 * real server (the sink). Runs on the app's own job handlers (the in-process queue).
 */
const { h, f, keyA } = await setupRest();
const db = h.db as Db;
const dns = await startDnsStandInForFile();
const owner = callerFor(db, f.owner);
let sink: SmtpSink;

const SENDER = {
  fromName: "Acme Team",
  fromEmail: "news@acme.example",
  replyTo: "",
  postalAddress: "Acme Ltd, 1 Market Street, Springfield 12345, USA",
  sendRatePerSecond: 0,
};

beforeAll(async () => {
  sink = await startSmtpSink();
  await db
    .update(workspaces)
    .set({
      settings: sql`${workspaces.settings} || ${JSON.stringify({ sender: SENDER, smtp: { url: sink.url } })}::jsonb`,
    })
    .where(eq(workspaces.id, f.ws.id));
  await verifySenderDomainThroughDns(db, dns, f.ws.id, "acme.example");
});

afterAll(async () => {
  closeTransports();
  await sink.close();
});

/** A segment of A (leads tagged `tag`) with `active` active leads, one unsubscribed, one untagged. */
async function segmentWithLeads(active: number) {
  const tag = `t${randomUUID().slice(0, 6)}`;
  const emails = Array.from({ length: active }, (_, i) => `${tag}-${i}@leads.test`);
  await db
    .insert(leads)
    .values([
      ...emails.map((email) => ({ workspaceId: f.ws.id, email, name: "Ada", tags: [tag] })),
      { workspaceId: f.ws.id, email: `${tag}-gone@leads.test`, tags: [tag], status: "unsubscribed" as const },
      { workspaceId: f.ws.id, email: `${tag}-other@leads.test`, tags: ["other"] },
    ]);
  const segment = await owner.segments.create({
    workspaceId: f.ws.id,
    name: `Segment ${tag}`,
    criteria: { match: "all", conditions: [{ field: "tag", op: "has", value: tag }] },
  });
  return { segment, emails };
}

function emailItem(segmentId: string | null, title = "November news") {
  return owner.content.create({
    workspaceId: f.ws.id,
    type: "email",
    title,
    body: "Hello {{name}}, [our new range](https://acme.example/new) is in.",
    email: { subject: "New this month", preheader: "Three new decks", segmentId },
  });
}

async function row(id: string) {
  const [r] = await db.select().from(content).where(eq(content.id, id));
  return r!;
}

async function deliveredTo(emails: string[]) {
  const before = sink.received.length;
  await h.queue.drain();
  await runSender(db, { workspaceId: f.ws.id, deadline: Date.now() + 20_000 });
  await sink.waitFor(before + emails.length);
  return sink.received.slice(before).flatMap((m) => m.to);
}

describe("email content", () => {
  it("publishing sends it once to each active lead of its segment, as a campaign linked to the item", async () => {
    const { segment, emails } = await segmentWithLeads(3);
    const item = await emailItem(segment.id);
    expect(item.metadata.email).toMatchObject({ segmentId: segment.id });

    await owner.content.publishNow({ workspaceId: f.ws.id, id: item.id });
    expect((await deliveredTo(emails)).sort()).toEqual([...emails].sort());

    const published = await row(item.id);
    expect(published.status).toBe("published");
    const result = published.metadata.publish_result as { externalId: string; url: string };
    const campaign = await owner.email.campaigns.get({ workspaceId: f.ws.id, id: result.externalId });
    expect(campaign).toMatchObject({ type: "one-time", contentId: item.id, name: "November news" });
    expect(["sending", "sent"]).toContain(campaign.status);
    expect(campaign.steps[0]).toMatchObject({ subject: "New this month", preheader: "Three new decks" });
    expect(result.url).toBe(`/${f.ws.slug}/email/${campaign.id}/report`);
    const sends = await db.select().from(emailSends).where(eq(emailSends.campaignId, campaign.id));
    expect(sends.map((s) => s.status)).toEqual(["sent", "sent", "sent"]);

    // The mail is the campaign's: subject, personalised body, the workspace's From.
    const mail = await sink.parse(sink.for(emails[0]!)[0]!);
    expect(mail.subject).toBe("New this month");
    expect(mail.from?.text).toContain("news@acme.example");
    expect(mail.text).toContain("Hello Ada");

    // Once: the publish job again, and the sender again, send nothing more.
    const count = sink.received.length;
    expect(await runJobNow(db, publishContentJob, { contentId: item.id, workspaceId: f.ws.id })).toEqual({
      outcome: "skipped",
    });
    await runSender(db, { workspaceId: f.ws.id, deadline: Date.now() + 2000 });
    await h.queue.drain();
    expect(sink.received.length).toBe(count);
    const campaigns = await db
      .select()
      .from(emailCampaigns)
      .where(
        and(
          eq(emailCampaigns.workspaceId, f.ws.id),
          sql`${emailCampaigns.content} ->> 'contentId' = ${item.id}`,
        ),
      );
    expect(campaigns).toHaveLength(1);
  });

  it("a scheduled email item is sent when the scheduler finds it due", async () => {
    const { segment, emails } = await segmentWithLeads(2);
    const item = await emailItem(segment.id, "Scheduled news");
    await owner.content.schedule({
      workspaceId: f.ws.id,
      id: item.id,
      scheduledAt: new Date(Date.now() + 3_600_000),
    });
    await db
      .update(content)
      .set({ scheduledAt: new Date(Date.now() - 1000) })
      .where(eq(content.id, item.id));
    // What the scheduler tick does, for this item only: the tick itself would publish every due row
    // of the shared test database, other files' rows included (content-publishing's flush test).
    const due = await findDueContent(db);
    expect(due.map((d) => d.id)).toContain(item.id);
    await enqueueContentPublishes(due.filter((d) => d.id === item.id));
    expect((await deliveredTo(emails)).sort()).toEqual([...emails].sort());
    expect((await row(item.id)).status).toBe("published");
  });

  it("publishing or scheduling without a segment is a 400 that changes nothing (tRPC and REST)", async () => {
    const item = await emailItem(null);
    await expect(owner.content.publishNow({ workspaceId: f.ws.id, id: item.id })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Choose the segment this email goes to before publishing it",
    });
    await expect(
      owner.content.schedule({
        workspaceId: f.ws.id,
        id: item.id,
        scheduledAt: new Date(Date.now() + 60_000),
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const res = await call("POST", `/content/${item.id}/publish`, { key: keyA });
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe("Choose the segment this email goes to before publishing it");
    const created = await call("POST", "/content", {
      key: keyA,
      body: {
        type: "email",
        title: "Scheduled without audience",
        body: "Hi",
        scheduledAt: new Date(Date.now() + 60_000).toISOString(),
        email: { subject: "Hi" },
      },
    });
    expect(created.status).toBe(400);
    const r = await row(item.id);
    expect(r.status).toBe("draft");
    expect(r.scheduledAt).toBeNull();
  });

  it("another workspace's segment cannot be chosen (NOT_FOUND), through tRPC or REST", async () => {
    const { segment } = await segmentWithLeads(1);
    const other = callerFor(db, f.otherOwner);
    const base = { workspaceId: f.other.id, type: "email" as const, title: "Theirs", body: "Hi" };
    await expect(
      other.content.create({ ...base, email: { subject: "Hi", segmentId: segment.id } }),
    ).rejects.toMatchObject({ code: "NOT_FOUND", message: "Segment not found" });
    const mine = await other.content.create({ ...base, email: { subject: "Hi" } });
    await expect(
      other.content.update({ workspaceId: f.other.id, id: mine.id, email: { segmentId: segment.id } }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await row(mine.id)).metadata.email).toMatchObject({ segmentId: null });
  });

  it("updating one email field keeps the others (the segment is not reset)", async () => {
    const { segment } = await segmentWithLeads(1);
    const item = await emailItem(segment.id);
    await owner.content.update({ workspaceId: f.ws.id, id: item.id, email: { subject: "Changed" } });
    expect((await row(item.id)).metadata.email).toEqual({
      subject: "Changed",
      preheader: "Three new decks",
      segmentId: segment.id,
    });
  });

  it("a send that can no longer start fails the item with the reason", async () => {
    const { segment } = await segmentWithLeads(1);
    const item = await emailItem(segment.id, "Orphaned");
    await owner.content.schedule({
      workspaceId: f.ws.id,
      id: item.id,
      scheduledAt: new Date(Date.now() + 3_600_000),
    });
    await owner.segments.delete({ workspaceId: f.ws.id, id: segment.id });
    await db
      .update(content)
      .set({ scheduledAt: new Date(Date.now() - 1000) })
      .where(eq(content.id, item.id));
    expect(await runJobNow(db, publishContentJob, { contentId: item.id, workspaceId: f.ws.id })).toEqual({
      outcome: "failed",
      error: "Segment not found",
    });
    const failed = await row(item.id);
    expect(failed.status).toBe("failed");
    expect(failed.metadata.error).toMatchObject({ message: "Segment not found" });
  });
});
