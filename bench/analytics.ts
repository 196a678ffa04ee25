/**
 * `npm run bench -- analytics`: on PostgreSQL, one large workspace — 1,000,000 leads, 100,000
 * content items with 90 days of daily snapshots (9M rows), 10,000,000 email events, 200,000 orders —
 * plus 50 small workspaces, all generated set-based (generate_series). Then: the rollup from scratch,
 * an incremental rollup after 10,000 new email events, and every overview/analytics query for 7, 30
 * and 90-day ranges (cache bypassed), printing p50/p95 per query. The rollup from scratch prints each
 * table's build time and how long a dashboard query waited while it ran (one after another).
 * Goals: p95 < 100 ms for every query at 90 days; incremental rollup of 10,000 events < 1 s; the
 * rollup from scratch < 60 s.
 *
 * BENCH_SCALE=0.1 shrinks every count (try it small first); BENCH_DATABASE_URL picks the database
 * (its name must contain "bench"; it is dropped and recreated). BENCH_REUSE=1 keeps a database this
 * bench generated before at the same scale (it is migrated, and a previous run's new events are
 * removed) and only reruns the rollups and the timings; BENCH_GENERATE_ONLY=1 stops after generating;
 * BENCH_FULL_ROLLUP=0 (with BENCH_REUSE=1) keeps the previous run's rollups instead of rebuilding them;
 * BENCH_PROFILE=1 prints where an incremental run's time goes, statement by statement.
 *
 * `--embedded`: the same on PGlite, the default install's database, opened in this process (and
 * served on its socket for the generator, as the web process serves it to a worker); the queries
 * run through the app's own PGlite handle. Scale 0.1 unless BENCH_SCALE says otherwise (100,000
 * leads, 1,000,000 email events). Goal there: p95 < 150 ms for every query at 90 days. No plans
 * (EXPLAIN) and no reuse.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { percentile, recreateDatabase } from "./lib/db";

export const description =
  "1M leads, 100k items × 90 days of snapshots, 10M email events, 200k orders: rollup and query p50/p95 (--embedded: PGlite, scale 0.1)";

const log = (line: string) => process.stderr.write(`[bench analytics] ${line}\n`);

export async function run(args: string[]) {
  const embedded = args.includes("--embedded");
  const scale = Number(process.env.BENCH_SCALE ?? (embedded ? 0.1 : 1));
  if (!(scale > 0 && scale <= 10)) throw new Error("BENCH_SCALE must be a number in (0, 10]");
  const iterations = Number(process.env.BENCH_ITERATIONS ?? 20);
  const n = {
    leads: Math.round(1_000_000 * scale),
    content: Math.round(100_000 * scale),
    days: 90,
    events: Math.round(10_000_000 * scale),
    orders: Math.round(200_000 * scale),
    campaigns: 200,
    small: 50,
  };
  const databaseUrl =
    process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/organic_bench_analytics";
  const host = new URL(databaseUrl).hostname;
  if (!["127.0.0.1", "localhost", "::1"].includes(host))
    throw new Error("The analytics bench runs on 127.0.0.1 only");
  if (embedded) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = databaseUrl;
  const dataDir = path.join(os.tmpdir(), `organic-bench-analytics-${randomUUID().slice(0, 6)}`);
  process.env.DATA_DIR = dataDir;
  delete process.env.REDIS_URL;
  process.env.LOG_LEVEL ??= "warn";

  const reuse = !embedded && process.env.BENCH_REUSE === "1";
  const wanted = JSON.stringify(n);
  const existing = reuse ? await generatedScale(databaseUrl) : null;
  const reusing = existing === wanted;
  if (reuse && !reusing)
    log(
      existing
        ? `bench database was generated for ${existing}: regenerating`
        : "no bench database to reuse: generating",
    );
  if (!reusing && !embedded) await recreateDatabase(databaseUrl, log);
  const { openDb } = await import("@/server/db");
  const handle = await openDb({ serve: embedded });
  await handle.migrate();
  const client = new pg.Client({ connectionString: embedded ? embeddedSocketUrl(dataDir) : databaseUrl });
  await client.connect();
  const q = async (label: string, text: string, params: unknown[] = []) => {
    const t = performance.now();
    const r = await client.query(text, params);
    log(`${label}: ${Math.round(performance.now() - t)} ms${r.rowCount ? ` (${r.rowCount} rows)` : ""}`);
    return r;
  };

  try {
    log(`scale ${scale}: ${wanted}${reusing ? " (reusing the generated database)" : ""}`);
    const genStart = performance.now();
    if (reusing) {
      // A previous run's incremental events are not part of the generated data.
      await q(
        "drop the previous run's new events",
        `delete from email_events where user_agent = 'bench-incremental'`,
      );
    } else {
      await generate(q, client, n);
    }
    const generateMs = Math.round(performance.now() - genStart);
    if (process.env.BENCH_GENERATE_ONLY === "1") {
      log(`generated in ${generateMs} ms; BENCH_GENERATE_ONLY=1, stopping here`);
      return;
    }
    const { refreshAnalytics } = await import("@/server/services/analytics/refresh");
    let t = performance.now();
    let fullMs: number | null = null;
    let fullTables: Record<string, unknown> | null = null;
    let readersDuringFull: { queries: number; p50: number; max: number } | null = null;
    if (reusing && process.env.BENCH_FULL_ROLLUP === "0") {
      log("BENCH_FULL_ROLLUP=0: keeping the rollups of the previous run");
    } else {
      // A dashboard reader during the rebuild: one small rollup query after another on its own
      // connection. The rebuild swaps tables at its end; readers should never wait on it for long.
      const probe = readerProbe(embedded ? null : databaseUrl);
      const full = await refreshAnalytics(handle.db, { full: true, wait: true });
      fullMs = Math.round(performance.now() - t);
      readersDuringFull = await probe.stop();
      log(`rollup from scratch: ${fullMs} ms, ${full.buckets} buckets`);
      for (const [task, ms] of Object.entries(full.tables ?? {}))
        log(`  ${task.padEnd(34)} ${String(ms).padStart(6)} ms`);
      fullTables = full.tables ?? null;
      if (readersDuringFull)
        log(
          `reader during the rebuild: ${readersDuringFull.queries} queries, p50 ${readersDuringFull.p50} ms, max ${readersDuringFull.max} ms`,
        );
      // What autovacuum would do soon after: statistics and the visibility map of the new rollups.
      await q("vacuum analyze rollups", "vacuum analyze");
    }

    // The job runs every minute, so a run normally starts right after the previous one. Measured:
    // a run with nothing new (the first after the rebuild, on caches its vacuum left cold), then the
    // run that picks up 10,000 new email events.
    t = performance.now();
    await refreshAnalytics(handle.db, { wait: true });
    const coldMs = Math.round(performance.now() - t);
    log(`incremental rollup, nothing new (first run after the rebuild): ${coldMs} ms`);
    // 10,000 new email events in the big workspace, as they would arrive now.
    await q(
      "10,000 new events",
      `insert into email_events (workspace_id, campaign_id, lead_id, type, is_machine, created_at, user_agent)
       select md5('ws0')::uuid, md5('camp0-' || (i % ${n.campaigns}))::uuid, md5('lead0-' || (1 + (i * 104729) % ${n.leads}))::uuid,
         (array['open', 'open', 'click', 'reply', 'unsubscribe'])[1 + i % 5], i % 10 = 0, now(),
         'bench-incremental'
       from generate_series(1, 10000) i`,
    );
    t = performance.now();
    let inc: Awaited<ReturnType<typeof refreshAnalytics>> | undefined;
    const timed = await timeStatements(async () => {
      inc = await refreshAnalytics(handle.db, { wait: true });
    });
    const incMs = Math.round(performance.now() - t);
    log(`incremental rollup (10,000 events): ${incMs} ms, mode ${inc?.mode}, ${inc?.buckets} buckets`);
    if (process.env.BENCH_PROFILE === "1") {
      for (const st of timed.sort((x, y) => y.ms - x.ms).slice(0, 8))
        log(`  ${String(st.ms).padStart(6)} ms  ${st.text.replace(/\s+/g, " ").slice(0, 110)}`);
    }

    // Queries, cache bypassed (the namespace is bumped before every call, outside the timing).
    const { bumpNamespace } = await import("@/lib/cache");
    const queries = await import("@/server/services/analytics/queries");
    const ws = (await client.query<{ id: string }>("select md5('ws0')::uuid::text as id")).rows[0]!.id;
    const procs: Record<string, (preset: "7d" | "30d" | "90d") => Promise<unknown>> = {
      overview: (preset) => queries.getOverview(handle.db, ws, { preset }),
      upcoming: () => queries.upcomingContent(handle.db, ws),
      content: (preset) => queries.getContentAnalytics(handle.db, ws, { preset }),
      email: (preset) => queries.getEmailAnalytics(handle.db, ws, { preset }),
      leads: (preset) => queries.getLeadsAnalytics(handle.db, ws, { preset }),
      revenue: (preset) => queries.getRevenueAnalytics(handle.db, ws, { preset }),
      funnel: (preset) => queries.getFunnel(handle.db, ws, { preset }),
    };
    const results: Record<string, { p50: number; p95: number }> = {};
    for (const preset of ["7d", "30d", "90d"] as const) {
      for (const [name, fn] of Object.entries(procs)) {
        const times: number[] = [];
        await fn(preset); // warm-up
        for (let i = 0; i < iterations; i++) {
          await bumpNamespace(queries.cacheNamespace(ws));
          const s = performance.now();
          await fn(preset);
          times.push(performance.now() - s);
        }
        times.sort((a, b) => a - b);
        const r = {
          p50: Math.round(percentile(times, 50) * 10) / 10,
          p95: Math.round(percentile(times, 95) * 10) / 10,
        };
        results[`${name}:${preset}`] = r;
        log(
          `${name.padEnd(9)} ${preset.padEnd(4)} p50 ${String(r.p50).padStart(7)} ms  p95 ${String(r.p95).padStart(7)} ms`,
        );
      }
    }
    // Wall-clock times swing with other load on a shared machine; plans do not. Every statement a
    // procedure sends at 90 days, under EXPLAIN (ANALYZE, BUFFERS): server time, rows read, pages.
    const plans: Record<string, PlanFigures> = {};
    // Embedded, the app's queries go to PGlite directly, not through a pg client to capture.
    for (const [name, fn] of embedded ? [] : Object.entries(procs)) {
      await bumpNamespace(queries.cacheNamespace(ws));
      const statements = await captureStatements(() => fn("90d"));
      const figures = await explainAll(client, statements);
      plans[`${name}:90d`] = figures;
      log(
        `explain ${name.padEnd(9)} 90d  ${figures.statements} statements, execution ${figures.executionMs} ms, planning ${figures.planningMs} ms, rows read ${figures.rowsRead}, pages ${figures.pages}, top-level cost ${figures.cost}`,
      );
    }
    const at90 = Object.entries(results).filter(([k]) => k.endsWith(":90d"));
    const worst90 = Math.max(...at90.map(([, v]) => v.p95));
    const out = {
      bench: "analytics",
      database: embedded ? "pglite" : "postgres",
      scale,
      counts: n,
      generateMs,
      rollupFullMs: fullMs,
      rollupFullTables: fullTables,
      readerDuringFullRollup: readersDuringFull,
      rollupIncrementalMs: incMs,
      rollupIncrementalNothingNewMs: coldMs,
      incrementalEvents: 10_000,
      queries: results,
      plans90d: plans,
      worstP95At90dMs: worst90,
      goals: embedded
        ? { p95Under150msAt90d: worst90 < 150 }
        : {
            p95Under100msAt90d: worst90 < 100,
            incrementalUnder1s: incMs < 1000,
            fullRollupUnder60s: fullMs === null ? null : fullMs < 60_000,
          },
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    await client.end();
    await handle.close();
    if (embedded) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Reads the big workspace's last 30 days of email figures from the rollups, one query after another
 * on its own connection, until stopped: how long a dashboard reader waited while a rebuild ran.
 */
