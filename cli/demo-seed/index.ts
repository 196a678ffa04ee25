import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import {
  activityLogs,
  content,
  contentMetricSnapshots,
  contentMetrics,
  leads,
  linkClicks,
  orders,
  signupForms,
  trackedLinks,
  workspaceInvitations,
  workspaces,
} from "@/server/db/schema";
import { NotFoundError } from "@/server/errors";
import { record } from "@/server/services/activity";
import { refreshAnalytics } from "@/server/services/analytics/refresh";
import { attributeOrder, attributionSettings } from "@/server/services/attribution/attribute";
import type { Actor } from "@/server/services/context";
import { newLinkCode } from "@/server/services/links/links";
import { DEMO_FORM } from "./campaigns";
import { buildContent } from "./content";
import { CONTENT } from "./content-templates";
import { planAmazonOrders, planContentHistory } from "./history";
import { buildInvitations } from "./invitations";
import { buildLeads } from "./leads";
import { createRng, DAY, SEED } from "./rng";
import { type SeededEmail, seedEmail } from "./seed-email";
import { insertChunked, type SeedStep, type SeedTableCount } from "./types";

export type { SeedTableCount } from "./types";

/** The story's length: leads, posts, orders and mail of the last 90 days. */
const STORY_DAYS = 90;
const AMAZON_SEED = SEED ^ 0x0a3a_2011;

export interface SeedDemoResult {
  workspaceId: string;
  tables: {
    leads: SeedTableCount;
    content: SeedTableCount;
    contentMetrics: SeedTableCount;
    contentMetricSnapshots: SeedTableCount;
    orders: SeedTableCount;
    signupForms: SeedTableCount;
    formSubmissions: SeedTableCount;
    emailCampaigns: SeedTableCount;
    campaignSteps: SeedTableCount;
    campaignEnrollments: SeedTableCount;
    emailSends: SeedTableCount;
    emailEvents: SeedTableCount;
    workspaceInvitations: SeedTableCount;
    activityLogs: SeedTableCount;
  };
  /** The analytics rollup run over the story's days, so every dashboard figure includes it. */
  rollup: { mode: string; buckets: number; ms: number };
  ms: number;
}

/** Leads, generated in full even when skipped, so the random sequence (and every later value) is the same on every run. */
async function seedLeads({ tx, rng, workspaceId, now }: SeedStep) {
  const rows = buildLeads(rng, workspaceId, now);
  const inserted = await tx
    .insert(leads)
    .values(rows)
    .onConflictDoNothing({ target: [leads.workspaceId, leads.email] })
    .returning({ id: leads.id });
  return { rows, count: { inserted: inserted.length, skipped: rows.length - inserted.length } };
}

/** Content, skipped as a whole when the workspace already has demo content; returns the demo items. */
async function seedContent({ tx, rng, workspaceId, author, now }: SeedStep) {
  const slugs = CONTENT.flatMap((t) => (t.slug ? [t.slug] : []));
  const takenSlugs = new Set(
    (
      await tx
        .select({ slug: content.slug })
        .from(content)
        .where(and(eq(content.workspaceId, workspaceId), inArray(content.slug, slugs)))
    ).map((r) => r.slug!),
  );
  const contentRows = buildContent(rng, { workspaceId, createdBy: author, now, takenSlugs });
  const isDemo = and(
    eq(content.workspaceId, workspaceId),
    sql`${content.metadata} @> '{"demo": true}'::jsonb`,
  );
  const [existingDemo] = await tx.select({ id: content.id }).from(content).where(isDemo).limit(1);
  const inserted = existingDemo
    ? []
    : await tx.insert(content).values(contentRows).returning({ id: content.id });
  const items = await tx
    .select({
      id: content.id,
      type: content.type,
      title: content.title,
      status: content.status,
      publishedAt: content.publishedAt,
      key: sql<string>`${content.metadata}->>'demoKey'`,
    })
    .from(content)
    .where(isDemo);
  // In the templates' order, so the random draws of their history come in the same order every run.
  const order = (key: string) => Number(key.replace("content-", ""));
  items.sort((x, y) => order(x.key) - order(y.key));
  return {
    count: { inserted: inserted.length, skipped: contentRows.length - inserted.length },
    fresh: inserted.length > 0,
    items,
  };
}

