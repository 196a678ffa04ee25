import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { type Db, spareConnections } from "@/server/db";
import { rowsOf } from "@/server/db/raw-rows";
import { ALL_SETS, windowSetsStatement } from "./rollup-leaderboards";

/**
 * The full rebuild of the analytics rollups (see ./rollup): every table computed from scratch by one
 * set-based statement, a single pass over its source, into an unlogged staging copy with no indexes;
 * the copy is then made durable, gets the live table's keys and indexes (each built
 * once, by sorting), and replaces the live table by rename. Readers keep reading the old tables
 * until that swap, which takes a moment at the end, in the run's own transaction.
 *
 * On PostgreSQL the three independent chains below are built at once, each in its own transaction on
 * its own pooled connection (as many as the pool spares); on PGlite they run one after another in
 * the run's transaction.
 */

export const ROLLUP_TABLES = [
  "rollup_content_item_daily",
  "rollup_content_daily",
  "rollup_content_item_window",
  "rollup_email_first",
  "rollup_email_daily",
  "rollup_email_day",
  "rollup_leads_daily",
  "rollup_lead_tags_daily",
  "rollup_orders_daily",
] as const;

type Table = (typeof ROLLUP_TABLES)[number];

/** A table's staging copy. */
export const staged = (t: Table) => sql.raw(`"${t}__next"`);

const ITEM_METRICS = "views, likes, shares, saves, comments, clicks, conversions, revenue";

/**
 * One part of a table's rows, for the tables filled in parts at once: a predicate on the item or
 * campaign id (`true` for a table filled whole). Groups never span ids, so parts never overlap.
 */
type Part = (id: SQL) => SQL;

const WHOLE: Part = () => sql`true`;

/**
 * The statement that fills each table's staging copy (the tables it reads are staged already), or
 * the `part` of it.
 */
