import "server-only";
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { rowsOf } from "@/server/db/raw-rows";

/**
 * The top-content leaderboards (rollup_content_item_window): each item's 1/7/30/90-day sums. Every
 * workspace keeps two sets, ending on its local today and on tomorrow, so when its day turns the set
 * for the new day is already there; the rollup run after that builds the next one. Both are kept
 * current by the deltas of the item-days a rollup run rewrites (see ./rollup).
 */

const WINDOW_DAYS = [1, 7, 30, 90];

const WINDOWS = sql.raw(`(values ${WINDOW_DAYS.map((n) => `(${n})`).join(", ")}) win(n)`);

const WINDOW_SUMS = sql.raw(
  "sum(views), sum(likes), sum(shares), sum(saves), sum(comments), sum(clicks), sum(conversions), sum(revenue)",
);

/**
 * Item-days are grouped once into segments of `today - day` (-1 is tomorrow, 89 the oldest day of
 * today's 90-day window) that end at every window's last day in both sets; each (set, window) is then
 * a sum of whole segments. This reads each item-day once instead of once per window and set.
 * ([-1,-1], [0,0], [1,5], [6,6], [7,28], [29,29], [30,88], [89,89] for 1, 7, 30 and 90 days.)
 */
const SEGMENTS: [lo: number, hi: number][] = (() => {
  const ends = [...new Set([0, 1].flatMap((k) => WINDOW_DAYS.map((n) => n - 1 - k)))].sort((a, b) => a - b);
  const out: [number, number][] = [];
  let lo = -1; // every window starts at -k: -1 and 0 are ends too (the 1-day windows), so both start one
  for (const end of ends) {
    out.push([lo, end]);
    lo = end + 1;
  }
  return out;
})();

/** `(k, window, segment)`: set `today + k`'s `window`-day sums take these segments (by their low end). */
const SEGMENTS_OF_WINDOWS = sql.raw(
  `(values ${[0, 1]
    .flatMap((k) =>
      WINDOW_DAYS.flatMap((n) =>
        SEGMENTS.filter(([lo, hi]) => lo >= -k && hi <= n - 1 - k).map(([lo]) => `(${k}, ${n}, ${lo})`),
      ),
    )
    .join(", ")}) m(k, n, seg)`,
);

const SEGMENT_OF = (rel: string) =>
  sql.raw(`case ${SEGMENTS.map(([lo, hi]) => `when ${rel} <= ${hi} then ${lo}`).join(" ")} end`);

/**
 * The statement that writes the sets `wanted` names into `target`: `wanted` is a relation of
 * (ws uuid, today date, k int), one row per set ending `today + k` (k 0 or 1), read from the item
 * rollup `source`; `items` limits the items (a predicate on `r.content_id`).
 */
export function windowSetsStatement(source: SQL, target: SQL, wanted: SQL, items: SQL = sql`true`): SQL {
  return sql`
    insert into ${target} (workspace_id, as_of, window_days, content_id, platform, days, views, likes, shares, saves,
      comments, clicks, conversions, revenue)
    select g.ws, g.today + m.k, m.n, g.content_id, max(g.platform), sum(g.days), ${WINDOW_SUMS}
    from (
      select t.ws, t.today, r.content_id, ${SEGMENT_OF("(t.today - r.day)")} as seg, max(r.platform) as platform,
        count(*) as days, sum(r.views)::bigint as views, sum(r.likes)::bigint as likes,
        sum(r.shares)::bigint as shares, sum(r.saves)::bigint as saves, sum(r.comments)::bigint as comments,
        sum(r.clicks)::bigint as clicks, sum(r.conversions)::bigint as conversions, sum(r.revenue) as revenue
      from (select distinct ws, today from ${wanted} x) t
      join ${source} r on r.workspace_id = t.ws and r.day between t.today - ${sql.raw(String(SEGMENTS.at(-1)![1]))} and t.today + 1
      where ${items}
      group by 1, 2, 3, 4
    ) g
    join ${SEGMENTS_OF_WINDOWS} on m.seg = g.seg
    join ${wanted} x on x.ws = g.ws and x.today = g.today and x.k = m.k
    group by g.ws, g.today, m.k, m.n, g.content_id`;
}

/** Every workspace's today (at `at`, the run's start) and tomorrow: what a full rebuild writes. */
export const ALL_SETS = (at: string) => sql`(
  select w.id as ws, (${at}::timestamptz at time zone w.time_zone)::date as today, k.k
  from workspaces w cross join (values (0), (1)) k(k))`;

