import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { campaignSteps, emailCampaigns, emailEvents, emailSends, leads } from "@/server/db/schema";
import { bucketize } from "@/server/services/email/reports";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
const T0 = new Date("2026-03-02T10:00:00Z");
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);

async function campaignWith(workspaceId: string, type: "one-time" | "sequence", stepCount: number) {
  const [c] = await h.db
    .insert(emailCampaigns)
    .values({ workspaceId, name: `Fixture ${type}`, type, status: "sent", content: {} })
    .returning();
  const steps = await h.db
    .insert(campaignSteps)
    .values(
      Array.from({ length: stepCount }, (_, i) => ({
        workspaceId,
        campaignId: c!.id,
        position: i,
        subject: `Step ${i + 1}`,
      })),
    )
    .returning();
  return { campaign: c!, steps: steps.sort((a, b) => a.position - b.position) };
}

async function leadsIn(workspaceId: string, n: number) {
  return h.db
    .insert(leads)
    .values(
      Array.from({ length: n }, () => ({ workspaceId, email: `r-${randomUUID().slice(0, 8)}@example.test` })),
    )
    .returning();
}

let fixture: Awaited<ReturnType<typeof campaignWith>>;
let links: { a: string; b: string };

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
  fixture = await campaignWith(f.ws.id, "one-time", 1);
  const ls = await leadsIn(f.ws.id, 6);
  const { campaign, steps } = fixture;
  // 6 leads: 4 sent, 1 failed, 1 bounced at send
  const statuses = ["sent", "sent", "sent", "sent", "failed", "bounced"] as const;
  const sends = await h.db
    .insert(emailSends)
    .values(
      ls.map((l, i) => ({
        workspaceId: f.ws.id,
        campaignId: campaign.id,
        stepId: steps[0]!.id,
        leadId: l.id,
        toAddress: l.email,
        status: statuses[i]!,
        sentAt: statuses[i] === "sent" ? at(0) : null,
        // a mail server accepted the sent messages (the recorder marks this on SMTP 250)
        delivered: statuses[i] === "sent",
      })),
    )
    .returning();
  links = { a: "https://fernwood.test/a", b: "https://fernwood.test/b" };
  const ev = (
    i: number,
    type: "open" | "click" | "bounce" | "unsubscribe" | "complaint",
    hours: number,
    extra = {},
  ) => ({
    workspaceId: f.ws.id,
    campaignId: campaign.id,
    sendId: sends[i]!.id,
    leadId: sends[i]!.leadId,
    type,
    createdAt: at(hours),
    ...extra,
  });
  await h.db.insert(emailEvents).values([
    // lead 0 opens twice (1 unique), clicks link a twice
    ev(0, "open", 1),
    ev(0, "open", 2),
    ev(0, "click", 1, { url: links.a }),
    ev(0, "click", 3, { url: links.a }),
    // lead 1: machine open only (not counted), human click on b
    ev(1, "open", 0.5, { isMachine: true }),
    ev(1, "click", 1, { url: links.b }),
    ev(1, "click", 1, { url: links.a, isMachine: true }),
    // lead 2 opens on day 4, unsubscribes and complains
    ev(2, "open", 72),
    ev(2, "unsubscribe", 73),
    ev(2, "complaint", 73),
    // lead 3 bounces after acceptance
    ev(3, "bounce", 0.2),
  ]);
  // noise in the other workspace that must never leak in
  const other = await campaignWith(f.other.id, "one-time", 1);
  const [ol] = await leadsIn(f.other.id, 1);
  const [os] = await h.db
    .insert(emailSends)
    .values({
      workspaceId: f.other.id,
      campaignId: other.campaign.id,
      stepId: other.steps[0]!.id,
      leadId: ol!.id,
      toAddress: ol!.email,
      status: "sent",
      sentAt: at(0),
    })
    .returning();
  await h.db.insert(emailEvents).values({
    workspaceId: f.other.id,
    campaignId: other.campaign.id,
    sendId: os!.id,
    leadId: ol!.id,
    type: "open",
  });
});