const FILL: Record<Table, (at: string, part: Part) => SQL> = {
  // Per item: the last snapshot of each local day minus the previous day-with-snapshots' last one.
  rollup_content_item_daily: (_at, part) => sql`
    insert into ${staged("rollup_content_item_daily")} (workspace_id, day, content_id, platform, ${sql.raw(ITEM_METRICS)})
    select ws, day, content_id, platform,
      views - coalesce(lag(views) over byday, 0), likes - coalesce(lag(likes) over byday, 0),
      shares - coalesce(lag(shares) over byday, 0), saves - coalesce(lag(saves) over byday, 0),
      comments - coalesce(lag(comments) over byday, 0), clicks - coalesce(lag(clicks) over byday, 0),
      conversions - coalesce(lag(conversions) over byday, 0), revenue - coalesce(lag(revenue) over byday, 0)
    from (
      select distinct on (s.content_id, (s.captured_at at time zone w.time_zone)::date)
        s.workspace_id as ws, (s.captured_at at time zone w.time_zone)::date as day, s.content_id, c.type as platform,
        s.views, s.likes, s.shares, s.saves, s.comments, s.clicks, s.conversions, s.revenue
      from content_metric_snapshots s
      join workspaces w on w.id = s.workspace_id
      join content c on c.id = s.content_id and c.workspace_id = s.workspace_id
      where ${part(sql`s.content_id`)}
      order by s.content_id, (s.captured_at at time zone w.time_zone)::date, s.captured_at desc, s.id desc
    ) last
    window byday as (partition by content_id order by day)`,

  // The item rollup summed per platform, plus the items published that day. Each part is grouped on
  // its own first, so both hash (grouping their union sorted 9.9M rows: 9.8 s instead of 2.7 s).
  rollup_content_daily: () => sql`
    insert into ${staged("rollup_content_daily")} (workspace_id, day, platform, published, ${sql.raw(ITEM_METRICS)})
    select ws, day, platform, sum(published)::int, sum(views), sum(likes), sum(shares), sum(saves), sum(comments),
      sum(clicks), sum(conversions), sum(revenue)
    from (
      select workspace_id as ws, day, platform, 0 as published, sum(views) as views, sum(likes) as likes,
        sum(shares) as shares, sum(saves) as saves, sum(comments) as comments, sum(clicks) as clicks,
        sum(conversions) as conversions, sum(revenue) as revenue
      from ${staged("rollup_content_item_daily")}
      group by 1, 2, 3
      union all
      select c.workspace_id, (c.published_at at time zone w.time_zone)::date, c.type, count(*), 0, 0, 0, 0, 0, 0, 0, 0
      from content c join workspaces w on w.id = c.workspace_id
      where c.status = 'published' and c.published_at is not null
      group by 1, 2, 3
    ) x
    group by 1, 2, 3`,

  // Every workspace's sets ending on its local today and tomorrow at the run's start.
  rollup_content_item_window: (at, part) =>
    windowSetsStatement(
      staged("rollup_content_item_daily"),
      staged("rollup_content_item_window"),
      ALL_SETS(at),
      part(sql`r.content_id`),
    ),

  rollup_email_first: (_at, part) => sql`
    insert into ${staged("rollup_email_first")} (workspace_id, campaign_id, lead_id, type, first_at)
    select workspace_id, campaign_id, lead_id, type, min(created_at)
    from email_events
    where type in ('open', 'click') and not is_machine and lead_id is not null and campaign_id is not null
      and ${part(sql`campaign_id`)}
    group by 1, 2, 3, 4`,

  // The same figures as the incremental rollup's (./rollup, rollupEmail), over every day at once.
  rollup_email_daily: (_at, part) => sql`
    insert into ${staged("rollup_email_daily")} (workspace_id, day, campaign_id, sent, delivered_events, opens,
      unique_opens, clicks, unique_clicks, unsubscribes, bounces, complaints)
    select ws, day, campaign_id, sum(sent), sum(delivered), sum(opens), sum(unique_opens), sum(clicks),
      sum(unique_clicks), sum(unsubscribes), sum(bounces), sum(complaints)
    from (
      select s.workspace_id as ws, (s.sent_at at time zone w.time_zone)::date as day, s.campaign_id,
        count(*)::int as sent, count(*) filter (where s.delivered)::int as delivered, 0 as opens, 0 as unique_opens, 0 as clicks, 0 as unique_clicks,
        0 as unsubscribes, 0 as bounces, 0 as complaints
      from email_sends s join workspaces w on w.id = s.workspace_id
      where s.status = 'sent' and s.sent_at is not null and ${part(sql`s.campaign_id`)}
      group by 1, 2, 3
      union all
      -- Distinct counts in two hashed steps rather than count(distinct ...), which sorts every event
      -- (15.5 s for 11M events; 11.3 s so): first one row per distinct (kind, key) and a day's
      -- campaign, then counted. The keys are the incremental rollup's: a bounce's send or recipient,
      -- the recipient of an unsubscribe, a complaint, or a human open or click with no lead (the rest
      -- of the unique opens and clicks come from rollup_email_first). Deliveries are the sends' own.
      select ws, day, campaign_id, 0, 0,
        coalesce(sum(n) filter (where type = 'open' and not machine), 0)::int,
        count(key) filter (where type = 'open' and anonymous)::int,
        coalesce(sum(n) filter (where type = 'click' and not machine), 0)::int,
        count(key) filter (where type = 'click' and anonymous)::int,
        count(key) filter (where type = 'unsubscribe')::int,
        count(key) filter (where type = 'bounce')::int,
        count(key) filter (where type = 'complaint')::int
      from (
        select e.workspace_id as ws, (e.created_at at time zone w.time_zone)::date as day, e.campaign_id, e.type,
          e.type in ('open', 'click') and e.is_machine as machine,
          e.type in ('open', 'click') and not e.is_machine and e.lead_id is null as anonymous,
          case
            when e.type = 'bounce' then coalesce(e.send_id, e.lead_id, e.id)
            when e.type in ('unsubscribe', 'complaint')
              or (e.type in ('open', 'click') and not e.is_machine and e.lead_id is null)
              then coalesce(e.lead_id, e.send_id, e.id)
          end as key,
          count(*) as n
        from email_events e join workspaces w on w.id = e.workspace_id
        where e.campaign_id is not null and ${part(sql`e.campaign_id`)}
        group by 1, 2, 3, 4, 5, 6, 7
      ) ev
      group by 1, 2, 3
      union all
      select f.workspace_id, (f.first_at at time zone w.time_zone)::date, f.campaign_id, 0, 0, 0,
        count(*) filter (where f.type = 'open')::int, 0, count(*) filter (where f.type = 'click')::int, 0, 0, 0
      from ${staged("rollup_email_first")} f join workspaces w on w.id = f.workspace_id
      where ${part(sql`f.campaign_id`)}
      group by 1, 2, 3
    ) x
    group by 1, 2, 3`,

  rollup_email_day: () => sql`
    insert into ${staged("rollup_email_day")} (workspace_id, day, sent, delivered_events, opens, unique_opens, clicks,
      unique_clicks, unsubscribes, bounces, complaints)
    select workspace_id, day, sum(sent), sum(delivered_events), sum(opens), sum(unique_opens), sum(clicks),
      sum(unique_clicks), sum(unsubscribes), sum(bounces), sum(complaints)
    from ${staged("rollup_email_daily")}
    group by 1, 2`,

  rollup_leads_daily: () => sql`
    insert into ${staged("rollup_leads_daily")} (workspace_id, day, source, status, leads)
    select l.workspace_id, (l.created_at at time zone w.time_zone)::date, coalesce(l.source, ''), l.status, count(*)::int
    from leads l join workspaces w on w.id = l.workspace_id
    group by 1, 2, 3, 4`,

  rollup_lead_tags_daily: () => sql`
    insert into ${staged("rollup_lead_tags_daily")} (workspace_id, day, tag, leads)
    select l.workspace_id, (l.created_at at time zone w.time_zone)::date, left(tag, 255), count(distinct l.id)::int
    from leads l join workspaces w on w.id = l.workspace_id
    cross join unnest(l.tags) as tag
    where cardinality(l.tags) > 0
    group by 1, 2, 3`,

  rollup_orders_daily: () => sql`
    insert into ${staged("rollup_orders_daily")} (workspace_id, day, channel, currency, orders, revenue)
    select o.workspace_id, (o.purchase_date at time zone w.time_zone)::date, o.channel, coalesce(o.currency, ''),
      count(*)::int, coalesce(sum(o.total), 0)
    from orders o join workspaces w on w.id = o.workspace_id
    where lower(o.status) not in ('canceled', 'cancelled')
    group by 1, 2, 3, 4`,
};

