/**
 * `npm run bench -- attribution`: orders credited on PostgreSQL. One workspace with 200 posts (a
 * tracked link each), 20,000 leads who each clicked a link (via a sign-up) and an email, then:
 * - record: `--orders` orders (default 5,000) through recordOrder, the code POST /api/v1/orders and
 *   the store webhooks run — half carry a click id, half only the buyer's email — one after another
 *   (as a store sends them): orders/s and p50/p99 per order;
 * - rebuild: every order credited again (what changing the model does): seconds and orders/s;
 * - read: Analytics → Revenue's attribution query for 30 days: p50/p99 of 20 runs (cache dropped).
 * No goal is set by the issue; the figures go in the note. BENCH_DATABASE_URL picks the database
 * (its name must contain "bench"; it is recreated).
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { rowsOf } from "@/server/db/raw-rows";
import { percentile, recreateDatabase } from "./lib/db";

export const description =
  "orders recorded and credited, the whole workspace re-credited, the attribution read";

const log = (line: string) => process.stderr.write(`[bench attribution] ${line}\n`);

function flag(args: string[], name: string, fallback: number) {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive whole number`);
  return v;
}

export async function run(args: string[]) {
  const orderCount = flag(args, "orders", 5000);
  const databaseUrl =
    process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/organic_bench_attribution";
  await recreateDatabase(databaseUrl, log);
  process.env.DATABASE_URL = databaseUrl;
  delete process.env.REDIS_URL;
  process.env.LOG_LEVEL = "error";
  // The app's modules read DATABASE_URL when they load: imported once it is set.
  const { openDb } = await import("@/server/db");
  const { recordOrder } = await import("@/server/services/attribution/orders");
  const { rebuildAttribution } = await import("@/server/services/attribution/attribute");
  const { getAttribution } = await import("@/server/services/analytics/queries");
  const { clearLocalCache } = await import("@/lib/cache");
  const handle = await openDb();
  await handle.migrate();
  const db = handle.db;

  const [user] = rowsOf<{ id: string }>(
    await db.execute(
      sql`insert into users (name, email, email_verified) values ('Bench', 'bench@bench.test', true) returning id`,
    ),
  );
  const [ws] = rowsOf<{ id: string }>(
    await db.execute(
      sql`insert into workspaces (name, slug, owner_id) values ('Bench', 'bench', ${user!.id}) returning id`,
    ),
  );
  const W = ws!.id;
  log("seeding 200 posts with links, 20,000 leads with a click, a sign-up and an email click each");
  await db.execute(sql`
    insert into content (workspace_id, type, title, status)
    select ${W}, case when i % 3 = 0 then 'blog' else 'tiktok' end, 'Post ' || i, 'published'
    from generate_series(1, 200) i`);
  await db.execute(sql`
    insert into tracked_links (workspace_id, code, destination, content_id)
    select ${W}, 'bench' || lpad(row_number() over ()::text, 5, '0'), 'https://shop.example/p', id
    from content where workspace_id = ${W}`);
  await db.execute(sql`
    insert into leads (workspace_id, email) select ${W}, 'lead' || i || '@bench.test' from generate_series(1, 20000) i`);
  await db.execute(sql`insert into signup_forms (workspace_id, name, slug) values (${W}, 'List', 'list')`);
  await db.execute(sql`
    insert into link_clicks (workspace_id, link_id, clicked_at, lead_id)
    select ${W}, (select id from tracked_links where workspace_id = ${W} order by id offset (l.n % 200) limit 1),
      now() - interval '3 days', l.id
    from (select id, row_number() over () as n from leads where workspace_id = ${W}) l`);
  await db.execute(sql`
    insert into form_signups (workspace_id, form_id, lead_id, click_id, created_at)
    select ${W}, (select id from signup_forms where workspace_id = ${W}), c.lead_id, c.id, c.clicked_at + interval '1 minute'
    from link_clicks c where c.workspace_id = ${W}`);
  await db.execute(sql`
    insert into email_campaigns (workspace_id, name, type, status, content) values (${W}, 'News', 'one-time', 'sent', '{}')`);
  await db.execute(sql`
    insert into campaign_steps (workspace_id, campaign_id, position, subject, body)
    select ${W}, id, 0, 'News', 'Hi' from email_campaigns where workspace_id = ${W}`);
  await db.execute(sql`
    insert into email_sends (workspace_id, campaign_id, step_id, lead_id, to_address, status, sent_at)
    select ${W}, s.campaign_id, s.id, l.id, l.email, 'sent', now() - interval '2 days'
    from campaign_steps s, leads l where s.workspace_id = ${W} and l.workspace_id = ${W}`);
  await db.execute(sql`
    insert into email_events (workspace_id, send_id, campaign_id, lead_id, type, created_at)
    select ${W}, id, campaign_id, lead_id, 'click', now() - interval '1 day' from email_sends where workspace_id = ${W}`);
  const clicks = rowsOf<{ id: string }>(
    await db.execute(
      sql`select id from link_clicks where workspace_id = ${W} order by id limit ${orderCount}`,
    ),
  );

  log(`recording ${orderCount} orders (half by click id, half by buyer email)`);
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < orderCount; i++) {
    const t = performance.now();
    await recordOrder(db, W, "api", {
      externalId: `B-${i}`,
      total: `${(i % 97) + 3}.${String(i % 100).padStart(2, "0")}`,
      currency: "USD",
      status: "completed",
      channel: "web",
      ...(i % 2 === 0
        ? { clickId: clicks[i % clicks.length]!.id }
        : { email: `lead${(i % 20000) + 1}@bench.test` }),
    });
    times.push(performance.now() - t);
  }
  const recordSeconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);

  await db.execute(
    sql`update workspaces set settings = settings || '{"attribution":{"model":"linear","windowDays":7}}'::jsonb where id = ${W}`,
  );
  log("re-crediting every order (linear)");
  const rebuildStart = performance.now();
  const rebuilt = await rebuildAttribution(db, W);
  const rebuildSeconds = (performance.now() - rebuildStart) / 1000;
  const [{ n: credits }] = rowsOf<{ n: number }>(
    await db.execute(sql`select count(*)::int as n from order_credits where workspace_id = ${W}`),
  ) as [{ n: number }];

  const reads: number[] = [];
  for (let i = 0; i < 20; i++) {
    clearLocalCache();
    const t = performance.now();
    await getAttribution(db, W, { preset: "30d", compare: false });
    reads.push(performance.now() - t);
  }
  reads.sort((a, b) => a - b);
  await handle.close();
  const round = (n: number) => Math.round(n * 10) / 10;
  const result = {
    bench: "attribution",
    id: randomUUID(),
    orders: orderCount,
    record: {
      ordersPerSecond: round(orderCount / recordSeconds),
      p50Ms: round(percentile(times, 50)),
      p99Ms: round(percentile(times, 99)),
    },
    rebuild: {
      orders: rebuilt.orders,
      credits,
      seconds: round(rebuildSeconds),
      ordersPerSecond: round(rebuilt.orders / rebuildSeconds),
    },
    read: { p50Ms: round(percentile(reads, 50)), p99Ms: round(percentile(reads, 99)) },
  };
  log(JSON.stringify(result));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
