import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { eachDay, type RangeInput, rangeInput } from "../schemas";
import { creditedByContent } from "./attribution";
import { cur, num, rows, withRange } from "./common";
import { mainCurrency, revenueByCurrency } from "./revenue-by-currency";

/** The revenue tab: totals in the main currency, per channel and per day, and what content earned. */
export async function getRevenueAnalytics(db: Db, workspaceId: string, input: RangeInput) {
  const parsed = rangeInput.parse(input);
  return withRange(db, workspaceId, "revenue", parsed, async (r, timeZone) => {
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
    const attributedQ = creditedByContent(db, workspaceId, r, timeZone);
    const [currencies, channels, allDays, attributed] = await Promise.all([
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
      // What orders credited to content brought (services/attribution), in the main currency.
      contentAttributed: {
        revenue: (
          [...attributed.platforms.values()].reduce((a, p) => a + Math.round(Number(p.revenue) * 100), 0) /
          100
        ).toFixed(2),
        conversions:
          Math.round([...attributed.platforms.values()].reduce((a, p) => a + p.orders, 0) * 100) / 100,
      },
      trend: eachDay(r.from, r.to).map((day) => ({
        day,
        orders: num(byDay.get(day)?.orders),
        revenue: Number(byDay.get(day)?.revenue ?? 0),
      })),
    };
  });
}
