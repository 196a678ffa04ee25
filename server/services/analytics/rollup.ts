import "server-only";
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { rowsOf } from "@/server/db/raw-rows";

/**
 * The analytics rollup: turns history tables (email sends and events, leads, content metric
 * snapshots, orders) into daily rollups per workspace, local day and dimension.
 *
 * How it stays incremental and exact:
 * - Each source has a watermark (the transaction time of the previous run). A run looks for rows
 *   changed since `watermark - OVERLAP` (the overlap catches rows whose transaction started before
 *   the last run but committed after it) and collects the (workspace, local day) buckets they fall
 *   in. Rows are found through (workspace_id, timestamp) indexes, one range scan per workspace.
 * - Every touched bucket is recomputed from scratch (delete + set-based INSERT … SELECT … GROUP BY),
 *   so seeing a row twice never double-counts and a run can be repeated safely.
 * - A full rebuild runs when there is no watermark yet and then once a day, which also picks up what
 *   an incremental scan cannot see (deleted rows, back-dated snapshots). It builds fresh copies of
 *   the tables and swaps them in (./rollup-full): readers keep the old ones meanwhile.
 * - Runs take a transaction-scoped advisory lock; a run that finds another one going skips.
 * - Two derived tables keep every dashboard query small at any size: rollup_email_first (a lead's
 *   first human open/click per campaign, so unique opens never search a lead's history) and
 *   rollup_content_item_window (each item's 1/7/30/90-day sums ending today and tomorrow: the
 *   top-content leaderboards), kept current by the deltas of the item-days a run rewrites.
 */
import { dropLeftoverCopies, type RebuildTimings, rebuildAllRollups } from "./rollup-full";
import { updateLeaderboards } from "./rollup-leaderboards";

const OVERLAP = "2 minutes";

const FULL_EVERY = "24 hours";

const LOCK_KEY = 727_001; // pg advisory lock id of the rollup

export interface RollupResult {
  mode: "full" | "incremental" | "skipped";
  buckets: number;
  workspaceIds: string[];
  ms: number;
  /** A full run: how long each of its tasks took (filling a table's copy, building its indexes). */
  tables?: RebuildTimings;
}

/** Bucket bounds of a touched (workspace, day) row `t` joined with its workspace `w`. */
const LO = sql.raw(`(t.day::timestamp at time zone w.time_zone)`);

const HI = sql.raw(`((t.day + 1)::timestamp at time zone w.time_zone)`);

/**
 * `rebuild`: also recompute every bucket of one workspace from `from` (its local day) to today, with
 * its first touches, in the same incremental way. For rows written back-dated (the demo seed, an
 * import), which a watermark scan cannot see, without a full rebuild of every workspace.
 */
export interface RollupRebuild {
  workspaceId: string;
  from: Date;
}

