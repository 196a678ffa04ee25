import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { eachDay, type RangeInput, rangeInput } from "../schemas";
import { cur, kpi, num, prev, ratio, rows, span, withRange } from "./common";
import { mainCurrency, revenueByCurrency } from "./revenue-by-currency";
import { leaderboardWindow, topContent } from "./top-content";

/** The overview page: KPIs against the previous period, a daily series and the top content. */
export async function getOverview(db: Db, workspaceId: string, input: RangeInput) {
  const parsed = rangeInput.parse(input);
  return withRange(db, workspaceId, "overview", parsed, async (r, timeZone) => {
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
    // Views and engagement per platform (TikTok, YouTube, Instagram, blog…), busiest first.
    const platformsQ = rows<{ platform: string; views: number; engagements: number; prev_views: number }>(
      db,
      sql`select platform,
        coalesce(sum(views) filter (where ${cur(r)}), 0)::float8 as views,
        coalesce(sum(likes + comments + shares + saves) filter (where ${cur(r)}), 0)::float8 as engagements,
        coalesce(sum(views) filter (where ${prev(r)}), 0)::float8 as prev_views
      from rollup_content_daily where workspace_id = ${workspaceId} and day between ${s.lo}::date and ${s.hi}::date
      group by platform order by 2 desc, platform`,
    );
    const window = await leaderboardWindow(db, workspaceId, r);
    const topViewsQ = topContent(db, workspaceId, r, "views", 5, window);
    const [[content], [leads], [email], currencies, topByViews, platformRows] = await Promise.all([
      contentQ,
      leadsQ,
      emailQ,
      revenueByCurrency(db, workspaceId, r),
      topViewsQ,
      platformsQ,
    ]);
    const currency = mainCurrency(currencies);
    const [topByRevenue, [credited]] = await Promise.all([
      topContent(db, workspaceId, r, "revenue", 5, window, { timeZone, currency }),
      // The part of the period's revenue that orders credited to posts, links and emails brought.
      rows<{ revenue: string; orders: number }>(
        db,
        sql`select coalesce(sum(o.total), 0)::numeric(18,2)::text as revenue, count(*)::float8 as orders
          from orders o
          where o.workspace_id = ${workspaceId}
            and o.purchase_date >= (${r.from}::date::timestamp at time zone ${timeZone})
            and o.purchase_date < ((${r.to}::date + 1)::timestamp at time zone ${timeZone})
            and coalesce(o.currency, '') = ${currency ?? ""} and lower(o.status) not in ('canceled', 'cancelled')
            and exists (select 1 from order_credits c where c.order_id = o.id)`,
      ),
    ]);
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
          credited: { revenue: credited?.revenue ?? "0.00", orders: num(credited?.orders) },
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
      platforms: platformRows
        .filter((p) => num(p.views) > 0 || num(p.engagements) > 0 || num(p.prev_views) > 0)
        .map((p) => ({
          platform: p.platform,
          views: kpi(num(p.views), num(p.prev_views), r),
          engagements: num(p.engagements),
        })),
      topByViews,
      topByRevenue,
    };
  });
}
