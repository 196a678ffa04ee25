import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { clearLocalCache } from "@/lib/cache";
import { resetEnvCache } from "@/lib/env";
import { rowsOf } from "@/server/db/raw-rows";
import {
  analyticsFreshness,
  campaignSteps,
  content,
  contentMetricSnapshots,
  emailCampaigns,
  emailEvents,
  emailSends,
  leads,
  linkClicks,
  orders,
  rollupContentItemWindow,
  rollupLeadsDaily,
  trackedLinks,
  workspaces,
} from "@/server/db/schema";
import { type AppEvent, subscribeEvents } from "@/server/events";
import { leaderboardWindow } from "@/server/services/analytics/queries/top-content";
import { refreshAnalytics } from "@/server/services/analytics/refresh";
import { ROLLUP_TABLES } from "@/server/services/analytics/rollup-full";
import { addDays, localToday } from "@/server/services/analytics/schemas";
import { attributeOrder } from "@/server/services/attribution/attribute";
import { setupTestDb } from "../helpers/db";
import { callerFor, createWorkspace, twoWorkspaces } from "../helpers/fixtures";

/*
 * Hand-built fixtures in America/New_York around the 2026 DST change (Sunday 2026-03-08, a 23-hour
 * day). Every figure below is counted by hand from these rows.
 */
const h = await setupTestDb({ ownDatabase: true });
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
const TZ = "America/New_York";
const RANGE = { preset: "custom", from: "2026-03-07", to: "2026-03-09", compare: true } as const;
const ids: Record<string, string> = {};

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
  const ws = f.ws.id;
  await h.db.update(workspaces).set({ timeZone: TZ }).where(eq(workspaces.id, ws));

  const lead = async (
    key: string,
    createdAt: string,
    source: string | null,
    tags: string[],
    status = "active",
  ) => {
    const [l] = await h.db
      .insert(leads)
      .values({
        workspaceId: ws,
        email: `${key.toLowerCase()}-${randomUUID().slice(0, 6)}@example.test`,
        source,
        tags,
        status: status as "active",
        createdAt: new Date(createdAt),
      })
      .returning();
    ids[key] = l!.id;
  };
  await lead("L1", "2026-03-08T04:59:00Z", "tiktok", ["vip", "a"]); // 03-07 23:59 EST → day 03-07
  await lead("L2", "2026-03-08T05:00:30Z", "tiktok", ["vip"]); // 03-08 00:00:30 EST → 03-08
  await lead("L3", "2026-03-09T03:30:00Z", null, [], "unsubscribed"); // 03-08 23:30 EDT → 03-08
  await lead("L4", "2026-03-09T16:00:00Z", "blog", []); // 03-09 12:00 EDT

  const campaign = async (key: string) => {
    const [c] = await h.db
      .insert(emailCampaigns)
      .values({ workspaceId: ws, name: `Campaign ${key}`, type: "one-time", status: "sent", content: {} })
      .returning();
    const [s] = await h.db
      .insert(campaignSteps)
      .values({ workspaceId: ws, campaignId: c!.id, position: 0, subject: "Hi" })
      .returning();
    ids[key] = c!.id;
    ids[`${key}-step`] = s!.id;
  };
  await campaign("C1");
  await campaign("C0"); // never sent: 0 sends, one stray open
  const send = async (
    leadKey: string,
    status: "sent" | "bounced",
    sentAt: string | null,
    delivered = false,
  ) => {
    const [s] = await h.db
      .insert(emailSends)
      .values({
        workspaceId: ws,
        campaignId: ids.C1!,
        stepId: ids["C1-step"]!,
        leadId: ids[leadKey]!,
        toAddress: "x@example.test",
        status,
        sentAt: sentAt ? new Date(sentAt) : null,
        delivered,
      })
      .returning();
    ids[`send-${leadKey}`] = s!.id;
  };
  // a mail server accepted L1's and L2's messages; L4's only reached the in-app outbox
  await send("L1", "sent", "2026-03-08T15:00:00Z", true);
  await send("L2", "sent", "2026-03-08T15:00:00Z", true);
  await send("L4", "sent", "2026-03-08T15:00:00Z");
  await send("L3", "bounced", null);
  const ev = (c: string, leadKey: string, type: string, at: string, isMachine = false) => ({
    workspaceId: ws,
    campaignId: ids[c]!,
    leadId: ids[leadKey]!,
    sendId: c === "C1" ? ids[`send-${leadKey}`]! : null,
    type: type as "open",
    isMachine,
    createdAt: new Date(at),
  });
  await h.db.insert(emailEvents).values([
    ev("C1", "L3", "bounce", "2026-03-08T15:00:01Z"),
    ev("C1", "L1", "open", "2026-03-08T16:00:00Z"), // first human open of L1 → unique on 03-08
    ev("C1", "L1", "open", "2026-03-09T14:00:00Z"), // again: counts as an open, not a unique one
    ev("C1", "L2", "open", "2026-03-08T16:00:00Z", true), // image proxy: ignored
    ev("C1", "L2", "open", "2026-03-09T14:00:00Z"), // L2's first human open → unique on 03-09
    ev("C1", "L1", "click", "2026-03-09T14:01:00Z"),
    ev("C1", "L4", "unsubscribe", "2026-03-09T18:00:00Z"),
    ev("C1", "L4", "complaint", "2026-03-09T18:00:00Z"),
    ev("C0", "L4", "open", "2026-03-09T18:00:00Z"),
  ]);

  const [k1] = await h.db
    .insert(content)
    .values({
      workspaceId: ws,
      type: "tiktok",
      title: "K1 video",
      status: "published",
      publishedAt: new Date("2026-03-08T14:00:00Z"),
    })
    .returning();
  const [k2] = await h.db
    .insert(content)
    .values({ workspaceId: ws, type: "blog", title: "K2 post", status: "draft" })
    .returning();
  ids.K1 = k1!.id;
  ids.K2 = k2!.id;
  const snap = (
    contentId: string,
    at: string,
    views: number,
    extra: Partial<{ conversions: number; revenue: string }> = {},
  ) => ({
    workspaceId: ws,
    contentId,
    capturedAt: new Date(at),
    views,
    ...extra,
  });
  await h.db.insert(contentMetricSnapshots).values([
    snap(ids.K1, "2026-03-07T12:00:00Z", 100), // first ever → +100 on 03-07
    snap(ids.K1, "2026-03-08T10:00:00Z", 150),
    snap(ids.K1, "2026-03-08T20:00:00Z", 180), // last of 03-08 → +80
    // Revenue on a snapshot is not what the tabs show (they show credited orders): left here to prove it.
    snap(ids.K1, "2026-03-09T04:30:00Z", 200, { conversions: 1, revenue: "10.50" }), // 03-09 00:30 EDT → +20
    snap(ids.K2, "2026-03-09T15:00:00Z", 40),
  ]);

  const order = (
    externalId: string,
    at: string,
    total: string | null,
    currency: string | null,
    channel: string,
    status = "Shipped",
  ) => ({
    workspaceId: ws,
    source: "manual" as const,
    externalId,
    purchaseDate: new Date(at),
    status,
    channel,
    total,
    currency,
  });
  await h.db.insert(orders).values([
    order("O1", "2026-03-08T04:30:00Z", "19.99", "USD", "amazon"), // 03-07 23:30 EST
    order("O2", "2026-03-09T12:00:00Z", "5.01", "USD", "tiktok"),
    order("O3", "2026-03-09T12:00:00Z", "100.00", "USD", "amazon", "Canceled"),
    order("O4", "2026-03-09T12:00:00Z", "7.00", "EUR", "amazon"),
    order("O5", "2026-03-09T13:00:00Z", null, null, "amazon", "Pending"),
  ]);

  // O2 came through K1's tracked link: a person's click, the order naming it, credited by the real code.
  const [k1Link] = await h.db
    .insert(trackedLinks)
    .values({ workspaceId: ws, code: "k1shop01", destination: "https://shop.example/k1", contentId: ids.K1 })
    .returning();
  const [click] = await h.db
    .insert(linkClicks)
    .values({ workspaceId: ws, linkId: k1Link!.id, clickedAt: new Date("2026-03-09T11:50:00Z") })
    .returning();
  const [o2] = await h.db
    .update(orders)
    .set({ clickId: click!.id })
    .where(and(eq(orders.workspaceId, ws), eq(orders.externalId, "O2")))
    .returning();
  await attributeOrder(h.db, ws, o2!.id, { model: "last_touch", windowDays: 7 });

  // An order in the other workspace on the same day must never show up in ours.
  await h.db
    .insert(orders)
    .values({ ...order("X1", "2026-03-09T12:00:00Z", "999.00", "USD", "amazon"), workspaceId: f.other.id });

  await refreshAnalytics(h.db, { full: true, wait: true });
  clearLocalCache();
});

