import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { bumpNamespace } from "@/lib/cache";
import type { Db } from "@/server/db";
import { type OrderSource, orderCredits, orders } from "@/server/db/schema";
import { requestRollupSoon } from "../analytics/live";
import { cacheNamespace } from "../analytics/queries/common";
import { transactWithEvents } from "../domain-events/record";
import { domainEvent } from "../domain-events/types";
import { exitOnOrder } from "../email/goals";
import { attributeOrder, attributionSettings, type Credit, lockAttribution } from "./attribute";
import type { RecordOrderInput } from "./schemas";
import { workspaceClickId } from "./touches";

export interface RecordedOrder {
  id: string;
  externalId: string;
  source: OrderSource;
  purchasedAt: string;
  status: string;
  channel: string;
  total: string;
  currency: string;
  created: boolean;
  /** What the order was credited to; empty when unattributed. */
  credits: {
    touch: Credit["kind"];
    touchedAt: string;
    linkId: string | null;
    contentId: string | null;
    campaignId: string | null;
    campaignStepId: string | null;
    formId: string | null;
    revenue: string;
  }[];
}

/**
 * Records an order a store or a script reported (REST, Shopify, WooCommerce): created, or — the same
 * (source, external id) again — updated in place, so a retried request or a redelivered webhook
 * never adds a second order. The order and its credits (services/attribution/attribute.ts) commit
 * together; a new order emits `order.created`. A click id that is not one of this workspace's clicks
 * is not kept (it credits nothing).
 */
export async function recordOrder(
  db: Db,
  workspaceId: string,
  source: Exclude<OrderSource, "amazon">,
  input: RecordOrderInput,
): Promise<RecordedOrder> {
  const order = await transactWithEvents(db, async (tx, events) => {
    // Read under the workspace's attribution lock (shared: orders do not wait for each other, only
    // for a re-credit in progress), so an order never lands with the rule a re-credit just replaced.
    await lockAttribution(tx, workspaceId, "shared");
    const settings = await attributionSettings(tx, workspaceId);
    const clickId = await workspaceClickId(tx, workspaceId, input.clickId);
    const values = {
      workspaceId,
      source,
      externalId: input.externalId,
      purchaseDate: input.purchasedAt ? new Date(input.purchasedAt) : new Date(),
      status: input.status,
      channel: input.channel,
      total: input.total,
      currency: input.currency,
      clickId,
      buyerEmail: input.email ? input.email.trim().toLowerCase() : null,
      utm: input.utm ?? {},
      metadata: input.metadata ?? {},
    };
    const [row] = await tx
      .insert(orders)
      .values(values)
      .onConflictDoUpdate({
        target: [orders.workspaceId, orders.source, orders.externalId],
        set: {
          purchaseDate: sql`excluded.purchase_date`,
          status: sql`excluded.status`,
          channel: sql`excluded.channel`,
          total: sql`excluded.total`,
          currency: sql`excluded.currency`,
          // What a later report leaves out, the earlier one told: keep it.
          clickId: sql`coalesce(excluded.click_id, ${orders.clickId})`,
          buyerEmail: sql`coalesce(excluded.buyer_email, ${orders.buyerEmail})`,
          utm: sql`${orders.utm} || excluded.utm`,
          metadata: sql`${orders.metadata} || excluded.metadata`,
          updatedAt: new Date(),
        },
      })
      .returning({
        id: orders.id,
        inserted: sql<boolean>`(xmax = 0)`,
        purchaseDate: orders.purchaseDate,
        status: orders.status,
        channel: orders.channel,
        total: orders.total,
        currency: orders.currency,
      });
    const credits = await attributeOrder(tx, workspaceId, row!.id, settings);
    const order: RecordedOrder = {
      id: row!.id,
      externalId: input.externalId,
      source,
      purchasedAt: row!.purchaseDate.toISOString(),
      status: row!.status,
      channel: row!.channel,
      total: row!.total ?? "0.00",
      currency: row!.currency ?? input.currency,
      created: row!.inserted,
      credits: credits.map((c) => ({
        touch: c.kind,
        touchedAt: c.at.toISOString(),
        linkId: c.linkId,
        contentId: c.contentId,
        campaignId: c.campaignId,
        campaignStepId: c.campaignStepId,
        formId: c.formId,
        revenue: c.revenue,
      })),
    };
    if (row!.inserted) {
      const { credits: _, created: __, ...snapshot } = order;
      events.push(domainEvent(workspaceId, "order.created", { ...snapshot, attributed: credits.length > 0 }));
    }
    return order;
  });
  // A sequence whose goal is an order stops for this buyer (services/email/goals.ts).
  await exitOnOrder(db, { workspaceId, email: input.email, status: order.status, orderId: order.id });
  // The dashboards show credited figures straight from the credits: drop their cached answers; the
  // order totals come from the rollup, asked to run soon (new orders and changed ones alike).
  await bumpNamespace(cacheNamespace(workspaceId));
  await requestRollupSoon();
  return order;
}

/** Qualified: in a one-table select Drizzle leaves the table name out, and `id` is ambiguous in a subquery. */
const ORDER_ID = sql.raw(`"orders"."id"`);

/** The workspace's latest orders with what each was credited to (Settings → Attribution). */
export async function listOrders(
  db: Db,
  workspaceId: string,
  p: { attributed: "all" | "attributed" | "unattributed"; limit: number },
) {
  const credited = sql`exists (select 1 from ${orderCredits} c where c.order_id = ${ORDER_ID})`;
  const rows = await db
    .select({
      id: orders.id,
      source: orders.source,
      externalId: orders.externalId,
      purchasedAt: orders.purchaseDate,
      status: orders.status,
      total: orders.total,
      currency: orders.currency,
      buyerEmail: orders.buyerEmail,
      credits: sql<
        {
          touch: string;
          contentId: string | null;
          campaignId: string | null;
          revenue: string;
          label: string;
        }[]
      >`coalesce((
        select json_agg(json_build_object(
          'touch', c.touch, 'contentId', c.content_id, 'campaignId', c.campaign_id, 'revenue', c.revenue::text,
          'label', coalesce(ct.title, ec.name, f.name, l.label, '')) order by c.position)
        from order_credits c
        left join content ct on ct.id = c.content_id
        left join email_campaigns ec on ec.id = c.campaign_id
        left join signup_forms f on f.id = c.form_id
        left join tracked_links l on l.id = c.link_id
        where c.order_id = ${ORDER_ID}), '[]'::json)`,
    })
    .from(orders)
    .where(
      and(
        eq(orders.workspaceId, workspaceId),
        p.attributed === "attributed"
          ? credited
          : p.attributed === "unattributed"
            ? sql`not ${credited}`
            : undefined,
      ),
    )
    .orderBy(desc(orders.purchaseDate), desc(orders.id))
    .limit(p.limit);
  return rows;
}