interface TableShape {
  /** Primary key and unique constraints: name, kind and the definition of the index behind each. */
  keys: { name: string; kind: "primary key" | "unique"; indexDef: string }[];
  /** Other indexes: name and CREATE INDEX statement. */
  indexes: { name: string; def: string }[];
}

/**
 * The live table's keys and indexes, as the migrations made them. A foreign key is refused: dropping
 * a table that references another locks that one against its readers (see schema/analytics.ts).
 */
async function shapeOf(db: Db, table: Table): Promise<TableShape> {
  const constraints = rowsOf<{ name: string; type: string; index_def: string | null }>(
    await db.execute(sql`
      select conname as name, contype::text as type, case when conindid <> 0 then pg_get_indexdef(conindid) end as index_def
      from pg_constraint where conrelid = ${table}::regclass and contype in ('p', 'u', 'f')
      order by conname`),
  );
  const indexes = rowsOf<{ name: string; def: string }>(
    await db.execute(sql`
      select i.relname as name, pg_get_indexdef(i.oid) as def
      from pg_index x join pg_class i on i.oid = x.indexrelid
      where x.indrelid = ${table}::regclass
        and not exists (select 1 from pg_constraint c where c.conindid = i.oid and c.conrelid = x.indrelid)
      order by i.relname`),
  );
  const foreign = constraints.find((c) => c.type === "f");
  if (foreign) throw new Error(`${table} has a foreign key (${foreign.name}); a rollup table must not`);
  return {
    keys: constraints.map((c) => ({
      name: c.name,
      kind: c.type === "p" ? ("primary key" as const) : ("unique" as const),
      indexDef: c.index_def!,
    })),
    indexes,
  };
}

/** The name a staging copy's index has until the swap (63 bytes at most). */
const stagedName = (table: Table, i: number) => `${table}__next_${i}`;

/** A live index's definition, for the staging copy under its staging name. */
function stagedIndex(table: Table, def: string, name: string): string {
  const out = def.replace(
    /^CREATE (UNIQUE )?INDEX (\S+) ON (\S+) /,
    (_m, unique: string | undefined) => `CREATE ${unique ?? ""}INDEX "${name}" ON "${table}__next" `,
  );
  if (out === def) throw new Error(`unexpected index definition on ${table}: ${def}`);
  return out;
}

/**
 * Creates a table's staging copy, empty. A plain (logged) table: on this machine an unlogged copy made
 * durable afterwards (SET LOGGED rewrites it) took 13 s for the 9.9M item-days, a logged insert 7 s.
 */
async function createStaged(db: Db, table: Table) {
  await db.execute(sql`drop table if exists ${staged(table)}`);
  await db.execute(
    sql`create table ${staged(table)} (like ${sql.raw(`"${table}"`)} including defaults including constraints)`,
  );
}

