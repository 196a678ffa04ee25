import "server-only";
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { type AttributionFigures, amazonAttributionSummary } from "../../integrations/amazon-ads/summary";
import { type RangeInput, type ResolvedRange, rangeInput } from "../schemas";
import { cur, num, ratio, rows, withRange } from "./common";

/*
 * What the marketing earned, from the order credits (services/attribution): each order's revenue in
 * exact cents on the touches it is credited to, and its count shared between them (1/shares each —
 * fractional under the linear model, shown with two decimals). Cancelled orders earn nothing. Figures
 * are in the period's main currency (never summed across currencies); orders in others are counted
 * in `otherCurrencyOrders`.
 */

/** The period as instants: from the first local day's midnight to the midnight after the last. */
const periodOf = (r: ResolvedRange, timeZone: string) => ({
  lo: sql`(${r.from}::date::timestamp at time zone ${timeZone})`,
  hi: sql`((${r.to}::date + 1)::timestamp at time zone ${timeZone})`,
});

/** The credits of the period's live orders in `currency`, as a subquery `c`. */
export function credits(
  workspaceId: string,
  r: ResolvedRange,
  timeZone: string,
  currency: string | null,
): SQL {
  const p = periodOf(r, timeZone);
  return sql`(select c.*, 1::numeric / c.shares as share
    from order_credits c
    join orders o on o.id = c.order_id
    where c.workspace_id = ${workspaceId} and c.purchased_at >= ${p.lo} and c.purchased_at < ${p.hi}
      and coalesce(c.currency, '') = ${currency ?? ""} and lower(o.status) not in ('canceled', 'cancelled'))`;
}

/**
 * The period's live orders per currency, most orders first, read from the orders themselves (not the
 * rollups): credits are written as orders arrive, and must show before the next rollup runs.
 */
async function ordersByCurrency(db: Db, workspaceId: string, r: ResolvedRange, timeZone: string) {
  const p = periodOf(r, timeZone);
  return rows<{ currency: string; orders: number }>(
    db,
    sql`select currency, count(*)::float8 as orders from orders
      where workspace_id = ${workspaceId} and purchase_date >= ${p.lo} and purchase_date < ${p.hi}
        and currency is not null and lower(status) not in ('canceled', 'cancelled')
      group by currency order by count(*) desc, currency`,
  );
}

export interface CreditedFigures {
  orders: number;
  revenue: string;
}

const figures = (x: { orders: unknown; revenue: string | null } | undefined): CreditedFigures => ({
  orders: Math.round(num(x?.orders) * 100) / 100,
  revenue: x?.revenue ?? "0.00",
});

/**
 * Revenue, orders and conversion rate per post, per platform, per campaign and per step; the
 * funnel views → clicks → leads → orders; and how much of the period's revenue is credited at all.
 */
