import { type SQL, sql } from "drizzle-orm";
import { cached } from "@/lib/cache";
import type { Db } from "@/server/db";
import { NotFoundError } from "@/server/errors";
import { rowsOf } from "../email/audience";
import {
  eachDay,
  type LeadsInput,
  leadsInput,
  type RangeInput,
  type ResolvedRange,
  rangeInput,
  resolveRange,
} from "./schemas";

/**
 * Dashboard queries. They read only the daily rollups (plus a few small index lookups: campaign
 * names, content titles, what is scheduled next) and never scan raw event tables. Results are
 * cached per workspace for CACHE_TTL_MS; the rollup job invalidates a workspace when it writes it.
 */

export const CACHE_TTL_MS = 60_000;
export const cacheNamespace = (workspaceId: string) => `analytics:${workspaceId}`;

const num = (v: unknown) => Number(v ?? 0);
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

async function rows<T>(db: Db, q: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(q));
}

export interface Freshness {
  rolledUpAt: string | null;
  contentSyncedAt: string | null;
  emailEventAt: string | null;
  leadAt: string | null;
  orderAt: string | null;
}

async function workspaceContext(db: Db, workspaceId: string) {
  const [w] = await rows<{ time_zone: string }>(
    db,
    sql`select time_zone from workspaces where id = ${workspaceId}`,
  );
  if (!w) throw new NotFoundError("Workspace not found");
  return { timeZone: w.time_zone };
}

async function freshness(db: Db, workspaceId: string): Promise<Freshness> {
  const [f] = await rows<Record<string, string | null>>(
    db,
    sql`select rolled_up_at::text as r, content_synced_at::text as c, email_event_at::text as e, lead_at::text as l,
      order_at::text as o from analytics_freshness where workspace_id = ${workspaceId}`,
  );
  const iso = (v: string | null | undefined) => (v ? new Date(v).toISOString() : null);
  return {
    rolledUpAt: iso(f?.r),
    contentSyncedAt: iso(f?.c),
    emailEventAt: iso(f?.e),
    leadAt: iso(f?.l),
    orderAt: iso(f?.o),
  };
}

/** Parses input, resolves the range in the workspace's zone, caches the result. */
async function withRange<I, T>(
  db: Db,
  workspaceId: string,
  name: string,
  parsed: I & { preset: ResolvedRange["preset"]; from?: string; to?: string; compare: boolean },
  compute: (r: ResolvedRange, timeZone: string) => Promise<T>,
  extraKey = "",
): Promise<T & { range: ResolvedRange; timeZone: string; freshness: Freshness }> {
  const { timeZone } = await workspaceContext(db, workspaceId);
  const range = resolveRange(parsed, timeZone);
  const key = `${name}:${range.from}:${range.to}:${range.compare}:${extraKey}`;
  return cached(cacheNamespace(workspaceId), key, CACHE_TTL_MS, async () => {
    const [result, fresh] = await Promise.all([compute(range, timeZone), freshness(db, workspaceId)]);
    return { ...result, range, timeZone, freshness: fresh };
  });
}

const span = (r: ResolvedRange) => (r.compare ? { lo: r.previous.from, hi: r.to } : { lo: r.from, hi: r.to });
const cur = (r: ResolvedRange) => sql`day between ${r.from}::date and ${r.to}::date`;
const prev = (r: ResolvedRange) => sql`day between ${r.previous.from}::date and ${r.previous.to}::date`;

export interface Kpi {
  value: number;
  previous: number | null;
}
const kpi = (value: number, previous: number, r: ResolvedRange): Kpi => ({
  value,
  previous: r.compare ? previous : null,
});

async function revenueByCurrency(db: Db, workspaceId: string, r: ResolvedRange) {
  const s = span(r);
  return rows<{ currency: string; cur: string; prev: string; orders: number; prev_orders: number }>(
    db,
    sql`select currency,
      coalesce(sum(revenue) filter (where ${cur(r)}), 0)::numeric(18,2)::text as cur,
      coalesce(sum(revenue) filter (where ${prev(r)}), 0)::numeric(18,2)::text as prev,
      coalesce(sum(orders) filter (where ${cur(r)}), 0)::float8 as orders,
      coalesce(sum(orders) filter (where ${prev(r)}), 0)::float8 as prev_orders
    from rollup_orders_daily
    where workspace_id = ${workspaceId} and day between ${s.lo}::date and ${s.hi}::date
    group by currency order by sum(orders) filter (where ${cur(r)}) desc nulls last, currency`,
  );
}

