import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "@/cli/demo-seed";
import { DEMO_FORM } from "@/cli/demo-seed/campaigns";
import { rowsOf } from "@/server/db/raw-rows";
import { campaignEnrollments, content, emailSends, leads } from "@/server/db/schema";
import { systemActor } from "@/server/services/context";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

/*
 * The demo tells one story: after `seed-demo`, the figures the pages read (Overview, Analytics'
 * content, email and revenue tabs, the content list, the campaign list and reports) are non-zero and
 * agree with each other and with sums over the raw rows.
 */
const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
let seeded: Awaited<ReturnType<typeof seedDemo>>;
const RANGE = { preset: "90d", compare: false } as const;

const cents = (v: string | number) => Math.round(Number(v) * 100);

async function one<T>(q: ReturnType<typeof sql>): Promise<T> {
  return rowsOf<T>(await h.db.execute(q))[0]!;
}

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
  seeded = await seedDemo(h.db, { workspaceId: f.ws.id, actor: systemActor });
}, 120_000);

describe("seed-demo: one coherent 90-day story", () => {
  it("writes the story's history: snapshots, orders, steps, sends, opens and clicks, a form", () => {
    const t = seeded.tables;
    for (const k of [
      "leads",
      "content",
      "contentMetrics",
      "contentMetricSnapshots",
      "orders",
      "signupForms",
      "formSubmissions",
      "campaignSteps",
      "campaignEnrollments",
      "emailSends",
      "emailEvents",
    ] as const) {
      expect(t[k].inserted, k).toBeGreaterThan(0);
    }
    expect(t.emailCampaigns.inserted).toBe(5);
    expect(t.contentMetricSnapshots.inserted).toBeGreaterThan(t.contentMetrics.inserted * 5);
  });

  it("Overview's KPIs are the raw rows' sums, and agree with the content list", async () => {
    const caller = callerFor(h.db, f.owner);
    const o = await caller.analytics.overview({ workspaceId: f.ws.id, ...RANGE });
    const raw = await one<{
      revenue: string;
      orders: number;
      leads: number;
      views: number;
      published: number;
    }>(sql`
      select
        (select coalesce(sum(total), 0)::text from orders where workspace_id = ${f.ws.id}
          and lower(status) not in ('canceled', 'cancelled')) as revenue,
        (select count(*)::int from orders where workspace_id = ${f.ws.id}
          and lower(status) not in ('canceled', 'cancelled')) as orders,
        (select count(*)::int from leads where workspace_id = ${f.ws.id}) as leads,
        (select coalesce(sum(m.views), 0)::int from content_metrics m join content c on c.id = m.content_id
          where c.workspace_id = ${f.ws.id}) as views,
        (select count(*)::int from content where workspace_id = ${f.ws.id} and status = 'published') as published`);
    expect(cents(raw.revenue)).toBeGreaterThan(0);
    expect(o.kpis.revenue.currency).toBe("USD");
    expect(cents(o.kpis.revenue.value)).toBe(cents(raw.revenue));
    expect(o.kpis.conversions.value).toBe(raw.orders);
    expect(o.kpis.newLeads.value).toBe(raw.leads);
    expect(o.kpis.views.value).toBeGreaterThan(10_000);
    expect(o.kpis.views.value).toBe(raw.views);
    expect(o.kpis.published.value).toBe(raw.published);
    expect(o.kpis.openRate.sent).toBeGreaterThan(0);
    expect(o.kpis.openRate.value).toBeGreaterThan(0);
    expect(o.kpis.clickRate.value).toBeGreaterThan(0);
    expect(o.series.reduce((s, d) => s + d.views, 0)).toBe(raw.views);
    expect(o.series.reduce((s, d) => s + cents(d.revenue), 0)).toBe(cents(raw.revenue));
    expect(o.topByViews.length).toBeGreaterThan(0);
    expect(o.topByRevenue.length).toBeGreaterThan(0);

    // The content list shows each item's current figures: the same views, summed.
    const list = await caller.content.list({ workspaceId: f.ws.id, limit: 100 });
    expect(list.content.reduce((s, c) => s + Number(c.metrics.views), 0)).toBe(raw.views);
  });

  it("Analytics' content and revenue tabs agree with the content list, item by item, and with the orders", async () => {
    const caller = callerFor(h.db, f.owner);
    const tab = await caller.analytics.content({ workspaceId: f.ws.id, ...RANGE });
    const list = await caller.content.list({ workspaceId: f.ws.id, limit: 100, status: "published" });
    const byId = new Map(list.content.map((c) => [c.id, c.metrics]));
    expect(tab.items.length).toBe(list.content.length);
    for (const item of tab.items) {
      const m = byId.get(item.id)!;
      expect(item.views, item.title).toBe(Number(m.views));
      expect(item.clicks, item.title).toBe(Number(m.clicks));
      expect(item.conversions, item.title).toBe(Number(m.conversions));
      expect(cents(item.revenue), item.title).toBe(cents(String(m.revenue)));
    }
    // An item's conversions and revenue are exactly the orders attributed to it.
    const attributed = rowsOf<{ id: string; orders: number; revenue: string }>(
      await h.db.execute(sql`
        select content_id::text as id, count(*)::int as orders, sum(total)::text as revenue from orders
        where workspace_id = ${f.ws.id} and content_id is not null group by content_id`),
    );
    expect(attributed.length).toBeGreaterThan(0);
    for (const a of attributed) {
      const m = byId.get(a.id)!;
      expect(Number(m.conversions)).toBe(a.orders);
      expect(cents(String(m.revenue))).toBe(cents(a.revenue));
    }
    const platforms = new Map(tab.platforms.map((p) => [p.platform, p]));
    expect([...platforms.keys()].sort()).toEqual(["blog", "email", "tiktok"]);
    for (const p of tab.platforms) expect(p.views, p.platform).toBeGreaterThan(0);

    const revenue = await caller.analytics.revenue({ workspaceId: f.ws.id, ...RANGE });
    const attributedCents = attributed.reduce((s, a) => s + cents(a.revenue), 0);
    expect(cents(revenue.contentAttributed.revenue)).toBe(attributedCents);
    expect(tab.platforms.reduce((s, p) => s + cents(p.revenue), 0)).toBe(attributedCents);
    const channels = new Map(revenue.channels.map((c) => [c.channel, cents(c.revenue)]));
    expect([...channels.keys()].sort()).toEqual(["amazon", "blog", "email", "tiktok"]);
    for (const p of tab.platforms) expect(channels.get(p.platform), p.platform).toBe(cents(p.revenue));
    expect(cents(revenue.totals.revenue)).toBe([...channels.values()].reduce((s, v) => s + v, 0));
  });

  it("every campaign has steps; the list, the email tab and each report count the same sends, opens and clicks", async () => {
    const caller = callerFor(h.db, f.owner);
    const { campaigns } = await caller.email.campaigns.list({ workspaceId: f.ws.id });
    const tab = await caller.analytics.email({ workspaceId: f.ws.id, ...RANGE });
    const inTab = new Map(tab.campaigns.map((c) => [c.id, c]));
    let sent = 0;
    let opens = 0;
    let clicks = 0;
    for (const c of campaigns) {
      const full = await caller.email.campaigns.get({ workspaceId: f.ws.id, id: c.id });
      expect(full.steps.length, c.name).toBeGreaterThan(0);
      const report = await caller.email.campaigns.report({ workspaceId: f.ws.id, id: c.id });
      const [raw] = await h.db
        .select({ n: sql<number>`count(*)::int` })
        .from(emailSends)
        .where(and(eq(emailSends.campaignId, c.id), eq(emailSends.status, "sent")));
      expect(report.totals.sent, c.name).toBe(raw!.n);
      expect(c.sent, c.name).toBe(report.totals.sent);
      if (c.status === "draft") {
        expect(report.totals.sent).toBe(0);
        continue;
      }
      expect(report.totals.sent, c.name).toBeGreaterThan(0);
      expect(report.totals.uniqueOpens, c.name).toBeGreaterThan(0);
      expect(c.openRate).toBeCloseTo(report.totals.openRate, 10);
      const row = inTab.get(c.id)!;
      expect(row.sent, c.name).toBe(report.totals.sent);
      expect(row.uniqueOpens, c.name).toBe(report.totals.uniqueOpens);
      expect(row.uniqueClicks, c.name).toBe(report.totals.uniqueClicks);
      // The demo's mail went through a mail server: delivered, not "in outbox".
      expect(report.totals, c.name).toMatchObject({ delivered: report.totals.sent, inOutbox: 0 });
      expect(row.delivered, c.name).toBe(report.totals.sent);
      // A started campaign's audience is who it reached.
      expect(c.audienceKind, c.name).toBe("recipients");
      expect(full.recipients, c.name).toBe(c.audienceSize);
      expect(report.steps.reduce((s, st) => s + st.sent, 0)).toBe(report.totals.sent);
      sent += report.totals.sent;
      opens += report.totals.uniqueOpens;
      clicks += report.totals.uniqueClicks;
    }
    expect(tab.totals.sent).toBe(sent);
    expect(tab.totals.uniqueOpens).toBe(opens);
    expect(tab.totals.uniqueClicks).toBe(clicks);
    expect(clicks).toBeGreaterThan(0);
    const o = await caller.analytics.overview({ workspaceId: f.ws.id, ...RANGE });
    expect(o.kpis.openRate.sent).toBe(sent);
    expect(o.kpis.openRate.value).toBeCloseTo(opens / sent, 10);

    // The email items' views and clicks are the readers of the campaign sent for them.
    const list = await caller.content.list({ workspaceId: f.ws.id, type: "email", status: "published" });
    expect(list.content.length).toBe(2);
    for (const item of list.content) {
      const c = campaigns.find((x) => x.contentId === item.id)!;
      const report = await caller.email.campaigns.report({ workspaceId: f.ws.id, id: c.id });
      expect(Number(item.metrics.views), item.title).toBe(report.totals.uniqueOpens);
      expect(Number(item.metrics.clicks), item.title).toBe(report.totals.uniqueClicks);
    }
  });

  it("the welcome sequence is running: leads enrolled, at different steps, later steps still queued", async () => {
    const caller = callerFor(h.db, f.owner);
    const { campaigns } = await caller.email.campaigns.list({ workspaceId: f.ws.id });
    const welcome = campaigns.find((c) => c.type === "sequence")!;
    expect(welcome.status).toBe("active");
    const report = await caller.email.campaigns.report({ workspaceId: f.ws.id, id: welcome.id });
    expect(report.steps.map((s) => s.position)).toEqual([0, 1, 2]);
    for (const s of report.steps) expect(s.sent).toBeGreaterThan(0);
    expect(report.steps[0]!.sent).toBeGreaterThan(report.steps[2]!.sent);
    expect(report.totals.pending).toBeGreaterThan(0);
    const [enrolled] = await h.db
      .select({ n: sql<number>`count(*)::int` })
      .from(campaignEnrollments)
      .where(eq(campaignEnrollments.campaignId, welcome.id));
    expect(enrolled!.n).toBe(report.steps[0]!.sent + report.steps[0]!.pending);
  });

  it("the signup form exists and the leads it brought carry its source and tag", async () => {
    const caller = callerFor(h.db, f.owner);
    const forms = await caller.forms.list({ workspaceId: f.ws.id });
    expect(forms.map((x) => x.slug)).toEqual([DEMO_FORM.slug]);
    const joined = await h.db
      .select({ tags: leads.tags })
      .from(leads)
      .where(and(eq(leads.workspaceId, f.ws.id), eq(leads.source, DEMO_FORM.source)));
    expect(joined.length).toBe(seeded.tables.formSubmissions.inserted);
    expect(joined.every((l) => l.tags.includes("newsletter"))).toBe(true);
  });

  it("another workspace sees none of it", async () => {
    const caller = callerFor(h.db, f.otherOwner);
    const o = await caller.analytics.overview({ workspaceId: f.other.id, ...RANGE });
    expect(o.kpis.views.value).toBe(0);
    expect(cents(o.kpis.revenue.value)).toBe(0);
    expect(o.kpis.openRate.sent).toBe(0);
    await expect(
      callerFor(h.db, f.otherOwner).analytics.overview({ workspaceId: f.ws.id, ...RANGE }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a rerun adds nothing and every figure stays the same", async () => {
    const caller = callerFor(h.db, f.owner);
    const before = await caller.analytics.overview({ workspaceId: f.ws.id, ...RANGE });
    const again = await seedDemo(h.db, { workspaceId: f.ws.id, actor: systemActor });
    for (const [k, v] of Object.entries(again.tables)) {
      if (k !== "activityLogs") expect(v.inserted, k).toBe(0);
    }
    const after = await caller.analytics.overview({ workspaceId: f.ws.id, ...RANGE });
    expect(after.kpis).toEqual(before.kpis);
    const [n] = await h.db
      .select({ n: sql<number>`count(*)::int` })
      .from(content)
      .where(eq(content.workspaceId, f.ws.id));
    expect(n!.n).toBe(seeded.tables.content.inserted);
  });
});
