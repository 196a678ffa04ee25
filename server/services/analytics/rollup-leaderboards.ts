import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { rowsOf } from "@/server/db/raw-rows";

/**
 * The top-content leaderboards (rollup_content_item_window): each item's 1/7/30/90-day sums ending
 * on the workspace's local today, kept current by the deltas of the item-days a rollup run rewrites
 * and rebuilt when the day changes (see ./rollup).
 */

const WINDOWS = sql.raw("(values (1), (7), (30), (90)) win(n)");

const WINDOW_SUMS = sql.raw(
  "sum(views), sum(likes), sum(shares), sum(saves), sum(comments), sum(clicks), sum(conversions), sum(revenue)",
);

/**
 * The content leaderboards (rollup_content_item_window). A workspace whose windows still end on its
 * local today gets the difference of the item-days this run rewrote; any other (its day has turned,
 * or a full run) has its windows rebuilt from the item rollup.
 */
export async function updateLeaderboards(db: Db, full: boolean) {
  const [delta] = rowsOf<{ any: boolean }>(
    await db.execute(sql`select exists (select 1 from analytics_item_delta) as any`),
  );
  if (delta?.any) await applyLeaderboardDelta(db);
  await rebuildLeaderboards(db, full);
}

/** Adds what this run's rewritten item-days changed to the windows (still ending today) that hold them. */
async function applyLeaderboardDelta(db: Db) {
  await db.execute(sql`
    insert into rollup_content_item_window as r (workspace_id, window_days, content_id, platform, days, views, likes,
      shares, saves, comments, clicks, conversions, revenue)
    select d.ws, win.n, d.content_id, coalesce(max(d.platform) filter (where d.sign > 0), max(d.platform)),
      sum(d.sign), ${WINDOW_SUMS}
    from analytics_item_delta d
    join analytics_freshness f on f.workspace_id = d.ws
    join workspaces w on w.id = d.ws
    cross join ${WINDOWS}
    where f.windows_as_of = (now() at time zone w.time_zone)::date
      and d.day between f.windows_as_of - (win.n - 1) and f.windows_as_of
    group by d.ws, win.n, d.content_id
    having sum(d.sign) <> 0 or sum(d.views) <> 0 or sum(d.likes) <> 0 or sum(d.shares) <> 0 or sum(d.saves) <> 0
      or sum(d.comments) <> 0 or sum(d.clicks) <> 0 or sum(d.conversions) <> 0 or sum(d.revenue) <> 0
    on conflict (workspace_id, window_days, content_id) do update set platform = excluded.platform,
      days = r.days + excluded.days, views = r.views + excluded.views, likes = r.likes + excluded.likes,
      shares = r.shares + excluded.shares, saves = r.saves + excluded.saves, comments = r.comments + excluded.comments,
      clicks = r.clicks + excluded.clicks, conversions = r.conversions + excluded.conversions,
      revenue = r.revenue + excluded.revenue`);
  // Items left with no item-day in a window drop out of it (primary-key lookups, not a scan).
  await db.execute(sql`
    delete from rollup_content_item_window r
    using (select distinct ws, content_id from analytics_item_delta) d cross join ${WINDOWS}
    where r.workspace_id = d.ws and r.window_days = win.n and r.content_id = d.content_id and r.days <= 0`);
}

/** Rebuilds the windows of workspaces whose local day has turned since they were built (all: full run). */
async function rebuildLeaderboards(db: Db, full: boolean) {
  await db.execute(sql`
    create temp table if not exists analytics_window_rebuild (ws uuid not null, today date not null) on commit drop`);
  await db.execute(sql`truncate analytics_window_rebuild`);
  await db.execute(sql`
    insert into analytics_window_rebuild (ws, today)
    select f.workspace_id, (now() at time zone w.time_zone)::date
    from analytics_freshness f join workspaces w on w.id = f.workspace_id
    where ${full ? sql`true` : sql`f.windows_as_of is distinct from (now() at time zone w.time_zone)::date`}`);
  const [todo] = rowsOf<{ any: boolean }>(
    await db.execute(sql`select exists (select 1 from analytics_window_rebuild) as any`),
  );
  if (!todo?.any) return;
  if (!full) {
    await db.execute(sql`
      delete from rollup_content_item_window r using analytics_window_rebuild x where r.workspace_id = x.ws`);
  }
  await db.execute(sql`
    insert into rollup_content_item_window (workspace_id, window_days, content_id, platform, days, views, likes,
      shares, saves, comments, clicks, conversions, revenue)
    select r.workspace_id, win.n, r.content_id, max(r.platform), count(*), ${WINDOW_SUMS}
    from analytics_window_rebuild x
    join rollup_content_item_daily r on r.workspace_id = x.ws and r.day between x.today - 89 and x.today
    cross join ${WINDOWS}
    where r.day >= x.today - (win.n - 1)
    group by r.workspace_id, win.n, r.content_id`);
  await db.execute(sql`
    update analytics_freshness f set windows_as_of = x.today from analytics_window_rebuild x
    where f.workspace_id = x.ws`);
}
