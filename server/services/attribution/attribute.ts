import "server-only";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { bumpNamespace } from "@/lib/cache";
import type { Db } from "@/server/db";
import { rowsOf } from "@/server/db/raw-rows";
import { leads, orderCredits, orders, type TouchKind } from "@/server/db/schema";
import { cacheNamespace } from "../analytics/queries/common";
import { type AttributionSettings, DEFAULT_ATTRIBUTION } from "../workspaces/schemas";
import { readWorkspaceSettings } from "../workspaces/settings";

/** A moment the buyer met the workspace's marketing, and what it belongs to. */
export interface Touch {
  kind: TouchKind;
  at: Date;
  /** The touch's own row (link click, email event, form sign-up): ties broken by it, so reruns agree. */
  ref: string;
  linkId: string | null;
  contentId: string | null;
  campaignId: string | null;
  campaignStepId: string | null;
  formId: string | null;
}

export type Credit = Touch & { position: number; shares: number; revenue: string };

export async function attributionSettings(db: Db, workspaceId: string): Promise<AttributionSettings> {
  return (await readWorkspaceSettings(db, workspaceId)).attribution ?? DEFAULT_ATTRIBUTION;
}

/** `total` (a decimal string, 2 places at most) in cents, exactly. */
function cents(total: string | null): bigint {
  if (total === null) return 0n;
  const [whole, frac = ""] = total.split(".");
  return BigInt(whole!) * 100n + BigInt(frac.padEnd(2, "0").slice(0, 2));
}

const decimal = (c: bigint) => `${c / 100n}.${(c % 100n).toString().padStart(2, "0")}`;

/**
 * The credits of an order worth `total` among its touches (oldest first): all of it to the last
 * touch or to the first, or split evenly (linear) in whole cents, the leftover cents going one each
 * to the earliest touches — so the credits always add up to the total, exactly.
 */
export function splitCredits(
  touches: readonly Touch[],
  total: string | null,
  model: AttributionSettings["model"],
): Credit[] {
  if (touches.length === 0) return [];
  const whole = cents(total);
  if (model !== "linear" || touches.length === 1) {
    const touch = model === "first_touch" ? touches[0]! : touches.at(-1)!;
    return [{ ...touch, position: 0, shares: 1, revenue: decimal(whole) }];
  }
  const n = BigInt(touches.length);
  const base = whole / n;
  const left = whole % n;
  return touches.map((t, i) => ({
    ...t,
    position: i,
    shares: touches.length,
    revenue: decimal(base + (BigInt(i) < left ? 1n : 0n)),
  }));
}

type TouchRow = {
  kind: TouchKind;
  at: string | Date;
  ref: string;
  link_id: string | null;
  content_id: string | null;
  campaign_id: string | null;
  campaign_step_id: string | null;
  form_id: string | null;
};

const toTouch = (r: TouchRow): Touch => ({
  kind: r.kind,
  at: new Date(r.at),
  ref: r.ref,
  linkId: r.link_id,
  contentId: r.content_id,
  campaignId: r.campaign_id,
  campaignStepId: r.campaign_step_id,
  formId: r.form_id,
});

/** The click an order names, if it is one of this workspace's. */
async function clickTouch(db: Db, workspaceId: string, clickId: string): Promise<Touch | null> {
  const [row] = rowsOf<TouchRow>(
    await db.execute(sql`
      select 'link_click' as kind, c.clicked_at as at, c.id::text as ref, l.id as link_id,
        l.content_id, s.campaign_id, l.campaign_step_id, null::uuid as form_id
      from link_clicks c
      join tracked_links l on l.id = c.link_id
      left join campaign_steps s on s.id = l.campaign_step_id
      where c.workspace_id = ${workspaceId} and c.id = ${clickId}`),
  );
  return row ? toTouch(row) : null;
}

/**
 * A lead's touches in [from, to], oldest first: a person's email clicks (machines' never count),
 * the tracked-link clicks their sign-ups tied to them, and their form sign-ups (with the link the
 * sign-up came from, when the form page carried its click id).
 */