function readerProbe(databaseUrl: string | null) {
  if (!databaseUrl) return { stop: async () => null };
  const times: number[] = [];
  let running = true;
  const loop = (async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      while (running) {
        const s = performance.now();
        await client.query(
          "select coalesce(sum(sent), 0) as sent from rollup_email_day where workspace_id = md5('ws0')::uuid and day > current_date - 30",
        );
        times.push(performance.now() - s);
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await client.end();
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      times.sort((a, b) => a - b);
      return {
        queries: times.length,
        p50: Math.round(percentile(times, 50) * 10) / 10,
        max: Math.round((times.at(-1) ?? 0) * 10) / 10,
      };
    },
  };
}

/** The socket the embedded database is served on (its owner writes it to DATA_DIR/pglite.lock.json). */
function embeddedSocketUrl(dataDir: string) {
  const { socketDir } = JSON.parse(fs.readFileSync(path.join(dataDir, "pglite.lock.json"), "utf8")) as {
    socketDir: string;
  };
  return `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}`;
}

type Counts = {
  leads: number;
  content: number;
  days: number;
  events: number;
  orders: number;
  campaigns: number;
  small: number;
};
type Q = (label: string, text: string, params?: unknown[]) => Promise<pg.QueryResult>;

/** The counts the bench database was generated for (JSON), or null when there is none to reuse. */
async function generatedScale(databaseUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
  } catch {
    return null; // no such database
  }
  try {
    const { rows } = await client.query<{ counts: string }>(
      "select counts from bench_analytics_meta where complete",
    );
    return rows[0]?.counts ?? null;
  } catch {
    return null;
  } finally {
    await client.end();
  }
}