export async function getAttribution(db: Db, workspaceId: string, input: RangeInput) {
  const parsed = rangeInput.parse(input);
  return withRange(db, workspaceId, "attribution", parsed, async (r, timeZone) => {
    const currencies = await ordersByCurrency(db, workspaceId, r, timeZone);
    const currency = currencies[0]?.currency ?? null;
    const c = credits(workspaceId, r, timeZone, currency);
    const p = periodOf(r, timeZone);
    const [totalsQ, postsQ, platformsQ, campaignsQ, stepsQ, funnelQ, amazon] = await Promise.all([
      rows<{
        orders: number;
        revenue: string | null;
        credited_orders: number;
        credited_revenue: string | null;
      }>(
        db,
        sql`select count(*)::float8 as orders, sum(o.total)::numeric(18,2)::text as revenue,
            count(*) filter (where exists (select 1 from order_credits x where x.order_id = o.id))::float8 as credited_orders,
            sum(o.total) filter (where exists (select 1 from order_credits x where x.order_id = o.id))::numeric(18,2)::text as credited_revenue
          from orders o
          where o.workspace_id = ${workspaceId} and o.purchase_date >= ${p.lo} and o.purchase_date < ${p.hi}
            and coalesce(o.currency, '') = ${currency ?? ""} and lower(o.status) not in ('canceled', 'cancelled')`,
      ),
      // Per post: its credited orders and revenue, its views in the period, and people's clicks on its links.
      rows<{
        id: string;
        title: string;
        type: string;
        orders: number;
        revenue: string;
        views: number;
        clicks: number;
      }>(
        db,
        sql`with credited as (
            select content_id, sum(share) as orders, sum(revenue) as revenue from ${c} c
            where content_id is not null group by content_id
          ), items as (
            select content_id from credited
            union select content_id from rollup_content_item_daily
              where workspace_id = ${workspaceId} and ${cur(r)} and views > 0
          )
          select i.content_id::text as id, ct.title, ct.type,
            coalesce(cr.orders, 0)::float8 as orders, coalesce(cr.revenue, 0)::numeric(18,2)::text as revenue,
            coalesce((select sum(views) from rollup_content_item_daily d
              where d.workspace_id = ${workspaceId} and d.content_id = i.content_id and ${cur(r)}), 0)::float8 as views,
            coalesce((select sum(k.clicks) from tracked_link_clicks k join tracked_links l on l.id = k.link_id
              where k.workspace_id = ${workspaceId} and l.content_id = i.content_id and k.day between ${r.from}::date and ${r.to}::date), 0)::float8 as clicks
          from items i
          join content ct on ct.id = i.content_id and ct.workspace_id = ${workspaceId}
          left join credited cr on cr.content_id = i.content_id
          order by coalesce(cr.revenue, 0) desc, 6 desc, i.content_id
          limit 50`,
      ),
      rows<{ platform: string; orders: number; revenue: string }>(
        db,
        sql`select ct.type as platform, sum(c.share)::float8 as orders, sum(c.revenue)::numeric(18,2)::text as revenue
          from ${c} c join content ct on ct.id = c.content_id
          group by ct.type order by sum(c.revenue) desc, ct.type`,
      ),
      rows<{ id: string; name: string; orders: number; revenue: string; clicks: number }>(
        db,
        sql`select c.campaign_id::text as id, ec.name, sum(c.share)::float8 as orders,
            sum(c.revenue)::numeric(18,2)::text as revenue,
            coalesce((select count(*) from rollup_email_first f where f.workspace_id = ${workspaceId}
              and f.campaign_id = c.campaign_id and f.type = 'click'
              and f.first_at >= ${p.lo} and f.first_at < ${p.hi}), 0)::float8 as clicks
          from ${c} c join email_campaigns ec on ec.id = c.campaign_id
          group by c.campaign_id, ec.name order by sum(c.revenue) desc, ec.name`,
      ),
      rows<{
        id: string;
        campaign_id: string;
        position: number;
        subject: string;
        orders: number;
        revenue: string;
      }>(
        db,
        sql`select c.campaign_step_id::text as id, s.campaign_id::text, s.position, s.subject,
            sum(c.share)::float8 as orders, sum(c.revenue)::numeric(18,2)::text as revenue
          from ${c} c join campaign_steps s on s.id = c.campaign_step_id
          group by c.campaign_step_id, s.campaign_id, s.position, s.subject
          order by s.campaign_id, s.position`,
      ),
      rows<{ views: number; link_clicks: number; email_clicks: number; leads: number }>(
        db,
        sql`select
            coalesce((select sum(views) from rollup_content_daily where workspace_id = ${workspaceId} and ${cur(r)}), 0)::float8 as views,
            coalesce((select sum(clicks) from tracked_link_clicks where workspace_id = ${workspaceId}
              and day between ${r.from}::date and ${r.to}::date), 0)::float8 as link_clicks,
            coalesce((select sum(unique_clicks) from rollup_email_day where workspace_id = ${workspaceId} and ${cur(r)}), 0)::float8 as email_clicks,
            coalesce((select sum(leads) from rollup_leads_daily where workspace_id = ${workspaceId} and ${cur(r)}), 0)::float8 as leads`,
      ),
      // Amazon Attribution: what Amazon reports the tagged links to Amazon pages sold (its own
      // 14-day click attribution, not orders we see): shown beside, never added to, the credits.
      amazonAttributionSummary(db, workspaceId, { from: r.from, to: r.to }),
    ]);
    const amazonByPost = new Map(amazon.byContent.map((x) => [x.contentId, x]));
    const amazonByStep = new Map(amazon.byCampaignStep.map((x) => [x.campaignStepId, x]));
    const amazonFigures = (x: AttributionFigures | undefined) =>
      x ? { sales: x.sales, purchases: x.purchases, detailPageViews: x.detailPageViews } : null;
    const totals = totalsQ[0];
    const funnel = funnelQ[0];
    const credited = figures({
      orders: totals?.credited_orders,
      revenue: totals?.credited_revenue ?? "0.00",
    });
    const all = figures({ orders: totals?.orders, revenue: totals?.revenue ?? "0.00" });
    const clicks = num(funnel?.link_clicks) + num(funnel?.email_clicks);
    return {
      currency,
      otherCurrencyOrders: currencies
        .filter((x) => x.currency !== currency)
        .reduce((a, x) => a + x.orders, 0),
      totals: {
        ...all,
        credited,
        unattributed: {
          orders: Math.round((all.orders - credited.orders) * 100) / 100,
          revenue: (
            (Math.round(Number(all.revenue) * 100) - Math.round(Number(credited.revenue) * 100)) /
            100
          ).toFixed(2),
        },
      },
      funnel: {
        views: num(funnel?.views),
        clicks,
        linkClicks: num(funnel?.link_clicks),
        emailClicks: num(funnel?.email_clicks),
        leads: num(funnel?.leads),
        orders: credited.orders,
        revenue: credited.revenue,
      },
      posts: [
        ...postsQ.map((x) => {
          const f = figures(x);
          return {
            id: x.id,
            title: x.title,
            platform: x.type,
            views: num(x.views),
            clicks: num(x.clicks),
            ...f,
            conversionRate: ratio(f.orders, num(x.clicks)),
            amazon: amazonFigures(amazonByPost.get(x.id)),
          };
        }),
        // Posts only Amazon's reports name (no credited order, no views in the period).
        ...amazon.byContent
          .filter((x) => !postsQ.some((p) => p.id === x.contentId))
          .map((x) => ({
            id: x.contentId,
            title: x.title,
            platform: x.type,
            views: 0,
            clicks: 0,
            orders: 0,
            revenue: "0.00",
            conversionRate: null,
            amazon: amazonFigures(x),
          })),
      ],
      amazon: amazon.lastSyncAt
        ? { currency: amazon.currency, lastSyncAt: amazon.lastSyncAt, ...amazonFigures(amazon.organic)! }
        : null,
      platforms: platformsQ.map((x) => ({ platform: x.platform, ...figures(x) })),
      campaigns: campaignsQ.map((x) => {
        const f = figures(x);
        return {
          id: x.id,
          name: x.name,
          clicks: num(x.clicks),
          ...f,
          conversionRate: ratio(f.orders, num(x.clicks)),
          steps: stepsQ
            .filter((s) => s.campaign_id === x.id)
            .map((s) => ({
              id: s.id,
              position: s.position,
              subject: s.subject,
              ...figures(s),
              amazon: amazonFigures(amazonByStep.get(s.id)),
            })),
        };
      }),
    };
  });
}

