import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { type RangeInput, rangeInput } from "../schemas";
import { cur, num, rows, withRange } from "./common";
import { mainCurrency, revenueByCurrency } from "./revenue-by-currency";

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