/**
 * Builds the staging copy's indexes, the keys' as unique indexes (a key constraint would lock the
 * copy against the tasks reading it; the swap turns them into the keys), and its statistics.
 */
async function finishStaged(db: Db, table: Table, shape: TableShape) {
  let i = 0;
  for (const key of shape.keys)
    await db.execute(sql.raw(stagedIndex(table, key.indexDef, stagedName(table, i++))));
  for (const index of shape.indexes)
    await db.execute(sql.raw(stagedIndex(table, index.def, stagedName(table, i++))));
  await db.execute(sql`analyze ${staged(table)}`);
}

/** Replaces the live table with its staging copy and gives the copy's keys and indexes their names. */
async function swapIn(tx: Db, table: Table, shape: TableShape) {
  await tx.execute(sql.raw(`drop table "${table}"`));
  await tx.execute(sql.raw(`alter table "${table}__next" rename to "${table}"`));
  let i = 0;
  // The key takes over its unique index (and renames it to the key's name).
  for (const key of shape.keys)
    await tx.execute(
      sql.raw(
        `alter table "${table}" add constraint "${key.name}" ${key.kind} using index "${stagedName(table, i++)}"`,
      ),
    );
  for (const index of shape.indexes)
    await tx.execute(sql.raw(`alter index "${stagedName(table, i++)}" rename to "${index.name}"`));
}

/** Per task (filling a table's copy, or building its indexes): how long it took. */
export type RebuildTimings = Record<string, number>;

interface Task {
  name: string;
  after: string[];
  run: (db: Db) => Promise<void>;
  /** Settings for the task's transaction (the batch work's memory is set for all). */
  settings?: string[];
}

/** The tables filled in parts at once (by item or campaign id), one part per lane. */
const IN_PARTS = new Set<Table>([
  "rollup_content_item_daily",
  "rollup_content_item_window",
  "rollup_email_first",
  "rollup_email_daily",
]);

/** Part `i` of `n` of the uuid space, by the id's first 32 bits. */
function uuidPart(i: number, n: number): Part {
  const bound = (k: number) =>
    `${Math.floor((k * 2 ** 32) / n)
      .toString(16)
      .padStart(8, "0")}-0000-0000-0000-000000000000`;
  return (id) =>
    sql.join(
      [
        i > 0 ? sql`${id} >= ${sql.raw(`'${bound(i)}'`)}::uuid` : sql`true`,
        i < n - 1 ? sql`${id} < ${sql.raw(`'${bound(i + 1)}'`)}::uuid` : sql`true`,
      ],
      sql` and `,
    );
}

/**
 * The rebuild as tasks, each its own transaction: the staging copies are created; each is filled
 * (the four large ones in `parts` parts at once, by item or campaign id), then indexed while the
 * tables computed from it are filled from it. In list order among the tasks that are ready: the
 * item-days (the largest table, which all content waits for) first.
 */
function rebuildTasks(shapes: Map<Table, TableShape>, at: string, parts: number): Task[] {
  const fillNames = (table: Table) =>
    IN_PARTS.has(table)
      ? Array.from({ length: parts }, (_, i) => `fill ${table} ${i + 1}/${parts}`)
      : [`fill ${table}`];
  const fill = (table: Table, after: (i: number) => string[], settings?: string[]): Task[] =>
    fillNames(table).map((name, i) => ({
      name,
      after: ["create", ...after(i)],
      run: (db) =>
        db.execute(FILL[table](at, IN_PARTS.has(table) ? uuidPart(i, parts) : WHOLE)).then(() => {}),
      settings,
    }));
  const finish = (table: Table): Task => ({
    name: `index ${table}`,
    after: fillNames(table),
    run: (db) => finishStaged(db, table, shapes.get(table)!),
  });
  const samePart = (table: Table) => (i: number) => [fillNames(table)[i]!];
  const all = (table: Table) => () => fillNames(table);
  return [
    {
      name: "create",
      after: [],
      run: async (db) => {
        for (const table of ROLLUP_TABLES) await createStaged(db, table);
      },
    },
    ...fill("rollup_content_item_daily", () => []),
    ...fill("rollup_email_first", () => []),
    // Hashing rather than sorting to group: 9.9M item-days took 12 s so, 14 s sorted; 11M events
    // 11 s, 15.5 s sorted.
    ...fill("rollup_email_daily", samePart("rollup_email_first"), ["enable_sort = off"]),
    ...fill("rollup_content_item_window", samePart("rollup_content_item_daily"), ["enable_sort = off"]),
    finish("rollup_content_item_daily"),
    ...fill("rollup_content_daily", all("rollup_content_item_daily"), ["enable_sort = off"]),
    ...fill("rollup_leads_daily", () => []),
    ...fill("rollup_lead_tags_daily", () => []),
    ...fill("rollup_orders_daily", () => []),
    finish("rollup_email_first"),
    ...fill("rollup_email_day", all("rollup_email_daily")),
    ...ROLLUP_TABLES.filter((t) => t !== "rollup_content_item_daily" && t !== "rollup_email_first").map(
      finish,
    ),
  ];
}