export async function runAnalyticsRollup(
  db: Db,
  opts: { full?: boolean; wait?: boolean; rebuild?: RollupRebuild } = {},
): Promise<RollupResult> {
  const started = performance.now();
  const result = await db.transaction(async (tx) => {
    const [lock] = rowsOf<{ ok: boolean }>(
      await tx.execute(
        opts.wait
          ? sql`select true as ok from (select pg_advisory_xact_lock(${LOCK_KEY})) l`
          : sql`select pg_try_advisory_xact_lock(${LOCK_KEY}) as ok`,
      ),
    );
    if (!lock?.ok) return { mode: "skipped" as const, buckets: 0, workspaceIds: [] };

    const [wm] = rowsOf<{ watermark: string | null; due_full: boolean }>(
      await tx.execute(sql`
        select (select watermark from analytics_watermarks where source = 'all')::text as watermark,
          coalesce((select full_at < now() - ${FULL_EVERY}::interval from analytics_watermarks where source = 'all'), true) as due_full`),
    );
    const full = opts.full || !wm?.watermark || wm.due_full;

    if (full) {
      const [at] = rowsOf<{ at: string }>(await tx.execute(sql`select now()::text as at`));
      const tables = await rebuildAllRollups(db, tx as unknown as Db, at!.at);
      const workspaceIds = await writeFreshnessAll(tx as unknown as Db, at!.at);
      await writeWatermark(tx as unknown as Db, true);
      return {
        mode: "full" as const,
        buckets: await countBuckets(tx as unknown as Db),
        workspaceIds,
        tables,
      };
    }

    await dropLeftoverCopies(tx as unknown as Db);
    // Batch work: sorts and hash tables stay in memory.
    await tx.execute(sql`set local work_mem = '256MB'`);
    await tx.execute(
      sql`create temp table if not exists analytics_touched (ws uuid not null, day date not null, kind text not null) on commit drop`,
    );
    await tx.execute(sql`truncate analytics_touched`);
    // Item-days the run removes (sign -1) and writes (sign +1): the leaderboards apply their difference.
    await tx.execute(sql`
      create temp table if not exists analytics_item_delta (ws uuid not null, content_id uuid not null,
        day date not null, platform text not null, sign int not null, views bigint not null, likes bigint not null,
        shares bigint not null, saves bigint not null, comments bigint not null, clicks bigint not null,
        conversions bigint not null, revenue numeric not null) on commit drop`);
    await tx.execute(sql`truncate analytics_item_delta`);

    const since = sql`(${wm!.watermark}::timestamptz - ${OVERLAP}::interval)`;
    // 1. Which (workspace, local day) buckets saw new or changed rows.
    await tx.execute(sql`
      insert into analytics_touched (ws, day, kind)
      select distinct w.id, (x.at at time zone w.time_zone)::date, 'email'
      from workspaces w
      cross join lateral (
        select e.created_at as at from email_events e where e.workspace_id = w.id and e.created_at >= ${since}
        union all
        select s.sent_at from email_sends s
        where s.workspace_id = w.id and s.sent_at is not null and s.sent_at >= ${since}
      ) x
      union
      select distinct w.id, (l.created_at at time zone w.time_zone)::date, 'leads'
      from workspaces w
      cross join lateral (
        select created_at from leads l where l.workspace_id = w.id and l.updated_at >= ${since}
      ) l
      union
      select distinct w.id, (x.at at time zone w.time_zone)::date, 'content'
      from workspaces w
      cross join lateral (
        select s.captured_at as at from content_metric_snapshots s
        where s.workspace_id = w.id and s.captured_at >= ${since}
      ) x
      union
      select distinct c.workspace_id, (c.published_at at time zone w.time_zone)::date, 'content'
      from content c join workspaces w on w.id = c.workspace_id
      where c.published_at is not null and c.updated_at >= ${since}
      union
      select distinct o.workspace_id, (o.purchase_date at time zone w.time_zone)::date, 'orders'
      from orders o join workspaces w on w.id = o.workspace_id
      where o.updated_at >= ${since}`);

    // First human opens/clicks; a back-dated one also touches the day the old first one was on.
    await updateFirstTouches(tx as unknown as Db, since);
    if (opts.rebuild) await touchRebuild(tx as unknown as Db, opts.rebuild);
    await tx.execute(sql`analyze analytics_touched`); // temp tables get no statistics otherwise
    const [counted] = rowsOf<{ n: number }>(
      await tx.execute(sql`select count(*)::int as n from analytics_touched`),
    );
    const touchedAll = Number(counted?.n ?? 0);

    if (touchedAll > 0) {
      for (const table of [
        ["rollup_email_daily", "email"],
        ["rollup_email_day", "email"],
        ["rollup_leads_daily", "leads"],
        ["rollup_lead_tags_daily", "leads"],
        ["rollup_content_daily", "content"],
        ["rollup_orders_daily", "orders"],
      ] as const) {
        await tx.execute(sql`
          delete from ${sql.raw(table[0])} r using analytics_touched t
          where t.kind = ${table[1]} and r.workspace_id = t.ws and r.day = t.day`);
      }
      await tx.execute(sql`
        with gone as (
          delete from rollup_content_item_daily r using analytics_touched t
          where t.kind = 'content' and r.workspace_id = t.ws and r.day = t.day
          returning r.*)
        insert into analytics_item_delta
        select workspace_id, content_id, day, platform, -1, -views, -likes, -shares, -saves, -comments, -clicks,
          -conversions, -revenue from gone`);
      await rollupEmail(tx as unknown as Db);
      await rollupLeads(tx as unknown as Db);
      await rollupContent(tx as unknown as Db);
      await rollupContentPlatforms(tx as unknown as Db);
      await rollupOrders(tx as unknown as Db);
      await writeFreshness(tx as unknown as Db);
    }
    await updateLeaderboards(tx as unknown as Db);
    await writeWatermark(tx as unknown as Db, false);

    const wsRows = rowsOf<{ ws: string }>(
      await tx.execute(sql`select distinct ws::text as ws from analytics_touched`),
    );
    return {
      mode: "incremental" as const,
      buckets: touchedAll,
      workspaceIds: wsRows.map((r) => r.ws),
    };
  });
  return { ...result, ms: Math.round(performance.now() - started) };
}

