import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import type { ResolvedRange } from "../schemas";
import { cur, prev, rows, span } from "./common";

/** Orders and revenue of the period (and the previous one) per currency, most orders first. */
export async function revenueByCurrency(db: Db, workspaceId: string, r: ResolvedRange) {
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
export function mainCurrency(list: { currency: string; orders: number; prev_orders: number }[]) {
  const known = list.filter((c) => c.currency !== "");
  return (
    (known.find((c) => c.orders > 0) ?? known.find((c) => c.prev_orders > 0) ?? known[0])?.currency ?? null
  );
}