/** The currency most orders of the period are in (revenue figures are never summed across currencies). */
function mainCurrency(list: { currency: string; orders: number; prev_orders: number }[]) {
  const known = list.filter((c) => c.currency !== "");
  return (
    (known.find((c) => c.orders > 0) ?? known.find((c) => c.prev_orders > 0) ?? known[0])?.currency ?? null
  );
}

// ───────────────────────────── overview ─────────────────────────────

export async function getOverview(db: Db, workspaceId: string, input: RangeInput) {
  const parsed = rangeInput.parse(input);
  return withRange(db, workspaceId, "overview", parsed, async (r) => {
    const s = span(r);
    const contentQ = rows<Record<string, number>>(
      db,
      sql`select coalesce(sum(views) filter (where ${cur(r)}), 0)::float8 as views,
        coalesce(sum(views) filter (where ${prev(r)}), 0)::float8 as prev_views,
        coalesce(sum(published) filter (where ${cur(r)}), 0)::float8 as published,
        coalesce(sum(published) filter (where ${prev(r)}), 0)::float8 as prev_published
      from rollup_content_daily where workspace_id = ${workspaceId} and day between ${s.lo}::date and ${s.hi}::date`,
    );
    const leadsQ = rows<Record<string, number>>(
      db,
      sql`select coalesce(sum(leads) filter (where ${cur(r)}), 0)::float8 as leads,
        coalesce(sum(leads) filter (where ${prev(r)}), 0)::float8 as prev_leads
      from rollup_leads_daily where workspace_id = ${workspaceId} and day between ${s.lo}::date and ${s.hi}::date`,
    );
    const emailQ = rows<Record<string, number>>(
      db,
      sql`select coalesce(sum(sent) filter (where ${cur(r)}), 0)::float8 as sent,
        coalesce(sum(sent) filter (where ${prev(r)}), 0)::float8 as prev_sent,
        coalesce(sum(unique_opens) filter (where ${cur(r)}), 0)::float8 as opens,
        coalesce(sum(unique_opens) filter (where ${prev(r)}), 0)::float8 as prev_opens,
        coalesce(sum(unique_clicks) filter (where ${cur(r)}), 0)::float8 as clicks,
        coalesce(sum(unique_clicks) filter (where ${prev(r)}), 0)::float8 as prev_clicks
      from rollup_email_day where workspace_id = ${workspaceId} and day between ${s.lo}::date and ${s.hi}::date`,
    );
    const window = await leaderboardWindow(db, workspaceId, r);
    const topViewsQ = topContent(db, workspaceId, r, "views", 5, window);
    const topRevenueQ = topContent(db, workspaceId, r, "revenue", 5, window);
    const [[content], [leads], [email], currencies, topByViews, topByRevenue] = await Promise.all([
      contentQ,
      leadsQ,
      emailQ,
      revenueByCurrency(db, workspaceId, r),
      topViewsQ,
      topRevenueQ,
    ]);
    const currency = mainCurrency(currencies);
    const main = currencies.find((c) => c.currency === currency);
    const orders = currencies.reduce((a, c) => a + c.orders, 0);
    const prevOrders = currencies.reduce((a, c) => a + c.prev_orders, 0);

    const seriesRows = await rows<{
      day: string;
      views: number;
      leads: number;
      revenue: string;
      opens: number;
    }>(
      db,
      sql`select day::text as day, sum(views)::float8 as views, sum(leads)::float8 as leads,
          sum(revenue)::numeric(18,2)::text as revenue, sum(opens)::float8 as opens
        from (
          select day, views, 0 as leads, 0::numeric as revenue, 0 as opens from rollup_content_daily
            where workspace_id = ${workspaceId} and ${cur(r)}
          union all
          select day, 0, leads, 0, 0 from rollup_leads_daily where workspace_id = ${workspaceId} and ${cur(r)}
          union all
          select day, 0, 0, revenue, 0 from rollup_orders_daily
            where workspace_id = ${workspaceId} and ${cur(r)} and currency = ${currency ?? ""}
          union all
          select day, 0, 0, 0, unique_opens from rollup_email_day where workspace_id = ${workspaceId} and ${cur(r)}
        ) x group by day`,
    );
    const byDay = new Map(seriesRows.map((x) => [x.day, x]));
    const series = eachDay(r.from, r.to).map((day) => {
      const x = byDay.get(day);
      return {
        day,
        views: num(x?.views),
        leads: num(x?.leads),
        revenue: Number(x?.revenue ?? 0),
        opens: num(x?.opens),
      };
    });

    return {
      kpis: {
        revenue: {
          currency,
          value: main?.cur ?? "0.00",
          previous: r.compare ? (main?.prev ?? "0.00") : null,
          otherCurrencies: currencies
            .filter((c) => c.currency !== currency && (c.orders > 0 || Number(c.cur) > 0))
            .map((c) => ({ currency: c.currency || null, value: c.cur, orders: c.orders })),
        },
        views: kpi(num(content?.views), num(content?.prev_views), r),
        newLeads: kpi(num(leads?.leads), num(leads?.prev_leads), r),
        conversions: kpi(orders, prevOrders, r),
        openRate: {
          value: ratio(num(email?.opens), num(email?.sent)),
          previous: r.compare ? ratio(num(email?.prev_opens), num(email?.prev_sent)) : null,
          sent: num(email?.sent),
        },
        clickRate: {
          value: ratio(num(email?.clicks), num(email?.sent)),
          previous: r.compare ? ratio(num(email?.prev_clicks), num(email?.prev_sent)) : null,
          sent: num(email?.sent),
        },
        published: kpi(num(content?.published), num(content?.prev_published), r),
      },
      series,
      topByViews,
      topByRevenue,
    };
  });
}