/** Every (day, kind) of the workspace from `from` to its today, and its first touches read afresh. */
async function touchRebuild(db: Db, r: RollupRebuild) {
  await db.execute(sql`
    insert into analytics_touched (ws, day, kind)
    select w.id, d::date, k.kind
    from workspaces w
    cross join generate_series((${r.from.toISOString()}::timestamptz at time zone w.time_zone)::date,
      (now() at time zone w.time_zone)::date, interval '1 day') d
    cross join (values ('email'), ('leads'), ('content'), ('orders')) k(kind)
    where w.id = ${r.workspaceId}
    except
    select ws, day, kind from analytics_touched`);
  await db.execute(sql`delete from rollup_email_first where workspace_id = ${r.workspaceId}`);
  await db.execute(sql`
    insert into rollup_email_first (workspace_id, campaign_id, lead_id, type, first_at)
    select workspace_id, campaign_id, lead_id, type, min(created_at)
    from email_events
    where workspace_id = ${r.workspaceId} and type in ('open', 'click') and not is_machine
      and lead_id is not null and campaign_id is not null
    group by 1, 2, 3, 4`);
}

/**
 * Keeps rollup_email_first (a lead's first human open and click of each campaign) current from the
 * events since the watermark. When a back-dated event moves a
 * first touch earlier, the day the old one was on is touched too (it loses a unique open).
 */
async function updateFirstTouches(db: Db, since: SQL) {
  await db.execute(sql`
    with fresh as (
      select w.id as ws, x.campaign_id, x.lead_id, x.type, min(x.created_at) as first_at
      from workspaces w
      cross join lateral (
        select e.campaign_id, e.lead_id, e.type, e.created_at from email_events e
        where e.workspace_id = w.id and e.created_at >= ${since} and e.type in ('open', 'click')
          and not e.is_machine and e.lead_id is not null and e.campaign_id is not null
      ) x
      group by 1, 2, 3, 4
    ),
    moved as (
      select distinct f.workspace_id as ws, (f.first_at at time zone w.time_zone)::date as day
      from fresh n
      join rollup_email_first f on f.workspace_id = n.ws and f.campaign_id = n.campaign_id
        and f.lead_id = n.lead_id and f.type = n.type and n.first_at < f.first_at
      join workspaces w on w.id = f.workspace_id
    ),
    touch as (
      insert into analytics_touched (ws, day, kind)
      select m.ws, m.day, 'email' from moved m
      where not exists (select 1 from analytics_touched t where t.ws = m.ws and t.day = m.day and t.kind = 'email')
    )
    insert into rollup_email_first as r (workspace_id, campaign_id, lead_id, type, first_at)
    select ws, campaign_id, lead_id, type, first_at from fresh
    on conflict (workspace_id, campaign_id, lead_id, type) do update set first_at = excluded.first_at
      where excluded.first_at < r.first_at`);
}

/**
 * Email per campaign and day. Sent = ledger rows with status `sent` by `sent_at` (delivered: those a
 * mail server accepted); everything else from events by `created_at`. Opens and clicks count people (not machines: image proxies and link
 * scanners are stored but ignored). A unique open/click is a recipient's first human one of that
 * campaign: it counts on that day only, so days add up without double-counting.
 */
