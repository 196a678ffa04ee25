import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { eachDay, type RangeInput, rangeInput } from "../schemas";
import { creditedByContent } from "./attribution";
import { cur, num, prev, ratio, rows, span, withRange } from "./common";
import { leaderboardWindow } from "./top-content";

const METRICS = ["views", "likes", "shares", "saves", "comments", "clicks", "conversions"] as const;

/**
 * The content tab: figures per platform, per item, and views per platform per day. Views and
 * engagement come from the metric rollups; conversions and revenue from the orders credited to the
 * items in the period (services/attribution).
 */
export async function getContentAnalytics(db: Db, workspaceId: string, input: RangeInput) {
  const parsed = rangeInput.parse(input);
  return withRange(db, workspaceId, "content", parsed, async (r, timeZone) => {
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
            from rollup_content_item_window b
            where b.workspace_id = ${workspaceId} and b.as_of = ${window.asOf}::date and b.window_days = ${window.days}
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
    const [platforms, items, trend, credited] = await Promise.all([
      platformsQ,
      itemsQ,
      trendQ,
      creditedByContent(db, workspaceId, r, timeZone),
    ]);
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
        // What orders credited to the platform's items brought (services/attribution).
        conversions: credited.platforms.get(String(p.platform))?.orders ?? 0,
        revenue: credited.platforms.get(String(p.platform))?.revenue ?? "0.00",
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
        conversions: credited.items.get(String(x.id))?.orders ?? 0,
        revenue: credited.items.get(String(x.id))?.revenue ?? "0.00",
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