/** Preset lengths the content leaderboards (rollup_content_item_window) are kept for. */
const LEADERBOARD_WINDOWS = [1, 7, 30, 90];

/**
 * The leaderboard window that answers a range exactly: one of the kept lengths, ending on the day the
 * workspace's leaderboards end (its local today when the rollup last ran). Null: sum the item-days.
 */
async function leaderboardWindow(db: Db, workspaceId: string, r: ResolvedRange): Promise<number | null> {
  if (!LEADERBOARD_WINDOWS.includes(r.days)) return null;
  const [f] = await rows<{ as_of: string | null }>(
    db,
    sql`select windows_as_of::text as as_of from analytics_freshness where workspace_id = ${workspaceId}`,
  );
  return f?.as_of === r.to ? r.days : null;
}

async function topContent(
  db: Db,
  workspaceId: string,
  r: ResolvedRange,
  by: "views" | "revenue",
  limit: number,
  window: number | null,
) {
  const source =
    window === null
      ? sql`select content_id, sum(views)::float8 as views, sum(revenue)::numeric(18,2)::text as revenue,
            ${by === "views" ? sql`sum(views)` : sql`sum(revenue)`} as k
          from rollup_content_item_daily
          where workspace_id = ${workspaceId} and ${cur(r)}
          group by content_id
          having ${by === "views" ? sql`sum(views)` : sql`sum(revenue)`} > 0
          order by k desc, content_id
          limit ${limit}`
      : // Qualified names: the index's columns, not the converted output columns of the same name.
        sql`select b.content_id, b.views::float8 as views, b.revenue::numeric(18,2)::text as revenue, b.${sql.raw(by)} as k
          from rollup_content_item_window b
          where b.workspace_id = ${workspaceId} and b.window_days = ${window} and b.${sql.raw(by)} > 0
          order by b.${sql.raw(by)} desc nulls last, b.content_id
          limit ${limit}`;
  const list = await rows<{ id: string; title: string; type: string; views: number; revenue: string }>(
    db,
    sql`select t.content_id::text as id, c.title, c.type, t.views, t.revenue from (${source}) t
      join content c on c.id = t.content_id and c.workspace_id = ${workspaceId}
      order by t.k desc, t.content_id`,
  );
  return list.map((x) => ({ ...x, views: num(x.views) }));
}

/** Scheduled content coming up next (an index lookup on the content table, not cached). */
export async function upcomingContent(db: Db, workspaceId: string, limit = 5) {
  const list = await rows<{ id: string; title: string; type: string; scheduled_at: string }>(
    db,
    sql`select id::text as id, title, type, scheduled_at::text as scheduled_at from content
      where workspace_id = ${workspaceId} and status = 'scheduled' and scheduled_at >= now()
      order by scheduled_at limit ${limit}`,
  );
  return list.map((x) => ({
    id: x.id,
    title: x.title,
    type: x.type,
    scheduledAt: new Date(x.scheduled_at).toISOString(),
  }));
}