async function rollupEmail(db: Db) {
  await db.execute(sql`
    insert into rollup_email_daily (workspace_id, day, campaign_id, sent, delivered_events, opens, unique_opens,
      clicks, unique_clicks, unsubscribes, bounces, complaints)
    select ws, day, campaign_id, sum(sent), sum(delivered), sum(opens), sum(unique_opens), sum(clicks),
      sum(unique_clicks), sum(unsubscribes), sum(bounces), sum(complaints)
    from (
      select t.ws, t.day, s.campaign_id, count(*)::int as sent, count(*) filter (where s.delivered)::int as delivered,
        0 as opens, 0 as unique_opens,
        0 as clicks, 0 as unique_clicks, 0 as unsubscribes, 0 as bounces, 0 as complaints
      from analytics_touched t
      join workspaces w on w.id = t.ws
      join email_sends s on s.workspace_id = t.ws and s.sent_at >= ${LO} and s.sent_at < ${HI} and s.sent_at is not null
      where t.kind = 'email' and s.status = 'sent'
      group by 1, 2, 3
      union all
      select ws, day, campaign_id, 0, 0,
        count(*) filter (where type = 'open' and not is_machine)::int,
        count(distinct recipient) filter (where type = 'open' and not is_machine and lead_id is null)::int,
        count(*) filter (where type = 'click' and not is_machine)::int,
        count(distinct recipient) filter (where type = 'click' and not is_machine and lead_id is null)::int,
        count(distinct recipient) filter (where type = 'unsubscribe')::int,
        count(distinct coalesce(send_id, recipient)) filter (where type = 'bounce')::int,
        count(distinct recipient) filter (where type = 'complaint')::int
      from (
        select t.ws, t.day, e.campaign_id, e.send_id, e.lead_id, e.type, e.is_machine,
          coalesce(e.lead_id, e.send_id, e.id) as recipient
        from analytics_touched t
        join workspaces w on w.id = t.ws
        -- The day's events in time order: a range scan of idx_email_events_created. (Unordered, the
        -- planner may AND in idx_email_events_campaign for "campaign_id is not null", which reads
        -- every event of the workspace.)
        cross join lateral (
          select e.campaign_id, e.send_id, e.lead_id, e.type, e.is_machine, e.id from email_events e
          where e.workspace_id = w.id and e.created_at >= ${LO} and e.created_at < ${HI}
          order by e.workspace_id, e.created_at
        ) e
        where t.kind = 'email' and e.campaign_id is not null
      ) ev
      group by 1, 2, 3
      union all
      -- A lead's first human open/click of a campaign counts on its day (rollup_email_first).
      select t.ws, t.day, f.campaign_id, 0, 0, 0, count(*) filter (where f.type = 'open')::int, 0,
        count(*) filter (where f.type = 'click')::int, 0, 0, 0
      from analytics_touched t
      join workspaces w on w.id = t.ws
      join rollup_email_first f on f.workspace_id = t.ws and f.first_at >= ${LO} and f.first_at < ${HI}
      where t.kind = 'email'
      group by 1, 2, 3
    ) x
    group by 1, 2, 3`);
  await db.execute(sql`
    insert into rollup_email_day (workspace_id, day, sent, delivered_events, opens, unique_opens, clicks,
      unique_clicks, unsubscribes, bounces, complaints)
    select r.workspace_id, r.day, sum(r.sent), sum(r.delivered_events), sum(r.opens), sum(r.unique_opens),
      sum(r.clicks), sum(r.unique_clicks), sum(r.unsubscribes), sum(r.bounces), sum(r.complaints)
    from analytics_touched t
    join rollup_email_daily r on r.workspace_id = t.ws and r.day = t.day
    where t.kind = 'email'
    group by 1, 2`);
}