/** The signup form the `form:newsletter` leads came through, with a "form.submitted" entry per lead. */
async function seedForm({ tx, workspaceId }: SeedStep) {
  const [form] = await tx
    .insert(signupForms)
    .values({
      workspaceId,
      slug: DEMO_FORM.slug,
      name: DEMO_FORM.name,
      fields: [{ key: "name", label: "Your name", required: false }],
      tags: [...DEMO_FORM.tags],
      settings: { title: "Join the Thornfall newsletter", buttonLabel: "Count me in" },
    })
    .onConflictDoNothing()
    .returning({ id: signupForms.id, createdAt: signupForms.createdAt });
  if (!form) return { form: { inserted: 0, skipped: 1 }, submissions: { inserted: 0, skipped: 0 } };
  const joined = await tx
    .select({ id: leads.id, status: leads.status, createdAt: leads.createdAt })
    .from(leads)
    .where(and(eq(leads.workspaceId, workspaceId), eq(leads.source, DEMO_FORM.source)));
  const first = joined.reduce((min, l) => Math.min(min, l.createdAt.getTime()), Date.now());
  await tx
    .update(signupForms)
    .set({ createdAt: new Date(first - DAY), updatedAt: new Date(first - DAY) })
    .where(eq(signupForms.id, form.id));
  if (joined.length) {
    // What submitForm records for a new lead.
    await tx.insert(activityLogs).values(
      joined.map((l) => ({
        workspaceId,
        userId: null,
        action: "form.submitted",
        entityType: "lead",
        entityId: l.id,
        metadata: { formId: form.id, form: DEMO_FORM.name, created: true, status: l.status },
        createdAt: l.createdAt,
      })),
    );
  }
  return { form: { inserted: 1, skipped: 0 }, submissions: { inserted: joined.length, skipped: 0 } };
}

/**
 * Each published item's daily snapshots, current figures and attributed orders (fresh content only),
 * then the marketplace's orders. Orders are keyed like the sync keys them, so a rerun skips them.
 */
async function seedHistory(
  step: SeedStep,
  p: { fresh: boolean; items: Awaited<ReturnType<typeof seedContent>>["items"]; reach: SeededEmail["reach"] },
) {
  const { tx, rng, workspaceId, now } = step;
  const snapshots: (typeof contentMetricSnapshots.$inferInsert)[] = [];
  const metrics: (typeof contentMetrics.$inferInsert)[] = [];
  const orderRows: (typeof orders.$inferInsert)[] = [];
  if (p.fresh) {
    let orderNo = 1000;
    for (const item of p.items) {
      if (item.status !== "published" || !item.publishedAt) continue;
      const h = planContentHistory(rng, {
        workspaceId,
        item: { id: item.id, type: item.type, publishedAt: item.publishedAt },
        email: p.reach.get(item.title) ?? null,
        now,
        nextOrder: () => ++orderNo,
      });
      snapshots.push(...h.snapshots);
      metrics.push(h.metrics);
      orderRows.push(...h.orders);
    }
  }
  // A stream of its own: the same order ids whether or not the content history above was drawn.
  orderRows.push(...planAmazonOrders(createRng(AMAZON_SEED), { workspaceId, now, days: STORY_DAYS }));
  await insertChunked(snapshots, (c) => tx.insert(contentMetricSnapshots).values(c));
  await insertChunked(metrics, (c) => tx.insert(contentMetrics).values(c));
  let insertedOrders = 0;
  await insertChunked(orderRows, async (c) => {
    insertedOrders += (
      await tx
        .insert(orders)
        .values(c)
        .onConflictDoNothing({ target: [orders.workspaceId, orders.source, orders.externalId] })
        .returning({ id: orders.id })
    ).length;
  });
  if (p.fresh) await creditContentOrders(step, p.items);
  return {
    contentMetrics: { inserted: metrics.length, skipped: 0 },
    contentMetricSnapshots: { inserted: snapshots.length, skipped: 0 },
    orders: { inserted: insertedOrders, skipped: orderRows.length - insertedOrders },
  };
}

/**
 * How the demo's content orders came in: each item has a tracked link (its shop page), each order a
 * person's click on it shortly before the purchase, and the order names that click (as a store
 * brings back `ocid`) — then it is credited by the same code as a real order (attributeOrder), which
 * also sets the items' revenue on the content list.
 */