/**
 * The content leaderboards, after the item rollup changed: the difference of the item-days this run
 * rewrote goes into the sets that hold them; then any workspace whose day has turned gets its new
 * tomorrow's set (and today's, if it has none), and drops the sets of past days.
 */
export async function updateLeaderboards(db: Db) {
  const [delta] = rowsOf<{ any: boolean }>(
    await db.execute(sql`select exists (select 1 from analytics_item_delta) as any`),
  );
  if (delta?.any) await applyLeaderboardDelta(db);
  await extendLeaderboards(db);
}

/** Adds what this run's rewritten item-days changed to the windows that hold them, in every kept set. */
async function applyLeaderboardDelta(db: Db) {
  await db.execute(sql`
    insert into rollup_content_item_window as r (workspace_id, as_of, window_days, content_id, platform, days, views,
      likes, shares, saves, comments, clicks, conversions, revenue)
    select d.ws, a.as_of, win.n, d.content_id, coalesce(max(d.platform) filter (where d.sign > 0), max(d.platform)),
      sum(d.sign), ${WINDOW_SUMS}
    from analytics_item_delta d
    join analytics_freshness f on f.workspace_id = d.ws
    cross join lateral (
      select f.windows_from as as_of union all select f.windows_as_of where f.windows_as_of > f.windows_from
    ) a
    cross join ${WINDOWS}
    where d.day between a.as_of - (win.n - 1) and a.as_of
    group by d.ws, a.as_of, win.n, d.content_id
    having sum(d.sign) <> 0 or sum(d.views) <> 0 or sum(d.likes) <> 0 or sum(d.shares) <> 0 or sum(d.saves) <> 0
      or sum(d.comments) <> 0 or sum(d.clicks) <> 0 or sum(d.conversions) <> 0 or sum(d.revenue) <> 0
    on conflict (workspace_id, as_of, window_days, content_id) do update set platform = excluded.platform,
      days = r.days + excluded.days, views = r.views + excluded.views, likes = r.likes + excluded.likes,
      shares = r.shares + excluded.shares, saves = r.saves + excluded.saves, comments = r.comments + excluded.comments,
      clicks = r.clicks + excluded.clicks, conversions = r.conversions + excluded.conversions,
      revenue = r.revenue + excluded.revenue`);
  // Items left with no item-day in a window drop out of it (primary-key lookups, not a scan).
  await db.execute(sql`
    delete from rollup_content_item_window r
    using (select distinct ws, content_id from analytics_item_delta) d
    join analytics_freshness f on f.workspace_id = d.ws
    where r.workspace_id = d.ws and r.as_of between f.windows_from and f.windows_as_of
      and r.window_days in (${sql.raw(WINDOW_DAYS.join(", "))}) and r.content_id = d.content_id and r.days <= 0`);
}

/**
 * For every workspace whose sets do not end on its local today and tomorrow: drops the sets of other
 * days and builds the missing ones (normally only tomorrow's, once a day after local midnight).
 */
async function extendLeaderboards(db: Db) {
  await db.execute(sql`
    create temp table if not exists analytics_window_sets (ws uuid not null, today date not null, k int not null)
    on commit drop`);
  await db.execute(sql`truncate analytics_window_sets`);
  await db.execute(sql`
    insert into analytics_window_sets (ws, today, k)
    select f.workspace_id, t.today, k.k
    from analytics_freshness f
    join workspaces w on w.id = f.workspace_id
    cross join lateral (select (now() at time zone w.time_zone)::date as today) t
    cross join (values (0), (1)) k(k)
    where f.windows_as_of is distinct from t.today + 1
      and not coalesce(t.today + k.k between f.windows_from and f.windows_as_of, false)`);
  const [todo] = rowsOf<{ any: boolean }>(
    await db.execute(sql`select exists (select 1 from analytics_window_sets) as any`),
  );
  if (!todo?.any) return;
  await db.execute(sql`
    delete from rollup_content_item_window r
    using (select distinct ws, today from analytics_window_sets) x
    where r.workspace_id = x.ws and (r.as_of < x.today or r.as_of > x.today + 1
      or r.as_of in (select s.today + s.k from analytics_window_sets s where s.ws = x.ws))`);
  await db.execute(
    windowSetsStatement(
      sql`rollup_content_item_daily`,
      sql`rollup_content_item_window`,
      sql`analytics_window_sets`,
    ),
  );
  await db.execute(sql`
    update analytics_freshness f set windows_from = x.today, windows_as_of = x.today + 1
    from (select distinct ws, today from analytics_window_sets) x
    where f.workspace_id = x.ws`);
}