/**
 * Generates the data set on the server (generate_series), in time order as it would have arrived.
 * Bulk-load style: foreign-key checks and triggers off for the session (the data is consistent by
 * construction), secondary indexes dropped before the load and rebuilt after it.
 */
async function generate(q: Q, client: pg.Client, n: Counts) {
  await client.query("set session_replication_role = replica");
  await client.query("set synchronous_commit = off");
  await client.query("set maintenance_work_mem = '512MB'");
  await client.query("set max_parallel_maintenance_workers = 1");
  const tables = ["leads", "email_sends", "email_events", "content", "content_metric_snapshots", "orders"];
  const { rows: indexes } = await client.query<{ name: string; def: string }>(
    `select i.indexname as name, i.indexdef as def from pg_indexes i
     where i.schemaname = 'public' and i.tablename = any($1)
       and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
    [tables],
  );
  for (const ix of indexes) await client.query(`drop index "${ix.name}"`);

  const { rows: u } = await client.query<{ id: string }>(
    "insert into users (email, name) values ($1, 'Bench') returning id",
    [`bench-${randomUUID().slice(0, 8)}@example.test`],
  );
  const owner = u[0]!.id;
  // Workspace 0 is the big one; 1..50 are small, each 1/500 of the big one's size.
  await q(
    "workspaces",
    `insert into workspaces (id, name, slug, owner_id, time_zone)
     select md5('ws' || w)::uuid, 'Bench ' || w, 'bench-' || w, $1,
       case when w % 3 = 0 then 'America/New_York' when w % 3 = 1 then 'Europe/Berlin' else 'UTC' end
     from generate_series(0, $2::int) w`,
    [owner, n.small],
  );
  await q(
    "members",
    `insert into workspace_members (workspace_id, user_id, role) select md5('ws' || w)::uuid, $1, 'owner' from generate_series(0, $2::int) w`,
    [owner, n.small],
  );
  // (workspace index, count) for the big and each small workspace
  const sizes = (big: number) =>
    `select w, case when w = 0 then ${big} else greatest(1, ${big} / 500) end as cnt from generate_series(0, ${n.small}) w`;
  // Row i of cnt happens at an even step through the last 90 days (oldest first), ending 10 minutes ago.
  const at = (i: string, cnt: string) =>
    `now() - interval '10 minutes' - (${cnt} - ${i})::float8 / ${cnt} * interval '90 days'`;

  await q(
    "leads",
    `insert into leads (id, workspace_id, email, source, tags, status, created_at, updated_at)
     select md5('lead' || s.w || '-' || i)::uuid, md5('ws' || s.w)::uuid, 'l' || i || '@w' || s.w || '.test',
       (array['tiktok', 'blog', 'import', 'form', null])[1 + i % 5],
       case when i % 7 = 0 then array['vip', 'fan'] when i % 3 = 0 then array['fan'] else '{}'::text[] end,
       (array['active', 'active', 'active', 'unsubscribed', 'bounced'])[1 + i % 5],
       ${at("i", "s.cnt")}, now() - interval '1 hour'
     from (${sizes(n.leads)}) s cross join lateral generate_series(1, s.cnt) i`,
  );
  await q(
    "campaigns",
    `insert into email_campaigns (id, workspace_id, name, type, status, content)
     select md5('camp' || s.w || '-' || c)::uuid, md5('ws' || s.w)::uuid, 'Campaign ' || c, 'one-time', 'sent', '{}'::jsonb
     from (select w from generate_series(0, ${n.small}) w) s cross join lateral generate_series(0, case when s.w = 0 then ${n.campaigns - 1} else 4 end) c`,
  );
  await q(
    "campaign steps",
    `insert into campaign_steps (id, workspace_id, campaign_id, position, subject)
     select md5('step' || id::text)::uuid, workspace_id, id, 0, 'Hello' from email_campaigns`,
  );
  // One send per lead (the campaign is the lead's number modulo the workspace's campaigns); a mail
  // server accepted each one sent.
  await q(
    "email sends",
    `insert into email_sends (workspace_id, campaign_id, step_id, lead_id, to_address, status, sent_at, delivered, created_at)
     select md5('ws' || s.w)::uuid, md5('camp' || s.w || '-' || (i % k))::uuid,
       md5('step' || md5('camp' || s.w || '-' || (i % k))::uuid::text)::uuid,
       md5('lead' || s.w || '-' || i)::uuid, 'l' || i || '@w' || s.w || '.test',
       case when i % 50 = 0 then 'bounced' else 'sent' end,
       case when i % 50 = 0 then null else now() - ((i % k) * 10 + 1) * interval '9 hours' end,
       i % 50 <> 0, now() - interval '90 days'
     from (select w, cnt, case when w = 0 then ${n.campaigns} else 5 end as k from (${sizes(n.leads)}) x) s
     cross join lateral generate_series(1, s.cnt) i`,
  );
  // A quarter of the events are replies: they were `delivered` events with no send until a delivery
  // became a mark on the send (migration 0035). Neither is counted by the rollups, so the events
  // they read are the ones they read before.
  await q(
    "email events",
    `insert into email_events (workspace_id, send_id, campaign_id, lead_id, type, is_machine, created_at)
     select md5('ws' || s.w)::uuid, null, md5('camp' || s.w || '-' || (l % k))::uuid, md5('lead' || s.w || '-' || l)::uuid,
       (array['reply','reply','reply','open','open','open','open','click','click','bounce','unsubscribe','complaint'])[1 + i % 12],
       i % 10 = 0, ${at("i", "s.cnt")}
     from (select w, cnt, lc, case when w = 0 then ${n.campaigns} else 5 end as k
           from (select w, cnt, case when w = 0 then ${n.leads} else greatest(1, ${n.leads} / 500) end as lc
                 from (${sizes(n.events)}) y) x) s
     cross join lateral generate_series(1, s.cnt) i
     cross join lateral (select (1 + (i::bigint * 7919) % s.lc)::int as l) pick`,
  );
  await q(
    "content",
    `insert into content (id, workspace_id, type, status, title, published_at, created_at, updated_at)
     select md5('content' || s.w || '-' || i)::uuid, md5('ws' || s.w)::uuid,
       case when i % 4 = 0 then 'blog' else 'tiktok' end, 'published', 'Item ' || i,
       now() - (i % 90) * interval '1 day', now() - interval '91 days', now() - interval '1 hour'
     from (${sizes(n.content)}) s cross join lateral generate_series(1, s.cnt) i`,
  );
  // A daily sync: every item's counters once a day, day by day (oldest first).
  await q(
    "content metric snapshots (one per item per day)",
    `insert into content_metric_snapshots (workspace_id, content_id, captured_at, views, likes, shares, saves, comments, clicks, conversions, revenue)
     select md5('ws' || s.w)::uuid, md5('content' || s.w || '-' || i)::uuid,
       date_trunc('day', now()) - d * interval '1 day' + interval '12 hours',
       (90 - d) * (i % 97 + 1) * 10, (90 - d) * (i % 13), (90 - d) * (i % 5), (90 - d) * (i % 3), (90 - d) * (i % 7),
       (90 - d) * (i % 11), (90 - d) * (i % 2), ((90 - d) * (i % 3))::numeric * 1.25
     from generate_series(${n.days}, 1, -1) d cross join (${sizes(n.content)}) s cross join lateral generate_series(1, s.cnt) i`,
  );
  await q(
    "orders",
    `insert into orders (workspace_id, source, external_id, purchase_date, status, channel, total, currency, created_at, updated_at)
     select md5('ws' || s.w)::uuid, 'amazon', 'A-' || i, ${at("i", "s.cnt")},
       case when i % 40 = 0 then 'Canceled' else 'Shipped' end,
       (array['amazon', 'tiktok', 'blog', 'email'])[1 + i % 4],
       ((i % 9000) + 100)::numeric / 100, case when i % 10 = 0 then 'EUR' else 'USD' end,
       now() - interval '1 hour', now() - interval '1 hour'
     from (${sizes(n.orders)}) s cross join lateral generate_series(1, s.cnt) i`,
  );
  for (const ix of indexes) await q(`index ${ix.name}`, ix.def);
  await client.query("set session_replication_role = origin");
  await q("vacuum analyze", "vacuum analyze");
  await client.query(
    "create table if not exists bench_analytics_meta (counts text not null, complete boolean not null, generated_at timestamptz not null default now())",
  );
  await client.query("insert into bench_analytics_meta (counts, complete) values ($1, true)", [
    JSON.stringify(n),
  ]);
}

type Statement = { text: string; values: unknown[] };
export type PlanFigures = {
  statements: number;
  executionMs: number;
  planningMs: number;
  rowsRead: number;
  pages: number;
  cost: number;
};

/** Every statement `fn` sends through any pg client, with its wall-clock time. */
async function timeStatements(fn: () => Promise<unknown>): Promise<{ text: string; ms: number }[]> {
  const out: { text: string; ms: number }[] = [];
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const a = args[0] as string | { text?: string };
    const text = (typeof a === "string" ? a : a?.text) ?? "";
    const started = performance.now();
    const r = original.apply(this, args);
    if (r && typeof (r as Promise<unknown>).then === "function")
      (r as Promise<unknown>).then(
        () => out.push({ text, ms: Math.round(performance.now() - started) }),
        () => {},
      );
    return r;
  };
  try {
    await fn();
  } finally {
    proto.query = original;
  }
  return out;
}

/** The statements `fn` sends through any pg client (drizzle's pool included), in order. */
async function captureStatements(fn: () => Promise<unknown>): Promise<Statement[]> {
  const captured: Statement[] = [];
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const a = args[0] as string | { text?: string; values?: unknown[] };
    const text = typeof a === "string" ? a : a?.text;
    const values = (typeof a === "string" ? args[1] : (a?.values ?? args[1])) as unknown[] | undefined;
    if (text && /^\s*(select|with)\b/i.test(text)) captured.push({ text, values: values ?? [] });
    return original.apply(this, args);
  };
  try {
    await fn();
  } finally {
    proto.query = original;
  }
  return captured;
}

type PlanNode = {
  "Node Type": string;
  "Total Cost": number;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  Plans?: PlanNode[];
};

/** Rows the scans of a plan produced or filtered out (what the statement had to read). */
function rowsRead(node: PlanNode): number {
  const own = /Scan$/.test(node["Node Type"])
    ? ((node["Actual Rows"] ?? 0) +
        (node["Rows Removed by Filter"] ?? 0) +
        (node["Rows Removed by Index Recheck"] ?? 0)) *
      (node["Actual Loops"] ?? 1)
    : 0;
  return own + (node.Plans ?? []).reduce((a, p) => a + rowsRead(p), 0);
}

async function explainAll(client: pg.Client, statements: Statement[]): Promise<PlanFigures> {
  const out: PlanFigures = {
    statements: statements.length,
    executionMs: 0,
    planningMs: 0,
    rowsRead: 0,
    pages: 0,
    cost: 0,
  };
  for (const st of statements) {
    const { rows } = await client.query<{
      "QUERY PLAN": { Plan: PlanNode; "Execution Time": number; "Planning Time": number }[];
    }>(`explain (analyze, buffers, format json) ${st.text}`, st.values);
    const p = rows[0]!["QUERY PLAN"][0]!;
    out.executionMs += p["Execution Time"];
    out.planningMs += p["Planning Time"];
    out.rowsRead += rowsRead(p.Plan);
    out.pages += (p.Plan["Shared Hit Blocks"] ?? 0) + (p.Plan["Shared Read Blocks"] ?? 0);
    out.cost += p.Plan["Total Cost"];
  }
  out.executionMs = Math.round(out.executionMs * 10) / 10;
  out.planningMs = Math.round(out.planningMs * 10) / 10;
  out.cost = Math.round(out.cost);
  return out;
}