// ───────────────────────────── content ─────────────────────────────

const METRICS = ["views", "likes", "shares", "saves", "comments", "clicks", "conversions"] as const;

export async function getContentAnalytics(db: Db, workspaceId: string, input: RangeInput) {
  const parsed = rangeInput.parse(input);
  return withRange(db, workspaceId, "content", parsed, async (r) => {
    const s = span(r);
    const platformsQ = rows<Record<string, number | string>>(
      db,
      sql`select platform,
        ${sql.join(
          METRICS.map(
            (m) => sql`coalesce(sum(${sql.raw(m)}) filter (where ${cur(r)}), 0)::float8 as ${sql.raw(m)}`,
          ),
          sql`, `,
        )},
        coalesce(sum(revenue) filter (where ${cur(r)}), 0)::numeric(18,2)::text as revenue,
        coalesce(sum(published) filter (where ${cur(r)}), 0)::float8 as published,
        coalesce(sum(views) filter (where ${prev(r)}), 0)::float8 as prev_views
      from rollup_content_daily where workspace_id = ${workspaceId} and day between ${s.lo}::date and ${s.hi}::date
      group by platform order by platform`,
    );
    const window = await leaderboardWindow(db, workspaceId, r);
    const itemSums =
      window === null
        ? sql`select content_id::text as id, max(platform) as platform,
              ${sql.join(
                METRICS.map((m) => sql`sum(${sql.raw(m)})::float8 as ${sql.raw(m)}`),
                sql`, `,
              )},
              sum(revenue)::numeric(18,2)::text as revenue
            from rollup_content_item_daily where workspace_id = ${workspaceId} and ${cur(r)}
            group by content_id order by sum(views) desc, content_id limit 200`
        : sql`select b.content_id::text as id, b.platform,
              ${sql.join(
                METRICS.map((m) => sql`b.${sql.raw(m)}::float8 as ${sql.raw(m)}`),
                sql`, `,
              )},
              b.revenue::numeric(18,2)::text as revenue
            from rollup_content_item_window b where b.workspace_id = ${workspaceId} and b.window_days = ${window}
            order by b.views desc nulls last, b.content_id limit 200`;
    const itemsQ = rows<Record<string, number | string>>(
      db,
      sql`select t.*, c.title, c.published_at::text as published_at from (${itemSums}) t
        join content c on c.id = t.id::uuid and c.workspace_id = ${workspaceId}
        order by t.views desc, t.id`,
    );
    const trendQ = rows<{ day: string; platform: string; views: number; engagements: number }>(
      db,
      sql`select day::text as day, platform, views::float8 as views,
          (likes + shares + saves + comments)::float8 as engagements
        from rollup_content_daily where workspace_id = ${workspaceId} and ${cur(r)} order by day`,
    );
    const [platforms, items, trend] = await Promise.all([platformsQ, itemsQ, trendQ]);
    const platformNames = [
      ...new Set(trend.map((t) => t.platform).concat(platforms.map((p) => String(p.platform)))),
    ].sort();
    const byDay = new Map<string, Record<string, number | string>>();
    for (const d of eachDay(r.from, r.to)) {
      const row: Record<string, number | string> = { day: d };
      for (const p of platformNames) row[p] = 0;
      byDay.set(d, row);
    }
    for (const t of trend) {
      const row = byDay.get(t.day);
      if (row) row[t.platform] = num(row[t.platform]) + num(t.views);
    }
    const engagementRate = (x: Record<string, number | string>) =>
      ratio(num(x.likes) + num(x.shares) + num(x.saves) + num(x.comments), num(x.views));
    return {
      platforms: platforms.map((p) => ({
        platform: String(p.platform),
        ...Object.fromEntries(METRICS.map((m) => [m, num(p[m])])),
        revenue: String(p.revenue),
        published: num(p.published),
        previousViews: r.compare ? num(p.prev_views) : null,
        engagementRate: engagementRate(p),
      })) as ContentRow[],
      items: items.map((x) => ({
        id: String(x.id),
        title: String(x.title),
        platform: String(x.platform),
        publishedAt: x.published_at ? new Date(String(x.published_at)).toISOString() : null,
        ...Object.fromEntries(METRICS.map((m) => [m, num(x[m])])),
        revenue: String(x.revenue),
        engagementRate: engagementRate(x),
      })) as (ContentRow & { id: string; title: string; publishedAt: string | null })[],
      platformNames,
      trend: [...byDay.values()],
    };
  });
}