export async function leadTouches(
  db: Db,
  workspaceId: string,
  leadId: string,
  from: Date,
  to: Date,
): Promise<Touch[]> {
  const f = from.toISOString();
  const t = to.toISOString();
  const rows = rowsOf<TouchRow>(
    await db.execute(sql`
      select 'email_click' as kind, e.created_at as at, e.id::text as ref, null::uuid as link_id,
        null::uuid as content_id, e.campaign_id, s.step_id as campaign_step_id, null::uuid as form_id
      from email_events e
      left join email_sends s on s.id = e.send_id
      where e.workspace_id = ${workspaceId} and e.lead_id = ${leadId} and e.type = 'click'
        and not e.is_machine and e.created_at >= ${f} and e.created_at <= ${t}
      union all
      select 'link_click', c.clicked_at, c.id::text, l.id, l.content_id, st.campaign_id,
        l.campaign_step_id, null::uuid
      from link_clicks c
      join tracked_links l on l.id = c.link_id
      left join campaign_steps st on st.id = l.campaign_step_id
      where c.workspace_id = ${workspaceId} and c.lead_id = ${leadId}
        and c.clicked_at >= ${f} and c.clicked_at <= ${t}
      union all
      select 'form_signup', fs.created_at, fs.id::text, l.id, l.content_id, st.campaign_id,
        l.campaign_step_id, fs.form_id
      from form_signups fs
      left join link_clicks c on c.id = fs.click_id
      left join tracked_links l on l.id = c.link_id
      left join campaign_steps st on st.id = l.campaign_step_id
      where fs.workspace_id = ${workspaceId} and fs.lead_id = ${leadId}
        and fs.created_at >= ${f} and fs.created_at <= ${t}
      order by at, kind, ref`),
  );
  return rows.map(toTouch);
}

/**
 * (Re)computes one order's credits from the raw rows, replacing what it had: its click id → that
 * link (whatever the model); else the buyer's lead (by the order's buyer email, else the lead it
 * names) → their touches in the window before the purchase, credited by the workspace's model; else
 * none (unattributed). Also keeps `orders.lead_id` on the lead the buyer email names. Returns the
 * credits written.
 */
export async function attributeOrder(
  db: Db,
  workspaceId: string,
  orderId: string,
  settings: AttributionSettings,
  opts: { syncContent?: boolean } = {},
): Promise<Credit[]> {
  const [order] = await db
    .select({
      purchaseDate: orders.purchaseDate,
      total: orders.total,
      currency: orders.currency,
      clickId: orders.clickId,
      buyerEmail: orders.buyerEmail,
      leadId: orders.leadId,
    })
    .from(orders)
    .where(and(eq(orders.workspaceId, workspaceId), eq(orders.id, orderId)));
  if (!order) return [];

  let touches: Touch[] = [];
  const click = order.clickId ? await clickTouch(db, workspaceId, order.clickId) : null;
  let leadId = order.leadId;
  if (order.buyerEmail) {
    const [lead] = await db
      .select({ id: leads.id })
      .from(leads)
      .where(and(eq(leads.workspaceId, workspaceId), eq(leads.email, order.buyerEmail)));
    leadId = lead?.id ?? null;
    if (leadId !== order.leadId)
      await db
        .update(orders)
        .set({ leadId })
        .where(and(eq(orders.workspaceId, workspaceId), eq(orders.id, orderId)));
  }
  if (click) touches = [click];
  else if (leadId) {
    const from = new Date(order.purchaseDate.getTime() - settings.windowDays * 86_400_000);
    touches = await leadTouches(db, workspaceId, leadId, from, order.purchaseDate);
  }
  const credits = splitCredits(touches, order.total, click ? "last_touch" : settings.model);

  const replaced = await db
    .delete(orderCredits)
    .where(and(eq(orderCredits.workspaceId, workspaceId), eq(orderCredits.orderId, orderId)))
    .returning({ contentId: orderCredits.contentId });
  if (credits.length)
    await db.insert(orderCredits).values(
      credits.map((c) => ({
        workspaceId,
        orderId,
        position: c.position,
        shares: c.shares,
        touch: c.kind,
        touchedAt: c.at,
        purchasedAt: order.purchaseDate,
        linkId: c.linkId,
        contentId: c.contentId,
        campaignId: c.campaignId,
        campaignStepId: c.campaignStepId,
        formId: c.formId,
        revenue: c.revenue,
        currency: order.currency,
      })),
    );
  if (opts.syncContent !== false) {
    const items = new Set([...replaced, ...credits].map((c) => c.contentId).filter((id) => id !== null));
    await syncContentRevenue(db, workspaceId, [...items]);
  }
  return credits;
}