/** New leads by local day of creation, source, current status; and by tag. */
async function rollupLeads(db: Db) {
  await db.execute(sql`
    insert into rollup_leads_daily (workspace_id, day, source, status, leads)
    select t.ws, t.day, coalesce(l.source, ''), l.status, count(*)::int
    from analytics_touched t
    join workspaces w on w.id = t.ws
    join leads l on l.workspace_id = t.ws and l.created_at >= ${LO} and l.created_at < ${HI}
    where t.kind = 'leads'
    group by 1, 2, 3, 4`);
  await db.execute(sql`
    insert into rollup_lead_tags_daily (workspace_id, day, tag, leads)
    select t.ws, t.day, left(tag, 255), count(distinct l.id)::int
    from analytics_touched t
    join workspaces w on w.id = t.ws
    join leads l on l.workspace_id = t.ws and l.created_at >= ${LO} and l.created_at < ${HI}
    cross join unnest(l.tags) as tag
    where t.kind = 'leads'
    group by 1, 2, 3`);
}

const ITEM_COLS = sql.raw(
  "workspace_id, day, content_id, platform, views, likes, shares, saves, comments, clicks, conversions, revenue",
);

/** Per item: last snapshot of the day minus the last one before it (incremental: touched days). */
async function rollupContent(db: Db) {
  await db.execute(sql`
    with written as (
      insert into rollup_content_item_daily (${ITEM_COLS})
      select t.ws, t.day, last.content_id, c.type,
        last.views - coalesce(prev.views, 0), last.likes - coalesce(prev.likes, 0),
        last.shares - coalesce(prev.shares, 0), last.saves - coalesce(prev.saves, 0),
        last.comments - coalesce(prev.comments, 0), last.clicks - coalesce(prev.clicks, 0),
        last.conversions - coalesce(prev.conversions, 0), last.revenue - coalesce(prev.revenue, 0)
      from analytics_touched t
      join workspaces w on w.id = t.ws
      cross join lateral (
        select distinct on (s.content_id) s.content_id, s.views, s.likes, s.shares, s.saves, s.comments, s.clicks,
          s.conversions, s.revenue
        from content_metric_snapshots s
        where s.workspace_id = t.ws and s.captured_at >= ${LO} and s.captured_at < ${HI}
        order by s.content_id, s.captured_at desc, s.id desc
      ) last
      join content c on c.id = last.content_id and c.workspace_id = t.ws
      left join lateral (
        select p.views, p.likes, p.shares, p.saves, p.comments, p.clicks, p.conversions, p.revenue
        from content_metric_snapshots p
        where p.content_id = last.content_id and p.captured_at < ${LO}
        order by p.captured_at desc, p.id desc
        limit 1
      ) prev on true
      where t.kind = 'content'
      returning *
    )
    insert into analytics_item_delta
    select workspace_id, content_id, day, platform, 1, views, likes, shares, saves, comments, clicks, conversions,
      revenue from written`);
}

/** The item rollup summed per platform, plus items published that day (touched days). */
async function rollupContentPlatforms(db: Db) {
  await db.execute(sql`
    insert into rollup_content_daily (workspace_id, day, platform, published, views, likes, shares, saves, comments,
      clicks, conversions, revenue)
    select ws, day, platform, sum(published)::int, sum(views), sum(likes), sum(shares), sum(saves), sum(comments),
      sum(clicks), sum(conversions), sum(revenue)
    from (
      select r.workspace_id as ws, r.day, r.platform, 0 as published, r.views, r.likes, r.shares, r.saves,
        r.comments, r.clicks, r.conversions, r.revenue
      from analytics_touched t
      join rollup_content_item_daily r on r.workspace_id = t.ws and r.day = t.day
      where t.kind = 'content'
      union all
      select t.ws, t.day, c.type, 1, 0, 0, 0, 0, 0, 0, 0, 0
      from analytics_touched t
      join workspaces w on w.id = t.ws
      join content c on c.workspace_id = t.ws and c.published_at >= ${LO} and c.published_at < ${HI}
      where t.kind = 'content' and c.status = 'published'
    ) x
    group by 1, 2, 3`);
}