async function runTask(db: Db, task: Task, timings: RebuildTimings, inTransaction: boolean) {
  const run = async (x: Db) => {
    await x.execute(sql`set local work_mem = '256MB'`);
    await x.execute(sql`set local maintenance_work_mem = '256MB'`);
    for (const setting of task.settings ?? []) await x.execute(sql.raw(`set local ${setting}`));
    const started = performance.now();
    await task.run(x);
    timings[task.name] = Math.round(performance.now() - started);
    for (const setting of task.settings ?? []) await x.execute(sql.raw(`reset ${setting.split(" ")[0]}`));
  };
  if (inTransaction) await run(db);
  else await db.transaction(async (tx) => run(tx as unknown as Db));
}

/**
 * Rebuilds every rollup table from the source tables and swaps the new ones in within `tx` (the
 * run's transaction, holding its lock). `db` is the pool the tasks borrow connections from; `at` is
 * the run's start (the leaderboards end on the workspaces' local today and tomorrow then).
 */
export async function rebuildAllRollups(db: Db, tx: Db, at: string): Promise<RebuildTimings> {
  const timings: RebuildTimings = {};
  const shapes = new Map<Table, TableShape>();
  for (const table of ROLLUP_TABLES) shapes.set(table, await shapeOf(tx, table));
  // On PGlite (no spare connections) the tasks run one by one in the run's own transaction.
  const lanes = Math.min(MAX_LANES, spareConnections(db));
  const tasks = rebuildTasks(shapes, at, Math.max(1, lanes));
  try {
    await runGraph(tasks, Math.max(1, lanes), (task) => runTask(lanes ? db : tx, task, timings, lanes === 0));
  } catch (err) {
    if (lanes)
      for (const table of ROLLUP_TABLES) await db.execute(sql`drop table if exists ${staged(table)}`);
    throw err;
  }
  for (const table of ROLLUP_TABLES) await swapIn(tx, table, shapes.get(table)!);
  return timings;
}

/** At most this many tasks at once (each a connection and a core's worth of work). */
const MAX_LANES = 2;

/**
 * Runs `tasks` on up to `lanes` at once, each when the tasks it comes after are done, in list order
 * among those ready. The first failure stops new tasks; it is thrown once the running ones end.
 */
async function runGraph(tasks: Task[], lanes: number, run: (task: Task) => Promise<void>) {
  const done = new Set<string>();
  const waiting = [...tasks];
  let failure: { err: unknown } | null = null;
  let running = 0;
  await new Promise<void>((resolve) => {
    const next = () => {
      if (failure) {
        if (running === 0) resolve();
        return;
      }
      while (running < lanes) {
        const i = waiting.findIndex((t) => t.after.every((a) => done.has(a)));
        if (i < 0) break;
        const [task] = waiting.splice(i, 1);
        running++;
        run(task!).then(
          () => {
            running--;
            done.add(task!.name);
            next();
          },
          (err: unknown) => {
            running--;
            failure ??= { err };
            next();
          },
        );
      }
      if (running === 0) resolve();
    };
    next();
  });
  if (failure) throw (failure as { err: unknown }).err;
  if (waiting.length > 0)
    throw new Error(`rebuild tasks never ready: ${waiting.map((t) => t.name).join(", ")}`);
}

/**
 * Drops the staging copies a rebuild left behind when its process died (a failed rebuild drops its
 * own). Runs under the rollup's lock, so no rebuild is under way.
 */
export async function dropLeftoverCopies(db: Db) {
  const names = ROLLUP_TABLES.map((t) => `${t}__next`);
  const [left] = rowsOf<{ any: boolean }>(
    await db.execute(sql`
      select exists (select 1 from pg_class where relkind = 'r' and relname in (${sql.join(
        names.map((n) => sql`${n}`),
        sql`, `,
      )})) as any`),
  );
  if (left?.any)
    for (const table of ROLLUP_TABLES) await db.execute(sql`drop table if exists ${staged(table)}`);
}