export type ContentRow = {
  platform: string;
  views: number;
  likes: number;
  shares: number;
  saves: number;
  comments: number;
  clicks: number;
  conversions: number;
  revenue: string;
  engagementRate: number | null;
  published?: number;
  previousViews?: number | null;
};

// ───────────────────────────── email ─────────────────────────────

const EMAIL_COLS = [
  "sent",
  "delivered_events",
  "opens",
  "unique_opens",
  "clicks",
  "unique_clicks",
  "unsubscribes",
  "bounces",
  "complaints",
] as const;

function emailFigures(x: Record<string, unknown>) {
  const sent = num(x.sent);
  const bounces = num(x.bounces);
  // SMTP acceptance is the delivery signal we have (as in campaign reports); a later bounce takes it back.
  const delivered = Math.max(num(x.delivered_events), sent - bounces);
  return {
    sent,
    delivered,
    opens: num(x.opens),
    uniqueOpens: num(x.unique_opens),
    clicks: num(x.clicks),
    uniqueClicks: num(x.unique_clicks),
    unsubscribes: num(x.unsubscribes),
    bounces,
    complaints: num(x.complaints),
    openRate: ratio(num(x.unique_opens), sent),
    clickRate: ratio(num(x.unique_clicks), sent),
    complaintRate: ratio(num(x.complaints), sent),
  };
}

const emailSums = (where: SQL) =>
  sql.join(
    EMAIL_COLS.map(
      (c) => sql`coalesce(sum(${sql.raw(c)}) filter (where ${where}), 0)::float8 as ${sql.raw(c)}`,
    ),
    sql`, `,
  );

export async function getEmailAnalytics(db: Db, workspaceId: string, input: RangeInput) {
  const parsed = rangeInput.parse(input);
  return withRange(db, workspaceId, "email", parsed, async (r) => {
    const s = span(r);
    const totalsQ = rows<Record<string, number>>(
      db,
      sql`select ${emailSums(cur(r))} from rollup_email_day
        where workspace_id = ${workspaceId} and day between ${s.lo}::date and ${s.hi}::date`,
    );
    const previousQ = rows<Record<string, number>>(
      db,
      sql`select ${emailSums(prev(r))} from rollup_email_day
        where workspace_id = ${workspaceId} and day between ${s.lo}::date and ${s.hi}::date`,
    );
    const campaignsQ = rows<Record<string, unknown>>(
      db,
      sql`select t.*, c.name, c.status from (
          select campaign_id::text as id, ${emailSums(sql`true`)}
          from rollup_email_daily where workspace_id = ${workspaceId} and ${cur(r)}
          group by campaign_id
        ) t join email_campaigns c on c.id = t.id::uuid and c.workspace_id = ${workspaceId}
        order by t.sent desc, c.name`,
    );
    const daysQ = rows<Record<string, unknown>>(
      db,
      sql`select day::text as day, ${emailSums(sql`true`)} from rollup_email_day
        where workspace_id = ${workspaceId} and ${cur(r)} group by day`,
    );
    const [[totals], [previous], campaigns, days] = await Promise.all([
      totalsQ,
      previousQ,
      campaignsQ,
      daysQ,
    ]);
    const byDay = new Map(days.map((d) => [String(d.day), d]));
    return {
      totals: emailFigures(totals ?? {}),
      previous: r.compare ? emailFigures(previous ?? {}) : null,
      campaigns: campaigns.map((c) => ({
        id: String(c.id),
        name: String(c.name),
        status: String(c.status),
        ...emailFigures(c),
      })),
      trend: eachDay(r.from, r.to).map((day) => {
        const f = emailFigures(byDay.get(day) ?? {});
        return {
          day,
          sent: f.sent,
          uniqueOpens: f.uniqueOpens,
          uniqueClicks: f.uniqueClicks,
          bounces: f.bounces,
        };
      }),
    };
  });
}

// ───────────────────────────── leads ─────────────────────────────