/**
 * The content list's revenue and conversions of these items (`content_metrics`): what the credits
 * of their live orders add up to — revenue exact, conversions the orders each item has a share of.
 */
export async function syncContentRevenue(db: Db, workspaceId: string, contentIds: string[]): Promise<void> {
  if (contentIds.length === 0) return;
  const ids = sql`array[${sql.join(
    contentIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  )}]`;
  await db.execute(sql`
    insert into content_metrics (content_id, revenue, conversions)
    select c.id, least(coalesce(x.revenue, 0), 99999999.99), coalesce(x.orders, 0)
    from content c
    left join (
      select oc.content_id, sum(oc.revenue) as revenue, count(distinct oc.order_id)::int as orders
      from order_credits oc join orders o on o.id = oc.order_id
      where oc.workspace_id = ${workspaceId} and oc.content_id = any(${ids})
        and lower(o.status) not in ('canceled', 'cancelled')
      group by oc.content_id
    ) x on x.content_id = c.id
    where c.workspace_id = ${workspaceId} and c.id = any(${ids})
    on conflict (content_id) do update set revenue = excluded.revenue, conversions = excluded.conversions`);
}

/**
 * The workspace's attribution lock for the rest of the transaction: a re-credit page holds it
 * exclusively, a recorded order shared (orders never wait for each other).
 */
export async function lockAttribution(tx: Db, workspaceId: string, mode: "shared" | "exclusive") {
  const key = sql`hashtext(${`organic:attribution:${workspaceId}`})`;
  await tx.execute(
    mode === "shared"
      ? sql`select pg_advisory_xact_lock_shared(${key})`
      : sql`select pg_advisory_xact_lock(${key})`,
  );
}

/**
 * Every order of the workspace credited again from the raw rows (after the model or window
 * changed, or to check the figures): the same rows as computing each order on arrival. A page of
 * orders per transaction, holding the workspace's rebuild lock and reading the settings under it:
 * two rebuilds never interleave a page, and whichever runs a page last uses the newest settings.
 */
export async function rebuildAttribution(
  db: Db,
  workspaceId: string,
  opts: { onPage?: (pages: number, orders: number) => Promise<void> } = {},
): Promise<{ orders: number }> {
  let after = "00000000-0000-0000-0000-000000000000";
  let count = 0;
  let pages = 0;
  for (;;) {
    const page = await db
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.workspaceId, workspaceId), gt(orders.id, after)))
      .orderBy(asc(orders.id))
      .limit(REBUILD_PAGE);
    // The content list's figures are synced once at the end, not per order.
    await db.transaction(async (tx) => {
      await lockAttribution(tx, workspaceId, "exclusive");
      const settings = await attributionSettings(tx, workspaceId);
      for (const { id } of page) await attributeOrder(tx, workspaceId, id, settings, { syncContent: false });
    });
    count += page.length;
    pages += 1;
    await opts.onPage?.(pages, count);
    if (page.length < REBUILD_PAGE) break;
    after = page.at(-1)!.id;
  }
  const items = rowsOf<{ id: string }>(
    await db.execute(sql`
      select distinct content_id::text as id from order_credits where workspace_id = ${workspaceId} and content_id is not null
      union
      select m.content_id::text from content_metrics m join content c on c.id = m.content_id
        where c.workspace_id = ${workspaceId} and (m.revenue > 0 or m.conversions > 0)`),
  );
  for (let i = 0; i < items.length; i += REBUILD_PAGE)
    await syncContentRevenue(
      db,
      workspaceId,
      items.slice(i, i + REBUILD_PAGE).map((x) => x.id),
    );
  await bumpNamespace(cacheNamespace(workspaceId));
  return { orders: count };
}

const REBUILD_PAGE = 500;