async function creditContentOrders(
  { tx, workspaceId, now }: SeedStep,
  items: Awaited<ReturnType<typeof seedContent>>["items"],
) {
  const sold = await tx
    .select({ id: orders.id, contentId: orders.contentId, purchaseDate: orders.purchaseDate })
    .from(orders)
    .where(
      and(
        eq(orders.workspaceId, workspaceId),
        sql`${orders.contentId} is not null`,
        sql`${orders.clickId} is null`,
      ),
    );
  if (sold.length === 0) return;
  const titles = new Map(items.map((i) => [i.id, i] as const));
  const linkOf = new Map<string, string>();
  for (const contentId of new Set(sold.map((o) => o.contentId!))) {
    const item = titles.get(contentId);
    const [link] = await tx
      .insert(trackedLinks)
      .values({
        workspaceId,
        code: newLinkCode(9),
        destination: `https://shop.fernwood.example/products/${item?.id.slice(0, 8) ?? contentId.slice(0, 8)}`,
        label: `Shop link: ${item?.title ?? "demo"}`,
        utmSource: item?.type ?? "demo",
        utmMedium: item?.type === "tiktok" ? "social" : (item?.type ?? "demo"),
        contentId,
        createdAt: new Date(now - 91 * DAY),
      })
      .returning({ id: trackedLinks.id });
    linkOf.set(contentId, link!.id);
  }
  for (const o of sold) {
    const [click] = await tx
      .insert(linkClicks)
      .values({
        workspaceId,
        linkId: linkOf.get(o.contentId!)!,
        clickedAt: new Date(o.purchaseDate.getTime() - 17 * 60_000),
      })
      .returning({ id: linkClicks.id });
    await tx.update(orders).set({ clickId: click!.id }).where(eq(orders.id, o.id));
  }
  // The links' daily counts, as /l/<code> keeps them (the workspace's local day).
  await tx.execute(sql`
    insert into tracked_link_clicks (workspace_id, link_id, day, clicks)
    select c.workspace_id, c.link_id, (c.clicked_at at time zone w.time_zone)::date, count(*)::int
    from link_clicks c join workspaces w on w.id = c.workspace_id
    where c.workspace_id = ${workspaceId}
    group by 1, 2, 3
    on conflict (link_id, day) do update set clicks = excluded.clicks`);
  const settings = await attributionSettings(tx, workspaceId);
  for (const o of sold) await attributeOrder(tx, workspaceId, o.id, settings);
}

/** Invitations: at most one pending per email and workspace, so a rerun skips them. */
async function seedInvitations({ tx, workspaceId, author, now }: SeedStep): Promise<SeedTableCount> {
  const rows = buildInvitations(workspaceId, author, now);
  const inserted = await tx
    .insert(workspaceInvitations)
    .values(rows)
    .onConflictDoNothing()
    .returning({ id: workspaceInvitations.id });
  return { inserted: inserted.length, skipped: rows.length - inserted.length };
}

/**
 * Fills a workspace with a 90-day demo story: leads (some through a signup form), content with a
 * daily metric history and the orders it brought in, marketplace orders, campaigns with their steps,
 * sends, opens and clicks (a running sequence among them), pending invitations and an activity
 * entry — then runs the analytics rollup over those days, so Overview, Analytics, the content list
 * and the campaign reports all show the same figures. Safe to run again: existing leads (same
 * email), campaigns (same name), the form (same slug), orders (same id) and pending invitations
 * (same email) are skipped, and content with its history is skipped as a whole when the workspace
 * already has demo content (`metadata.demo = true`).
 *
 * Left alone on purpose: members (they would need sign-in accounts), API keys (secrets nobody should
 * inherit from a demo), outbox messages (mail the app itself sent) and domain events (webhooks must
 * not announce made-up orders and leads).
 */
export async function seedDemo(db: Db, p: { workspaceId: string; actor: Actor }): Promise<SeedDemoResult> {
  const started = performance.now();
  const { workspaceId, actor } = p;
  const now = Date.now();
  const rng = createRng(SEED);

  const tables = await db.transaction(async (tx) => {
    // Two seeds of one workspace at once would both see "no demo content yet".
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`organic:demo-seed:${workspaceId}`}))`);

    const [ws] = await tx
      .select({ id: workspaces.id, ownerId: workspaces.ownerId })
      .from(workspaces)
      .where(eq(workspaces.id, workspaceId));
    if (!ws) throw new NotFoundError("Workspace not found");
    const step: SeedStep = { tx, rng, workspaceId, author: actor.userId ?? ws.ownerId, now };

    // In this order: each step draws from the one random sequence.
    const seededLeads = await seedLeads(step);
    const seededContent = await seedContent(step);
    const seededForm = await seedForm(step);
    const emailItems = new Map(
      seededContent.items.filter((i) => i.type === "email").map((i) => [i.title, i] as const),
    );
    const email = await seedEmail(step, emailItems);
    const history = await seedHistory(step, { ...seededContent, reach: email.reach });
    const tables: SeedDemoResult["tables"] = {
      leads: seededLeads.count,
      content: seededContent.count,
      ...history,
      signupForms: seededForm.form,
      formSubmissions: seededForm.submissions,
      ...email.counts,
      workspaceInvitations: await seedInvitations(step),
      activityLogs: { inserted: 1, skipped: 0 },
    };
    await record(
      tx,
      actor,
      workspaceId,
      "demo.seeded",
      { type: "workspace", id: workspaceId },
      {
        inserted: Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, v.inserted])),
        skipped: Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, v.skipped])),
      },
    );
    return tables;
  });
  // Back-dated rows are invisible to the rollup's watermark scan: rebuild the story's days.
  const rollup = await refreshAnalytics(db, {
    wait: true,
    rebuild: { workspaceId, from: new Date(now - (STORY_DAYS + 2) * DAY) },
  });
  return {
    workspaceId,
    tables,
    rollup: { mode: rollup.mode, buckets: rollup.buckets, ms: rollup.ms },
    ms: Math.round(performance.now() - started),
  };
}