export async function getLeadsAnalytics(db: Db, workspaceId: string, input: LeadsInput) {
  const parsed = leadsInput.parse(input);
  return withRange(
    db,
    workspaceId,
    "leads",
    parsed,
    async (r) => {
      const s = span(r);
      const totalsQ = rows<{ leads: number; prev: number }>(
        db,
        sql`select coalesce(sum(leads) filter (where ${cur(r)}), 0)::float8 as leads,
          coalesce(sum(leads) filter (where ${prev(r)}), 0)::float8 as prev
        from rollup_leads_daily where workspace_id = ${workspaceId} and day between ${s.lo}::date and ${s.hi}::date`,
      );
      const bucket =
        parsed.granularity === "day"
          ? sql`day`
          : parsed.granularity === "week"
            ? sql`date_trunc('week', day)::date`
            : sql`date_trunc('month', day)::date`;
      const growthQ = rows<{ bucket: string; leads: number }>(
        db,
        sql`select ${bucket}::text as bucket, sum(leads)::float8 as leads from rollup_leads_daily
          where workspace_id = ${workspaceId} and ${cur(r)} group by 1`,
      );
      const bySourceQ = rows<{ source: string; leads: number }>(
        db,
        sql`select source, sum(leads)::float8 as leads from rollup_leads_daily
          where workspace_id = ${workspaceId} and ${cur(r)} group by source order by 2 desc, 1`,
      );
      const byTagQ = rows<{ tag: string; leads: number }>(
        db,
        sql`select tag, sum(leads)::float8 as leads from rollup_lead_tags_daily
          where workspace_id = ${workspaceId} and ${cur(r)} group by tag order by 2 desc, 1 limit 100`,
      );
      const statusMixQ = rows<{ status: string; leads: number }>(
        db,
        sql`select status, sum(leads)::float8 as leads from rollup_leads_daily
          where workspace_id = ${workspaceId} and ${cur(r)} group by status order by 2 desc, 1`,
      );
      const [[totals], growth, bySource, byTag, statusMix] = await Promise.all([
        totalsQ,
        growthQ,
        bySourceQ,
        byTagQ,
        statusMixQ,
      ]);
      const growthMap = new Map(growth.map((g) => [g.bucket, num(g.leads)]));
      const buckets: string[] = [];
      for (const d of eachDay(r.from, r.to)) {
        const b =
          parsed.granularity === "day"
            ? d
            : parsed.granularity === "month"
              ? `${d.slice(0, 8)}01`
              : mondayOf(d);
        if (buckets[buckets.length - 1] !== b) buckets.push(b);
      }
      let running = 0;
      const series = buckets.map((b) => {
        const n = growthMap.get(b) ?? 0;
        running += n;
        return { bucket: b, leads: n, cumulative: running };
      });
      return {
        granularity: parsed.granularity,
        totals: { leads: num(totals?.leads), previous: r.compare ? num(totals?.prev) : null },
        series,
        bySource: bySource.map((x) => ({ source: x.source || null, leads: num(x.leads) })),
        byTag: byTag.map((x) => ({ tag: x.tag, leads: num(x.leads) })),
        statusMix: statusMix.map((x) => ({ status: x.status, leads: num(x.leads) })),
      };
    },
    parsed.granularity,
  );
}

function mondayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - dow);
  return d.toISOString().slice(0, 10);
}

// ───────────────────────────── revenue ─────────────────────────────