describe("email.campaigns.report", () => {
  it("counts exactly: sends, bounces, unique human opens and clicks, rates, links", async () => {
    const r = await callerFor(h.db, f.viewer).email.campaigns.report({
      workspaceId: f.ws.id,
      id: fixture.campaign.id,
    });
    expect(r.totals).toEqual({
      sent: 4,
      delivered: 3,
      inOutbox: 0,
      failed: 1,
      bounced: 2,
      suppressed: 0,
      pending: 0,
      uniqueOpens: 2,
      uniqueClicks: 2,
      unsubscribes: 1,
      complaints: 1,
      openRate: 0.5,
      clickRate: 0.5,
      complaintRate: 0.25,
    });
    expect(r.links).toEqual([
      { url: links.a, clicks: 2, uniqueClickers: 1 },
      { url: links.b, clicks: 1, uniqueClickers: 1 },
    ]);
    expect(r.steps).toHaveLength(1);
    expect(r.steps[0]).toMatchObject({ sent: 4, failed: 2, uniqueOpens: 2, uniqueClicks: 2 });
  });

  it("buckets over time: hourly for the first 48 hours, daily after", async () => {
    const r = await callerFor(h.db, f.member).email.campaigns.report({
      workspaceId: f.ws.id,
      id: fixture.campaign.id,
    });
    const series = r.overTime.map((b) => ({
      at: b.at.toISOString(),
      unit: b.unit,
      sent: b.sent,
      opens: b.opens,
      clicks: b.clicks,
    }));
    expect(series).toEqual([
      { at: "2026-03-02T10:00:00.000Z", unit: "hour", sent: 4, opens: 0, clicks: 0 },
      { at: "2026-03-02T11:00:00.000Z", unit: "hour", sent: 0, opens: 1, clicks: 2 },
      { at: "2026-03-02T12:00:00.000Z", unit: "hour", sent: 0, opens: 1, clicks: 0 },
      { at: "2026-03-02T13:00:00.000Z", unit: "hour", sent: 0, opens: 0, clicks: 1 },
      { at: "2026-03-05T00:00:00.000Z", unit: "day", sent: 0, opens: 1, clicks: 0 },
    ]);
  });

  it("mail that only reached the in-app outbox is counted apart, never as delivered", async () => {
    const { campaign, steps } = await campaignWith(f.ws.id, "one-time", 1);
    const ls = await leadsIn(f.ws.id, 3);
    // No mail server: the sender keeps each message in the outbox and does not mark it delivered.
    await h.db.insert(emailSends).values(
      ls.map((l) => ({
        workspaceId: f.ws.id,
        campaignId: campaign.id,
        stepId: steps[0]!.id,
        leadId: l.id,
        toAddress: l.email,
        status: "sent" as const,
        sentAt: at(0),
      })),
    );
    const r = await callerFor(h.db, f.viewer).email.campaigns.report({
      workspaceId: f.ws.id,
      id: campaign.id,
    });
    expect(r.totals).toMatchObject({ sent: 3, delivered: 0, inOutbox: 3, bounced: 0 });
  });

  it("narrows to a time range", async () => {
    const r = await callerFor(h.db, f.member).email.campaigns.report({
      workspaceId: f.ws.id,
      id: fixture.campaign.id,
      from: at(48),
      to: at(100),
    });
    expect(r.totals).toMatchObject({ sent: 0, uniqueOpens: 1, unsubscribes: 1, openRate: 0 });
  });

  it("is all zeros (no NaN) for a campaign with no sends, with per-step rows for sequences", async () => {
    const empty = await campaignWith(f.ws.id, "sequence", 3);
    const r = await callerFor(h.db, f.member).email.campaigns.report({
      workspaceId: f.ws.id,
      id: empty.campaign.id,
    });
    for (const v of Object.values(r.totals)) expect(v).toBe(0);
    expect(r.steps.map((s) => [s.position, s.sent, s.openRate])).toEqual([
      [0, 0, 0],
      [1, 0, 0],
      [2, 0, 0],
    ]);
    expect(r.overTime).toEqual([]);
    expect(r.links).toEqual([]);
  });

  it("is NOT_FOUND from another workspace and needs a member of this one", async () => {
    await expect(
      callerFor(h.db, f.otherOwner).email.campaigns.report({
        workspaceId: f.other.id,
        id: fixture.campaign.id,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      callerFor(h.db, f.otherOwner).email.campaigns.report({ workspaceId: f.ws.id, id: fixture.campaign.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      callerFor(h.db, f.member).email.campaigns.report({ workspaceId: f.ws.id, id: "not-a-uuid" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("bucketize", () => {
  it("returns nothing for no rows", () => {
    expect(bucketize([])).toEqual([]);
  });
});