/**
 * What the period's orders credited to each content item and to each platform (content type), in
 * the main currency: the content tab's revenue and conversions come from here.
 */
export async function creditedByContent(db: Db, workspaceId: string, r: ResolvedRange, timeZone: string) {
  const currency = (await ordersByCurrency(db, workspaceId, r, timeZone))[0]?.currency ?? null;
  const list = await rows<{ content_id: string; platform: string; orders: number; revenue: string }>(
    db,
    sql`select c.content_id::text, ct.type as platform, sum(c.share)::float8 as orders,
        sum(c.revenue)::numeric(18,2)::text as revenue
      from ${credits(workspaceId, r, timeZone, currency)} c join content ct on ct.id = c.content_id
      group by c.content_id, ct.type`,
  );
  const items = new Map(list.map((x) => [x.content_id, figures(x)]));
  const platforms = new Map<string, { orders: number; cents: number }>();
  for (const x of list) {
    const p = platforms.get(x.platform) ?? { orders: 0, cents: 0 };
    p.orders += num(x.orders);
    p.cents += Math.round(Number(x.revenue) * 100);
    platforms.set(x.platform, p);
  }
  return {
    items,
    platforms: new Map(
      [...platforms].map(([k, v]) => [
        k,
        { orders: Math.round(v.orders * 100) / 100, revenue: (v.cents / 100).toFixed(2) },
      ]),
    ),
  };
}