export async function getRevenueAnalytics(db: Db, workspaceId: string, input: RangeInput) {
  const parsed = rangeInput.parse(input);
  return withRange(db, workspaceId, "revenue", parsed, async (r) => {
    const channelsQ = rows<{
      channel: string;
      currency: string;
      orders: number;
      revenue: string;
      aov: string | null;
    }>(
      db,
      sql`select channel, currency, sum(orders)::float8 as orders, sum(revenue)::numeric(18,2)::text as revenue,
          case when sum(orders) > 0 then round(sum(revenue) / sum(orders), 2)::text end as aov
        from rollup_orders_daily where workspace_id = ${workspaceId} and ${cur(r)}
        group by channel, currency order by sum(revenue) desc, channel, currency`,
    );
    const daysQ = rows<{ day: string; currency: string; orders: number; revenue: string }>(
      db,
      sql`select day::text as day, currency, sum(orders)::float8 as orders, sum(revenue)::numeric(18,2)::text as revenue
        from rollup_orders_daily where workspace_id = ${workspaceId} and ${cur(r)}
        group by day, currency`,
    );
    const attributedQ = rows<{ revenue: string; conversions: number }>(
      db,
      sql`select coalesce(sum(revenue), 0)::numeric(18,2)::text as revenue, coalesce(sum(conversions), 0)::float8 as conversions
        from rollup_content_daily where workspace_id = ${workspaceId} and ${cur(r)}`,
    );
    const [currencies, channels, allDays, [attributed]] = await Promise.all([
      revenueByCurrency(db, workspaceId, r),
      channelsQ,
      daysQ,
      attributedQ,
    ]);
    const currency = mainCurrency(currencies);
    const byDay = new Map(allDays.filter((d) => d.currency === (currency ?? "")).map((d) => [d.day, d]));
    const main = currencies.find((c) => c.currency === currency);
    return {
      currency,
      totals: {
        revenue: main?.cur ?? "0.00",
        previousRevenue: r.compare ? (main?.prev ?? "0.00") : null,
        orders: num(main?.orders),
        previousOrders: r.compare ? num(main?.prev_orders) : null,
        averageOrderValue: main && main.orders > 0 ? (Number(main.cur) / main.orders).toFixed(2) : null,
      },
      byCurrency: currencies
        .filter((c) => c.orders > 0)
        .map((c) => ({ currency: c.currency || null, orders: c.orders, revenue: c.cur })),
      channels: channels.map((c) => ({
        channel: c.channel,
        currency: c.currency || null,
        orders: num(c.orders),
        revenue: c.revenue,
        averageOrderValue: c.aov,
      })),
      contentAttributed: {
        revenue: attributed?.revenue ?? "0.00",
        conversions: num(attributed?.conversions),
      },
      trend: eachDay(r.from, r.to).map((day) => ({
        day,
        orders: num(byDay.get(day)?.orders),
        revenue: Number(byDay.get(day)?.revenue ?? 0),
      })),
    };
  });
}

// ───────────────────────────── funnel ─────────────────────────────

/**
 * Views → clicks → leads → customers (orders) → revenue for the period, in total and by channel.
 * A channel is a content platform, a lead source or an order channel, matched by name
 * (case-insensitive): "tiktok" views, leads whose source is "tiktok", orders on channel "tiktok".
 */
export async function getFunnel(db: Db, workspaceId: string, input: RangeInput) {
  const parsed = rangeInput.parse(input);
  return withRange(db, workspaceId, "funnel", parsed, async (r) => {
    const currencies = await revenueByCurrency(db, workspaceId, r);
    const currency = mainCurrency(currencies);
    const list = await rows<{
      channel: string;
      views: number;
      clicks: number;
      leads: number;
      customers: number;
      revenue: string;
    }>(
      db,
      sql`select channel, sum(views)::float8 as views, sum(clicks)::float8 as clicks, sum(leads)::float8 as leads,
          sum(customers)::float8 as customers, sum(revenue)::numeric(18,2)::text as revenue
        from (
          select lower(platform) as channel, views, clicks, 0 as leads, 0 as customers, 0::numeric as revenue
            from rollup_content_daily where workspace_id = ${workspaceId} and ${cur(r)}
          union all
          select lower(coalesce(nullif(source, ''), 'unknown')), 0, 0, leads, 0, 0
            from rollup_leads_daily where workspace_id = ${workspaceId} and ${cur(r)}
          union all
          select lower(channel), 0, 0, 0, orders, case when currency = ${currency ?? ""} then revenue else 0 end
            from rollup_orders_daily where workspace_id = ${workspaceId} and ${cur(r)}
        ) x group by channel order by sum(views) desc, sum(leads) desc, channel`,
    );
    const channels = list.map((c) => ({
      channel: c.channel,
      views: num(c.views),
      clicks: num(c.clicks),
      leads: num(c.leads),
      customers: num(c.customers),
      revenue: c.revenue,
    }));
    const total = channels.reduce(
      (a, c) => ({
        views: a.views + c.views,
        clicks: a.clicks + c.clicks,
        leads: a.leads + c.leads,
        customers: a.customers + c.customers,
      }),
      { views: 0, clicks: 0, leads: 0, customers: 0 },
    );
    return {
      currency,
      total: { ...total, revenue: currencies.find((c) => c.currency === currency)?.cur ?? "0.00" },
      steps: [
        { step: "Views", value: total.views },
        { step: "Clicks", value: total.clicks },
        { step: "Leads", value: total.leads },
        { step: "Customers", value: total.customers },
      ],
      channels,
    };
  });
}