describe("analytics.overview", () => {
  it("counts every figure of the period exactly, in the workspace's time zone", async () => {
    const o = await callerFor(h.db, f.viewer).analytics.overview({ workspaceId: f.ws.id, ...RANGE });
    expect(o.range).toMatchObject({
      from: "2026-03-07",
      to: "2026-03-09",
      days: 3,
      previous: { from: "2026-03-04", to: "2026-03-06" },
    });
    expect(o.kpis.views).toEqual({ value: 240, previous: 0 });
    expect(o.kpis.newLeads).toEqual({ value: 4, previous: 0 });
    expect(o.kpis.conversions).toEqual({ value: 4, previous: 0 });
    expect(o.kpis.published).toEqual({ value: 1, previous: 0 });
    expect(o.kpis.revenue).toEqual({
      currency: "USD",
      value: "25.00",
      previous: "0.00",
      credited: { revenue: "5.01", orders: 1 },
      otherCurrencies: [
        { currency: null, value: "0.00", orders: 1 },
        { currency: "EUR", value: "7.00", orders: 1 },
      ],
    });
    expect(o.kpis.openRate).toEqual({ value: 1, previous: null, sent: 3 });
    expect(o.kpis.clickRate.value).toBeCloseTo(1 / 3, 10);
    expect(o.series).toEqual([
      { day: "2026-03-07", views: 100, leads: 1, revenue: 19.99, opens: 0 },
      { day: "2026-03-08", views: 80, leads: 2, revenue: 0, opens: 1 },
      { day: "2026-03-09", views: 60, leads: 1, revenue: 5.01, opens: 2 },
    ]);
    expect(o.topByViews.map((t) => [t.title, t.views])).toEqual([
      ["K1 video", 200],
      ["K2 post", 40],
    ]);
    expect(o.topByRevenue.map((t) => [t.title, t.revenue])).toEqual([["K1 video", "5.01"]]);
    expect(o.freshness.contentSyncedAt).toBe("2026-03-09T15:00:00.000Z");
    expect(o.freshness.rolledUpAt).not.toBeNull();
  });

  it("an empty period is all zeros and rates are not numbers it cannot know", async () => {
    const o = await callerFor(h.db, f.owner).analytics.overview({
      workspaceId: f.ws.id,
      preset: "custom",
      from: "2026-02-01",
      to: "2026-02-07",
      compare: false,
    });
    expect(o.kpis.views).toEqual({ value: 0, previous: null });
    expect(o.kpis.newLeads.value).toBe(0);
    expect(o.kpis.revenue.value).toBe("0.00");
    expect(o.kpis.openRate.value).toBeNull();
    expect(o.series).toHaveLength(7);
    expect(o.series.every((d) => d.views === 0 && d.leads === 0 && d.revenue === 0)).toBe(true);
    expect(o.topByViews).toEqual([]);
  });

  it("the previous period holds what came before (compare)", async () => {
    const o = await callerFor(h.db, f.owner).analytics.overview({
      workspaceId: f.ws.id,
      preset: "custom",
      from: "2026-03-09",
      to: "2026-03-09",
      compare: true,
    });
    expect(o.kpis.newLeads).toEqual({ value: 1, previous: 2 });
    expect(o.kpis.views).toEqual({ value: 60, previous: 80 });
  });

  it("refuses bad ranges with a message and another workspace as not found", async () => {
    const caller = callerFor(h.db, f.owner);
    await expect(
      caller.analytics.overview({
        workspaceId: f.ws.id,
        preset: "custom",
        from: "2026-03-09",
        to: "2026-03-01",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("end date is before") });
    await expect(
      caller.analytics.overview({
        workspaceId: f.ws.id,
        preset: "custom",
        from: "2026-02-30",
        to: "2026-03-01",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      caller.analytics.overview({
        workspaceId: f.ws.id,
        preset: "custom",
        from: "2024-01-01",
        to: "2026-03-01",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.analytics.overview({ workspaceId: f.other.id, preset: "7d" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(callerFor(h.db, null).analytics.overview({ workspaceId: f.ws.id })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });
});

describe("analytics.email", () => {
  it("per campaign: unique human opens once per recipient, bounces, complaints, a 0-send campaign", async () => {
    const e = await callerFor(h.db, f.viewer).analytics.email({ workspaceId: f.ws.id, ...RANGE });
    expect(e.totals).toEqual({
      sent: 3,
      delivered: 2,
      inOutbox: 1,
      opens: 4,
      uniqueOpens: 3,
      clicks: 1,
      uniqueClicks: 1,
      unsubscribes: 1,
      bounces: 1,
      complaints: 1,
      openRate: 1,
      clickRate: 1 / 3,
      complaintRate: 1 / 3,
    });
    const c1 = e.campaigns.find((c) => c.id === ids.C1)!;
    expect(c1).toMatchObject({
      sent: 3,
      uniqueOpens: 2,
      opens: 3,
      uniqueClicks: 1,
      bounces: 1,
      complaints: 1,
    });
    const c0 = e.campaigns.find((c) => c.id === ids.C0)!;
    expect(c0).toMatchObject({
      sent: 0,
      uniqueOpens: 1,
      openRate: null,
      clickRate: null,
      complaintRate: null,
    });
    expect(e.trend.map((d) => [d.day, d.sent, d.uniqueOpens])).toEqual([
      ["2026-03-07", 0, 0],
      ["2026-03-08", 3, 1],
      ["2026-03-09", 0, 2],
    ]);
    // Only 03-09: L1 opened again but first opened on 03-08, so it is not a unique open of this day.
    const day = await callerFor(h.db, f.viewer).analytics.email({
      workspaceId: f.ws.id,
      preset: "custom",
      from: "2026-03-09",
      to: "2026-03-09",
    });
    expect(day.totals.uniqueOpens).toBe(2);
    expect(day.totals.opens).toBe(3);
  });

  it("refuses another workspace and bad input", async () => {
    await expect(
      callerFor(h.db, f.otherOwner).analytics.email({ workspaceId: f.ws.id }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      callerFor(h.db, f.owner).analytics.email({ workspaceId: f.ws.id, preset: "yesterday" as "7d" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("analytics.leads", () => {
  it("growth, sources, tags and status mix; a lead at 23:59 local counts on its local day", async () => {
    const l = await callerFor(h.db, f.viewer).analytics.leads({ workspaceId: f.ws.id, ...RANGE });
    expect(l.totals).toEqual({ leads: 4, previous: 0 });
    expect(l.series).toEqual([
      { bucket: "2026-03-07", leads: 1, cumulative: 1 },
      { bucket: "2026-03-08", leads: 2, cumulative: 3 },
      { bucket: "2026-03-09", leads: 1, cumulative: 4 },
    ]);
    expect(l.bySource).toEqual([
      { source: "tiktok", leads: 2 },
      { source: null, leads: 1 },
      { source: "blog", leads: 1 },
    ]);
    expect(l.byTag).toEqual([
      { tag: "vip", leads: 2 },
      { tag: "a", leads: 1 },
    ]);
    expect(l.statusMix).toEqual([
      { status: "active", leads: 3 },
      { status: "unsubscribed", leads: 1 },
    ]);
    const weekly = await callerFor(h.db, f.viewer).analytics.leads({
      workspaceId: f.ws.id,
      ...RANGE,
      granularity: "week",
    });
    // 2026-03-07 is a Saturday: its week starts Monday 03-02; 03-08 (Sunday) too; 03-09 starts a new week.
    expect(weekly.series).toEqual([
      { bucket: "2026-03-02", leads: 3, cumulative: 3 },
      { bucket: "2026-03-09", leads: 1, cumulative: 4 },
    ]);
  });

  it("refuses a bad granularity and another workspace", async () => {
    await expect(
      callerFor(h.db, f.owner).analytics.leads({ workspaceId: f.ws.id, granularity: "hour" as "day" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(callerFor(h.db, f.owner).analytics.leads({ workspaceId: f.other.id })).rejects.toMatchObject(
      {
        code: "NOT_FOUND",
      },
    );
  });
});

describe("analytics.content", () => {
  it("per platform and per item: views from snapshots (deltas across the DST day), revenue from credited orders", async () => {
    const c = await callerFor(h.db, f.viewer).analytics.content({ workspaceId: f.ws.id, ...RANGE });
    expect(c.platforms.map((p) => [p.platform, p.views, p.published, p.conversions, p.revenue])).toEqual([
      ["blog", 40, 0, 0, "0.00"],
      ["tiktok", 200, 1, 1, "5.01"],
    ]);
    expect(c.items.map((i) => [i.title, i.views])).toEqual([
      ["K1 video", 200],
      ["K2 post", 40],
    ]);
    expect(c.trend).toEqual([
      { day: "2026-03-07", blog: 0, tiktok: 100 },
      { day: "2026-03-08", blog: 0, tiktok: 80 },
      { day: "2026-03-09", blog: 40, tiktok: 20 },
    ]);
  });

  it("refuses another workspace and a missing custom end", async () => {
    await expect(
      callerFor(h.db, f.owner).analytics.content({ workspaceId: f.other.id }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      callerFor(h.db, f.owner).analytics.content({
        workspaceId: f.ws.id,
        preset: "custom",
        from: "2026-03-01",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("analytics.revenue and analytics.funnel", () => {
  it("orders per channel and currency, exact decimals, cancelled orders excluded", async () => {
    const r = await callerFor(h.db, f.viewer).analytics.revenue({ workspaceId: f.ws.id, ...RANGE });
    expect(r.currency).toBe("USD");
    expect(r.totals).toEqual({
      revenue: "25.00",
      previousRevenue: "0.00",
      orders: 2,
      previousOrders: 0,
      averageOrderValue: "12.50",
    });
    expect(r.channels).toEqual([
      { channel: "amazon", currency: "USD", orders: 1, revenue: "19.99", averageOrderValue: "19.99" },
      { channel: "amazon", currency: "EUR", orders: 1, revenue: "7.00", averageOrderValue: "7.00" },
      { channel: "tiktok", currency: "USD", orders: 1, revenue: "5.01", averageOrderValue: "5.01" },
      { channel: "amazon", currency: null, orders: 1, revenue: "0.00", averageOrderValue: "0.00" },
    ]);
    expect(r.contentAttributed).toEqual({ revenue: "5.01", conversions: 1 });
    expect(r.trend.map((d) => d.revenue)).toEqual([19.99, 0, 5.01]);
  });

  it("funnel: views → clicks → leads → customers by channel", async () => {
    const fu = await callerFor(h.db, f.viewer).analytics.funnel({ workspaceId: f.ws.id, ...RANGE });
    expect(fu.total).toEqual({ views: 240, clicks: 0, leads: 4, customers: 4, revenue: "25.00" });
    expect(fu.channels).toEqual([
      { channel: "tiktok", views: 200, clicks: 0, leads: 2, customers: 1, revenue: "5.01" },
      { channel: "blog", views: 40, clicks: 0, leads: 1, customers: 0, revenue: "0.00" },
      { channel: "unknown", views: 0, clicks: 0, leads: 1, customers: 0, revenue: "0.00" },
      { channel: "amazon", views: 0, clicks: 0, leads: 0, customers: 3, revenue: "19.99" },
    ]);
  });

  it("refuses another workspace", async () => {
    await expect(
      callerFor(h.db, f.owner).analytics.revenue({ workspaceId: f.other.id }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      callerFor(h.db, f.owner).analytics.funnel({ workspaceId: f.other.id }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("incremental rollup", () => {
  it("picks up new rows, recomputes only their buckets, and rerunning changes nothing", async () => {
    const caller = callerFor(h.db, f.owner);
    const before = await caller.analytics.overview({ workspaceId: f.ws.id, preset: "today", compare: false });
    await h.db
      .insert(leads)
      .values({ workspaceId: f.ws.id, email: `new-${randomUUID().slice(0, 6)}@example.test` });
    const run = await refreshAnalytics(h.db, { wait: true });
    expect(run.mode).toBe("incremental");
    expect(run.workspaceIds).toContain(f.ws.id);
    // The cache for the workspace was dropped by the run: the new lead is visible at once.
    const after = await caller.analytics.overview({ workspaceId: f.ws.id, preset: "today", compare: false });
    expect(after.kpis.newLeads.value).toBe(before.kpis.newLeads.value + 1);
    const again = await refreshAnalytics(h.db, { wait: true });
    expect(again.mode).toBe("incremental");
    clearLocalCache();
    const third = await caller.analytics.overview({ workspaceId: f.ws.id, preset: "today", compare: false });
    expect(third.kpis.newLeads.value).toBe(after.kpis.newLeads.value);
    // The back-dated fixture buckets were not rewritten by the incremental runs and still hold.
    const rows = await h.db.select().from(rollupLeadsDaily).where(eq(rollupLeadsDaily.workspaceId, f.ws.id));
    expect(rows.filter((r) => r.day <= "2026-03-09").reduce((a, r) => a + r.leads, 0)).toBe(4);
  });

  it("rebuild: rows written back-dated (the demo seed) reach one workspace's days; a full run agrees", async () => {
    const ws = await createWorkspace(h.db, f.owner, { name: "Back-dated" });
    const [c] = await h.db
      .insert(emailCampaigns)
      .values({ workspaceId: ws.id, name: "Old", type: "one-time", status: "sent", content: {} })
      .returning();
    await refreshAnalytics(h.db, { wait: true });
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
    const [lead] = await h.db
      .insert(leads)
      .values({
        workspaceId: ws.id,
        email: `old-${randomUUID().slice(0, 6)}@example.test`,
        createdAt: tenDaysAgo,
        updatedAt: tenDaysAgo,
      })
      .returning();
    await h.db.insert(emailEvents).values({
      workspaceId: ws.id,
      campaignId: c!.id,
      leadId: lead!.id,
      type: "open",
      createdAt: tenDaysAgo,
    });
    const figures = async () => {
      clearLocalCache();
      const caller = callerFor(h.db, f.owner);
      const o = await caller.analytics.overview({ workspaceId: ws.id, preset: "30d", compare: false });
      const e = await caller.analytics.email({ workspaceId: ws.id, preset: "30d", compare: false });
      return [o.kpis.newLeads.value, e.totals.uniqueOpens];
    };
    await refreshAnalytics(h.db, { wait: true });
    expect(await figures()).toEqual([0, 0]); // older than the watermark: an incremental run cannot see them
    const run = await refreshAnalytics(h.db, {
      wait: true,
      rebuild: { workspaceId: ws.id, from: new Date(Date.now() - 12 * 86_400_000) },
    });
    expect(run.mode).toBe("incremental");
    expect(run.workspaceIds).toContain(ws.id);
    expect(await figures()).toEqual([1, 1]);
    await refreshAnalytics(h.db, { full: true, wait: true });
    expect(await figures()).toEqual([1, 1]);
  });
});

describe("leaderboards and first opens (ranges ending today)", () => {
  it("top content for 1/7/30/90 days from the leaderboards, kept current incrementally, same as summing", async () => {
    const ws = await createWorkspace(h.db, f.owner, { name: "Leaderboards" });
    await h.db.update(workspaces).set({ timeZone: "UTC" }).where(eq(workspaces.id, ws.id));
    const today = localToday("UTC");
    const at = (daysAgo: number, time = "12:00:00") => new Date(`${addDays(today, -daysAgo)}T${time}Z`);
    const item = async (title: string, type: "tiktok" | "blog") => {
      const [c] = await h.db
        .insert(content)
        .values({ workspaceId: ws.id, type, title, status: "draft" })
        .returning();
      return c!.id;
    };
    const A = await item("A", "tiktok");
    const B = await item("B", "blog");
    const C = await item("C", "tiktok");
    const snap = (contentId: string, capturedAt: Date, views: number, revenue = "0") => ({
      workspaceId: ws.id,
      contentId,
      capturedAt,
      views,
      revenue,
    });
    // Counters are cumulative; the rollup takes day-over-day differences.
    await h.db.insert(contentMetricSnapshots).values([
      snap(A, at(100), 1000), // outside 90 days
      snap(A, at(40), 1500), // +500
      snap(A, at(10), 1600), // +100
      snap(A, at(3), 1700, "2.00"), // +100, +2.00
      snap(A, at(0, "00:00:01"), 1750, "3.00"), // today +50, +1.00
      snap(B, at(5), 300), // +300
      snap(B, at(0, "00:00:01"), 320), // today +20
      snap(C, at(60), 900, "9.00"), // +900, +9.00
    ]);
    await refreshAnalytics(h.db, { full: true, wait: true });
    const caller = callerFor(h.db, f.owner);
    const top = async (preset: "today" | "7d" | "30d" | "90d") => {
      clearLocalCache();
      const o = await caller.analytics.overview({ workspaceId: ws.id, preset, compare: false });
      const c = await caller.analytics.content({ workspaceId: ws.id, preset, compare: false });
      return {
        views: o.topByViews.map((t) => [t.title, t.views]),
        revenue: o.topByRevenue.map((t) => [t.title, t.revenue]),
        items: c.items.map((i) => [i.title, i.platform, i.views, i.revenue]),
      };
    };
    const tomorrow = addDays(today, 1);
    // The days the kept sets of leaderboards end on: the workspace's today and tomorrow.
    const asOf = async () => {
      const [f] = await h.db
        .select()
        .from(analyticsFreshness)
        .where(eq(analyticsFreshness.workspaceId, ws.id));
      return [f?.windowsFrom, f?.windowsAsOf];
    };
    expect(await asOf()).toEqual([today, tomorrow]);
    // Revenue on snapshots is not what these show: top content by revenue and the items' revenue come
    // from credited orders (tests/integration/order-attribution.test.ts), and this fixture has none.
    const expected = {
      today: {
        views: [
          ["A", 50],
          ["B", 20],
        ],
        revenue: [],
        items: [
          ["A", "tiktok", 50, "0.00"],
          ["B", "blog", 20, "0.00"],
        ],
      },
      "7d": {
        views: [
          ["B", 320],
          ["A", 150],
        ],
        revenue: [],
        items: [
          ["B", "blog", 320, "0.00"],
          ["A", "tiktok", 150, "0.00"],
        ],
      },
      "30d": {
        views: [
          ["B", 320],
          ["A", 250],
        ],
        revenue: [],
        items: [
          ["B", "blog", 320, "0.00"],
          ["A", "tiktok", 250, "0.00"],
        ],
      },
      "90d": {
        views: [
          ["C", 900],
          ["A", 750],
          ["B", 320],
        ],
        revenue: [],
        items: [
          ["C", "tiktok", 900, "0.00"],
          ["A", "tiktok", 750, "0.00"],
          ["B", "blog", 320, "0.00"],
        ],
      },
    } as const;
    for (const preset of ["today", "7d", "30d", "90d"] as const)
      expect(await top(preset)).toEqual(expected[preset]);

    // New counters arrive today: the incremental run applies the differences to the leaderboards.
    const D = await item("D", "tiktok");
    await h.db.insert(contentMetricSnapshots).values([snap(B, new Date(), 330), snap(D, new Date(), 5000)]);
    const run = await refreshAnalytics(h.db, { wait: true });
    expect(run.mode).toBe("incremental");
    expect(await asOf()).toEqual([today, tomorrow]);
    const after = {
      today: [
        ["D", 5000],
        ["A", 50],
        ["B", 30],
      ],
      "7d": [
        ["D", 5000],
        ["B", 330],
        ["A", 150],
      ],
      "90d": [
        ["D", 5000],
        ["C", 900],
        ["A", 750],
        ["B", 330],
      ],
    } as const;
    for (const preset of ["today", "7d", "90d"] as const)
      expect((await top(preset)).views).toEqual(after[preset]);
    const withBoards = await top("30d");

    // Leaderboards that do not end today (two days have turned) are not used: the sums are the same.
    const setWindows = (from: string | null, to: string | null) =>
      h.db
        .update(analyticsFreshness)
        .set({ windowsFrom: from, windowsAsOf: to })
        .where(eq(analyticsFreshness.workspaceId, ws.id));
    await setWindows(addDays(today, -2), addDays(today, -1));
    expect(await top("30d")).toEqual(withBoards);
    for (const preset of ["today", "7d", "90d"] as const)
      expect((await top(preset)).views).toEqual(after[preset]);
    // The next run builds both sets again.
    await refreshAnalytics(h.db, { wait: true });
    expect(await asOf()).toEqual([today, tomorrow]);
    expect(await top("30d")).toEqual(withBoards);

    // After local midnight (a range ending tomorrow), tomorrow's set answers, before any run, and
    // holds what summing the item-days gives: also for counters captured on that day.
    const endingTomorrow = async (days: number) => {
      clearLocalCache();
      const range = {
        preset: "custom" as const,
        from: addDays(tomorrow, 1 - days),
        to: tomorrow,
        compare: false,
      };
      const o = await caller.analytics.overview({ workspaceId: ws.id, ...range });
      const c = await caller.analytics.content({ workspaceId: ws.id, ...range });
      return {
        views: o.topByViews.map((t) => [t.title, t.views]),
        items: c.items.map((i) => [i.title, i.views]),
      };
    };
    const summed = async (days: number) => {
      const [f] = await h.db
        .select()
        .from(analyticsFreshness)
        .where(eq(analyticsFreshness.workspaceId, ws.id));
      await setWindows(null, null); // no sets: the item-days are summed
      try {
        return await endingTomorrow(days);
      } finally {
        await setWindows(f!.windowsFrom, f!.windowsAsOf);
      }
    };
    const rangeTo = (days: number, to: string) => ({
      preset: "custom" as const,
      from: addDays(to, 1 - days),
      to,
      days,
      compare: false,
      previous: { from: to, to },
    });
    await h.db.insert(contentMetricSnapshots).values([snap(A, new Date(`${tomorrow}T00:30:00Z`), 1790)]);
    await refreshAnalytics(h.db, { wait: true });
    for (const days of [1, 7, 30, 90]) {
      expect(await leaderboardWindow(h.db, ws.id, rangeTo(days, tomorrow))).toEqual({ days, asOf: tomorrow });
      expect(await endingTomorrow(days)).toEqual(await summed(days));
    }
    expect((await endingTomorrow(1)).views).toEqual([["A", 40]]); // 1790 - 1750, on tomorrow only
    expect((await top("today")).views).toEqual(after.today); // today's set did not take tomorrow's counters

    // The day turns: the sets end on yesterday and today. The next run drops yesterday's and builds
    // tomorrow's; today's set is kept as it is.
    await setWindows(addDays(today, -1), today);
    await refreshAnalytics(h.db, { wait: true });
    expect(await asOf()).toEqual([today, tomorrow]);
    const kept = await h.db
      .selectDistinct({ asOf: rollupContentItemWindow.asOf })
      .from(rollupContentItemWindow)
      .where(eq(rollupContentItemWindow.workspaceId, ws.id))
      .orderBy(rollupContentItemWindow.asOf);
    expect(kept.map((k) => k.asOf)).toEqual([today, tomorrow]);
    for (const days of [1, 7, 30, 90]) expect(await endingTomorrow(days)).toEqual(await summed(days));
    expect(await top("30d")).toEqual(withBoards);
  });

  it("unique opens count a lead's first human open once, also when it arrives out of order", async () => {
    const ws = await createWorkspace(h.db, f.owner, { name: "First opens" });
    await h.db.update(workspaces).set({ timeZone: "UTC" }).where(eq(workspaces.id, ws.id));
    const [c] = await h.db
      .insert(emailCampaigns)
      .values({ workspaceId: ws.id, name: "Now", type: "one-time", status: "sent", content: {} })
      .returning();
    const person = async () =>
      (
        await h.db
          .insert(leads)
          .values({ workspaceId: ws.id, email: `p-${randomUUID().slice(0, 6)}@example.test` })
          .returning()
      )[0]!.id;
    const L = await person();
    const M = await person();
    const open = (leadId: string, secondsAgo: number, isMachine = false) => ({
      workspaceId: ws.id,
      campaignId: c!.id,
      leadId,
      type: "open" as const,
      isMachine,
      createdAt: new Date(Date.now() - secondsAgo * 1000),
    });
    await refreshAnalytics(h.db, { wait: true });
    await h.db.insert(emailEvents).values([open(L, 30)]);
    await refreshAnalytics(h.db, { wait: true });
    const email = async () => {
      clearLocalCache();
      const e = await callerFor(h.db, f.owner).analytics.email({ workspaceId: ws.id, preset: "today" });
      return [e.totals.opens, e.totals.uniqueOpens];
    };
    expect(await email()).toEqual([1, 1]);
    // An earlier open of L committed late, an image proxy, and M's first open.
    await h.db.insert(emailEvents).values([open(L, 60), open(M, 50, true), open(M, 5)]);
    await refreshAnalytics(h.db, { wait: true });
    expect(await email()).toEqual([3, 2]);
    await refreshAnalytics(h.db, { full: true, wait: true });
    expect(await email()).toEqual([3, 2]);
  });
});

describe("the full rebuild", () => {
  const tables = [...ROLLUP_TABLES];
  const contents = async () => {
    const out: Record<string, string[]> = {};
    for (const t of tables)
      out[t] = rowsOf<{ r: string }>(
        await h.db.execute(sql.raw(`select row_to_json(t)::text as r from "${t}" t order by 1`)),
      ).map((x) => x.r);
    return out;
  };
  // Each table's keys, indexes and durability, as the migrations made them; and any staging copy.
  const shapes = async () =>
    rowsOf<{ t: string; what: string }>(
      await h.db.execute(sql`
        select c.relname as t, c.relpersistence::text || ' ' || coalesce((select string_agg(x, '; ' order by x) from (
          select con.conname || ': ' || pg_get_constraintdef(con.oid) as x from pg_constraint con where con.conrelid = c.oid
          union all select pg_get_indexdef(i.indexrelid) from pg_index i where i.indrelid = c.oid) d), '') as what
        from pg_class c
        where c.relkind = 'r' and (left(c.relname, 7) = 'rollup_' or position('__next' in c.relname) > 0)
        order by 1`),
    );

  it("writes what the incremental runs kept, and swaps in each table with its keys and indexes", async () => {
    await refreshAnalytics(h.db, { full: true, wait: true });
    const shape = await shapes();
    expect(shape.map((s) => s.t)).toEqual([...tables].sort());
    expect(shape.every((s) => s.what.startsWith("p "))).toBe(true); // logged, not the unlogged staging

    // New rows of every kind, now, taken in by an incremental run.
    const ws = f.ws.id;
    const [lead] = await h.db
      .insert(leads)
      .values({
        workspaceId: ws,
        email: `full-${randomUUID().slice(0, 6)}@example.test`,
        source: "blog",
        tags: ["vip", "new"],
      })
      .returning();
    const [item] = await h.db
      .insert(content)
      .values({
        workspaceId: ws,
        type: "tiktok",
        title: "Full",
        status: "published",
        publishedAt: new Date(),
      })
      .returning();
    await h.db.insert(contentMetricSnapshots).values([
      { workspaceId: ws, contentId: item!.id, capturedAt: new Date(Date.now() - 60_000), views: 10 },
      { workspaceId: ws, contentId: item!.id, capturedAt: new Date(), views: 25, revenue: "1.50" },
    ]);
    const event = (type: string, who: { leadId?: string; sendId?: string }, isMachine = false) => ({
      workspaceId: ws,
      campaignId: ids.C1!,
      type: type as "open",
      isMachine,
      createdAt: new Date(),
      ...who,
    });
    const L = { leadId: lead!.id };
    // The new lead's message, sent now and accepted by a mail server.
    await h.db.insert(emailSends).values({
      workspaceId: ws,
      campaignId: ids.C1!,
      stepId: ids["C1-step"]!,
      leadId: lead!.id,
      toAddress: lead!.email,
      status: "sent",
      sentAt: new Date(),
      delivered: true,
    });
    await h.db.insert(emailEvents).values([
      event("open", L),
      event("click", L),
      event("open", L, true),
      // Each kind counted once per recipient or send, twice over; opens and clicks with no lead.
      ...[1, 2].flatMap(() => [
        event("bounce", L),
        event("bounce", { sendId: ids["send-L2"]! }),
        event("unsubscribe", L),
        event("complaint", L),
        event("open", { sendId: ids["send-L4"]! }),
        event("click", { sendId: ids["send-L4"]! }),
        event("open", {}),
      ]),
    ]);
    await h.db.insert(orders).values({
      workspaceId: ws,
      source: "amazon",
      externalId: `FULL-${randomUUID().slice(0, 6)}`,
      purchaseDate: new Date(),
      status: "Shipped",
      channel: "tiktok",
      total: "12.34",
      currency: "USD",
    });
    expect((await refreshAnalytics(h.db, { wait: true })).mode).toBe("incremental");
    const kept = await contents();
    const day = kept
      .rollup_email_daily!.map((r) => JSON.parse(r))
      .find((r) => r.campaign_id === ids.C1 && r.day === localToday(TZ));
    // Counted by hand: 1 sent and delivered; human opens 1 + 2 + 2 (the machine's not); unique opens: the
    // lead's first, the send's, and each lead-less event's own; 2 bounces (a lead, a send); the rest 1.
    expect(day).toMatchObject({
      sent: 1,
      delivered_events: 1,
      opens: 5,
      unique_opens: 4,
      clicks: 3,
      unique_clicks: 2,
      unsubscribes: 1,
      bounces: 2,
      complaints: 1,
    });
    expect(kept.rollup_content_item_window!.length).toBeGreaterThan(0);
    expect(kept.rollup_email_first!.some((r) => r.includes(lead!.id))).toBe(true);

    const full = await refreshAnalytics(h.db, { full: true, wait: true });
    expect(full.mode).toBe("full");
    expect(full.workspaceIds).toContain(ws);
    expect(await contents()).toEqual(kept);
    expect(await shapes()).toEqual(shape);
  });

  it("a rebuild that fails leaves every table as it was and no staging copy behind", async () => {
    const before = await contents();
    const shape = await shapes();
    // A name one of the staging copy's keys needs is taken: that table's build fails midway.
    await h.db.execute(sql`create table rollup_orders_daily__next_0 (x int)`);
    try {
      await expect(refreshAnalytics(h.db, { full: true, wait: true })).rejects.toThrow();
    } finally {
      await h.db.execute(sql`drop table rollup_orders_daily__next_0`);
    }
    expect(await contents()).toEqual(before);
    expect(await shapes()).toEqual(shape);
    expect((await refreshAnalytics(h.db, { full: true, wait: true })).mode).toBe("full");
    expect(await contents()).toEqual(before);
  });

  it("copies left by a rebuild whose process died are dropped by the next run", async () => {
    const shape = await shapes();
    await h.db.execute(sql`create table rollup_orders_daily__next (like rollup_orders_daily)`);
    await h.db.execute(sql`create table rollup_content_item_daily__next (like rollup_content_item_daily)`);
    expect((await shapes()).length).toBe(shape.length + 2);
    expect((await refreshAnalytics(h.db, { wait: true })).mode).toBe("incremental");
    expect(await shapes()).toEqual(shape);
  });
});

describe("live and switched off", () => {
  it("a rollup that writes a workspace tells its open pages", async () => {
    const seen: AppEvent[] = [];
    const stop = subscribeEvents((e) => {
      if (e.workspaceId === f.ws.id) seen.push(e);
    });
    try {
      await h.db
        .insert(leads)
        .values({ workspaceId: f.ws.id, email: `live-${randomUUID().slice(0, 6)}@example.test` });
      await refreshAnalytics(h.db, { wait: true });
      await expect
        .poll(() => seen.map((e) => [e.type, e.data.kind]), { timeout: 5000 })
        .toContainEqual(["job.finished", "analytics"]);
    } finally {
      stop();
    }
  });

  it("ENABLE_ANALYTICS=false: every procedure says analytics is off", async () => {
    process.env.ENABLE_ANALYTICS = "false";
    resetEnvCache();
    try {
      await expect(
        callerFor(h.db, f.owner).analytics.overview({ workspaceId: f.ws.id }),
      ).rejects.toMatchObject({
        code: "FORBIDDEN",
        message: "Analytics is turned off on this server",
      });
    } finally {
      delete process.env.ENABLE_ANALYTICS;
      resetEnvCache();
    }
  });
});
