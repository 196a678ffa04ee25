import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import type { ResolvedRange } from "../schemas";
import { cur, num, rows } from "./common";

/** Preset lengths the content leaderboards (rollup_content_item_window) are kept for. */
const LEADERBOARD_WINDOWS = [1, 7, 30, 90];

/** A leaderboard window: its length in days and the local day it ends on. */
export interface LeaderboardWindow {
  days: number;
  asOf: string;
}

/**
 * The leaderboard window that answers a range exactly: one of the kept lengths, ending on a day the
 * workspace keeps a set for (its local today and tomorrow when the rollup last ran, so a range ending
 * on the new day after local midnight still finds one). Null: sum the item-days.
 */
export async function leaderboardWindow(
  db: Db,
  workspaceId: string,
  r: ResolvedRange,
): Promise<LeaderboardWindow | null> {
  if (!LEADERBOARD_WINDOWS.includes(r.days)) return null;
  const [f] = await rows<{ kept: boolean }>(
    db,
    sql`select ${r.to}::date between windows_from and windows_as_of as kept
      from analytics_freshness where workspace_id = ${workspaceId}`,
  );
  return f?.kept ? { days: r.days, asOf: r.to } : null;
}

/**
 * The period's best content items by views (the metric rollups) or by revenue (what orders of the
 * period credited to them: services/attribution, in `currency`; cancelled orders earn nothing).
 */
export async function topContent(
  db: Db,
  workspaceId: string,
  r: ResolvedRange,
  by: "views" | "revenue",
  limit: number,
  window: LeaderboardWindow | null,
  period?: { timeZone: string; currency: string | null },
) {
  if (by === "revenue") return topContentByRevenue(db, workspaceId, r, limit, period!);
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
          where b.workspace_id = ${workspaceId} and b.as_of = ${window.asOf}::date
            and b.window_days = ${window.days} and b.${sql.raw(by)} > 0
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

async function topContentByRevenue(
  db: Db,
  workspaceId: string,
  r: ResolvedRange,
  limit: number,
  p: { timeZone: string; currency: string | null },
) {
  const list = await rows<{ id: string; title: string; type: string; views: number; revenue: string }>(
    db,
    sql`select t.content_id::text as id, c.title, c.type, t.revenue::numeric(18,2)::text as revenue,
        coalesce((select sum(d.views) from rollup_content_item_daily d
          where d.workspace_id = ${workspaceId} and d.content_id = t.content_id and ${cur(r)}), 0)::float8 as views
      from (
        select oc.content_id, sum(oc.revenue) as revenue
        from order_credits oc join orders o on o.id = oc.order_id
        where oc.workspace_id = ${workspaceId} and oc.content_id is not null
          and oc.purchased_at >= (${r.from}::date::timestamp at time zone ${p.timeZone})
          and oc.purchased_at < ((${r.to}::date + 1)::timestamp at time zone ${p.timeZone})
          and coalesce(oc.currency, '') = ${p.currency ?? ""} and lower(o.status) not in ('canceled', 'cancelled')
        group by oc.content_id having sum(oc.revenue) > 0
      ) t
      join content c on c.id = t.content_id and c.workspace_id = ${workspaceId}
      order by t.revenue desc, t.content_id
      limit ${limit}`,
  );
  return list.map((x) => ({ ...x, views: num(x.views) }));
}