/** Orders by local purchase day, channel and currency; cancelled orders are not revenue. */
async function rollupOrders(db: Db) {
  await db.execute(sql`
    insert into rollup_orders_daily (workspace_id, day, channel, currency, orders, revenue)
    select t.ws, t.day, o.channel, coalesce(o.currency, ''), count(*)::int, coalesce(sum(o.total), 0)
    from analytics_touched t
    join workspaces w on w.id = t.ws
    join orders o on o.workspace_id = t.ws and o.purchase_date >= ${LO} and o.purchase_date < ${HI}
    where t.kind = 'orders' and lower(o.status) not in ('canceled', 'cancelled')
    group by 1, 2, 3, 4`);
}

/** The newest row each source holds, per touched workspace (index lookups, newest first). */
async function writeFreshness(db: Db) {
  await db.execute(sql`
    insert into analytics_freshness (workspace_id, rolled_up_at, content_synced_at, email_event_at, lead_at, order_at)
    select w.ws, now(),
      (select max(captured_at) from content_metric_snapshots s where s.workspace_id = w.ws),
      (select max(created_at) from email_events e where e.workspace_id = w.ws),
      (select max(created_at) from leads l where l.workspace_id = w.ws),
      (select max(o.purchase_date) from orders o where o.workspace_id = w.ws)
    from (select distinct ws from analytics_touched) w
    on conflict (workspace_id) do update set rolled_up_at = excluded.rolled_up_at,
      content_synced_at = excluded.content_synced_at, email_event_at = excluded.email_event_at,
      lead_at = excluded.lead_at, order_at = excluded.order_at`);
}

/**
 * The rollup's watermark: this run's start; a full run also restarts the day until the next one.
 * `all:ended` holds when the run ended: the two pace live runs (live.ts, livePaceWaitMs).
 */
async function writeWatermark(db: Db, full: boolean) {
  await db.execute(sql`
    insert into analytics_watermarks (source, watermark, full_at)
    values ('all', now(), ${full ? sql`now()` : sql`null`}), ('all:ended', clock_timestamp(), null)
    on conflict (source) do update set watermark = excluded.watermark,
      full_at = coalesce(excluded.full_at, analytics_watermarks.full_at)`);
}

/**
 * After a full rebuild: every workspace's freshness, and the leaderboard sets the rebuild wrote (its
 * local today and tomorrow at `at`, the run's start). Returns the workspaces.
 */
async function writeFreshnessAll(db: Db, at: string): Promise<string[]> {
  const written = rowsOf<{ ws: string }>(
    await db.execute(sql`
      insert into analytics_freshness (workspace_id, rolled_up_at, content_synced_at, email_event_at, lead_at, order_at,
        windows_from, windows_as_of)
      select w.id, now(),
        (select max(captured_at) from content_metric_snapshots s where s.workspace_id = w.id),
        (select max(created_at) from email_events e where e.workspace_id = w.id),
        (select max(created_at) from leads l where l.workspace_id = w.id),
        (select max(o.purchase_date) from orders o where o.workspace_id = w.id),
        t.today, t.today + 1
      from workspaces w
      cross join lateral (select (${at}::timestamptz at time zone w.time_zone)::date as today) t
      on conflict (workspace_id) do update set rolled_up_at = excluded.rolled_up_at,
        content_synced_at = excluded.content_synced_at, email_event_at = excluded.email_event_at,
        lead_at = excluded.lead_at, order_at = excluded.order_at, windows_from = excluded.windows_from,
        windows_as_of = excluded.windows_as_of
      returning workspace_id::text as ws`),
  );
  return written.map((r) => r.ws);
}

/** The (workspace, day) buckets a full rebuild wrote: days with email, leads, content or orders. */
async function countBuckets(db: Db): Promise<number> {
  const [n] = rowsOf<{ n: number }>(
    await db.execute(sql`
      select ((select count(*) from rollup_email_day)
        + (select count(*) from (select distinct workspace_id, day from rollup_leads_daily) l)
        + (select count(*) from (select distinct workspace_id, day from rollup_content_daily) c)
        + (select count(*) from (select distinct workspace_id, day from rollup_orders_daily) o))::int as n`),
  );
  return Number(n?.n ?? 0);
}
