import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { Db } from "@/server/db";
import { integrations, orders } from "@/server/db/schema";
import { ConflictError } from "@/server/errors";
import type { Order2026, OrderV0 } from "@/server/integrations/amazon/schemas";
import { isIntegrationError } from "@/server/integrations/http";
import { noteFailure, recordSync } from "@/server/integrations/store";
import { enqueueAmazonOrdersSync } from "@/server/queue/jobs/amazon-orders";
import { countUnfinishedRuns, createJobRun, runSyncOnJobRun } from "@/server/services/jobs";
import type { WorkspaceServiceContext } from "../../context";
import { transactWithEvents } from "../../domain-events/record";
import { domainEvent } from "../../domain-events/types";
import { type AmazonSettings, amazonConnection } from "./connection";

/**
 * Amazon orders → `orders` (revenue analytics). Incremental by the largest LastUpdateDate seen:
 * each sync asks for orders updated after the watermark, pages through NextToken (v0) or
 * pagination.nextToken (2026-01-01), and upserts by (workspace, 'amazon', AmazonOrderId). Totals
 * stay decimal strings into numeric(14,2) — never a float. Re-running a sync changes nothing.
 */

export const AMAZON_ORDERS_SYNC_KIND = "amazon.orders-sync";
/** A first sync looks back this far. */
export const INITIAL_SYNC_DAYS = 30;
const MAX_PAGES = 500;

export interface NormalizedOrder {
  externalId: string;
  purchaseDate: Date;
  lastUpdatedAt: Date;
  status: string;
  marketplaceId: string | null;
  total: string | null;
  currency: string | null;
  metadata: Record<string, unknown>;
}

/** Amazon's amount string at two decimals, exactly (numeric(14,2) would round half-up anyway). */
function exactTotal(amount: string | undefined): string | null {
  if (amount === undefined) return null;
  const a = amount.trim();
  // Negative totals cannot be revenue; keep the order without a total rather than invent one.
  if (a.startsWith("-")) return null;
  return a;
}

export function normalizeV0(o: OrderV0): NormalizedOrder {
  return {
    externalId: o.AmazonOrderId,
    purchaseDate: new Date(o.PurchaseDate),
    lastUpdatedAt: new Date(o.LastUpdateDate),
    status: o.OrderStatus,
    marketplaceId: o.MarketplaceId ?? null,
    total: exactTotal(o.OrderTotal?.Amount),
    currency: o.OrderTotal?.CurrencyCode?.toUpperCase() ?? null,
    metadata: {
      fulfillmentChannel: o.FulfillmentChannel ?? null,
      itemsShipped: o.NumberOfItemsShipped ?? null,
      itemsUnshipped: o.NumberOfItemsUnshipped ?? null,
      apiVersion: "v0",
    },
  };
}

/** 2026-01-01 fulfillmentStatus (UPPER_SNAKE) → the v0 OrderStatus names, so both APIs store alike. */
const STATUS_2026: Record<string, string> = {
  PENDING_AVAILABILITY: "PendingAvailability",
  PENDING: "Pending",
  UNSHIPPED: "Unshipped",
  PARTIALLY_SHIPPED: "PartiallyShipped",
  SHIPPED: "Shipped",
  CANCELLED: "Canceled",
  UNFULFILLABLE: "Unfulfillable",
};

export function normalize2026(o: Order2026): NormalizedOrder {
  const total = o.proceeds?.grandTotal;
  const status = o.fulfillment?.fulfillmentStatus;
  return {
    externalId: o.orderId,
    purchaseDate: new Date(o.createdTime),
    lastUpdatedAt: new Date(o.lastUpdatedTime),
    status: status ? (STATUS_2026[status.toUpperCase()] ?? status) : "Unknown",
    marketplaceId: o.salesChannel?.marketplaceId ?? null,
    total: exactTotal(total?.amount),
    currency: total?.currencyCode?.toUpperCase() ?? null,
    metadata: {
      fulfilledBy: o.fulfillment?.fulfilledBy ?? null,
      salesChannel: o.salesChannel?.channelName ?? null,
      apiVersion: "2026-01-01",
    },
  };
}

/**
 * Inserts new orders and updates those Amazon changed since we stored them (a strictly newer
 * LastUpdateDate); an order seen again unchanged is left alone. Returns exact counts.
 */
export async function upsertAmazonOrders(db: Db, workspaceId: string, rows: NormalizedOrder[]) {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  // One page may repeat an order (Amazon pages are not snapshots); keep its newest version.
  const byId = new Map<string, NormalizedOrder>();
  for (const r of rows) {
    const prev = byId.get(r.externalId);
    if (!prev || prev.lastUpdatedAt < r.lastUpdatedAt) byId.set(r.externalId, r);
  }
  const values = [...byId.values()].map((r) => ({
    workspaceId,
    source: "amazon" as const,
    channel: "amazon",
    externalId: r.externalId,
    purchaseDate: r.purchaseDate,
    lastUpdatedAt: r.lastUpdatedAt,
    status: r.status,
    marketplaceId: r.marketplaceId,
    total: r.total,
    currency: r.currency,
    metadata: r.metadata,
  }));
  // The orders and their `order.created` events (new orders only, never updates) commit together.
  const result = await transactWithEvents(db, async (tx, events) => {
    const rows = await upsertOrderRows(tx, values);
    for (const { inserted, ...o } of rows) {
      if (inserted) events.push(domainEvent(workspaceId, "order.created", { ...o, source: "amazon" }));
    }
    return rows;
  });
  const inserted = result.filter((r) => r.inserted).length;
  const updated = result.length - inserted;
  return { inserted, updated, unchanged: values.length - result.length };
}

async function upsertOrderRows(db: Db, values: (typeof orders.$inferInsert)[]) {
  return db
    .insert(orders)
    .values(values)
    .onConflictDoUpdate({
      target: [orders.workspaceId, orders.source, orders.externalId],
      set: {
        purchaseDate: sql`excluded.purchase_date`,
        lastUpdatedAt: sql`excluded.last_updated_at`,
        status: sql`excluded.status`,
        marketplaceId: sql`excluded.marketplace_id`,
        total: sql`excluded.total`,
        currency: sql`excluded.currency`,
        metadata: sql`${orders.metadata} || excluded.metadata`,
        updatedAt: new Date(),
      },
      setWhere: sql`${orders.lastUpdatedAt} is null or excluded.last_updated_at > ${orders.lastUpdatedAt}`,
    })
    .returning({
      inserted: sql<boolean>`(xmax = 0)`,
      id: orders.id,
      externalId: orders.externalId,
      purchaseDate: orders.purchaseDate,
      status: orders.status,
      channel: orders.channel,
      marketplaceId: orders.marketplaceId,
      total: orders.total,
      currency: orders.currency,
    });
}

export interface SyncResult extends Record<string, unknown> {
  apiVersion: string;
  pages: number;
  fetched: number;
  inserted: number;
  updated: number;
  unchanged: number;
  since: string;
  watermark: string | null;
}

/** Pages through Amazon's orders updated after the watermark and upserts them. */
export async function syncAmazonOrders(
  db: Db,
  p: { workspaceId: string; onPage?: (pages: number) => Promise<void> },
): Promise<SyncResult> {
  const { row, settings, client } = await amazonConnection(db, p.workspaceId);
  const since =
    settings.ordersWatermark ?? new Date(Date.now() - INITIAL_SYNC_DAYS * 86_400_000).toISOString();
  const apiVersion = settings.ordersApiVersion ?? "v0";
  const totals = { pages: 0, fetched: 0, inserted: 0, updated: 0, unchanged: 0 };
  let watermark = settings.ordersWatermark ?? null;
  let token: string | undefined;
  try {
    do {
      let batch: NormalizedOrder[];
      if (apiVersion === "2026-01-01") {
        const page = await client.orders2026({
          marketplaceId: settings.marketplaceId,
          lastUpdatedAfter: since,
          paginationToken: token,
        });
        batch = page.orders.map(normalize2026);
        token = page.pagination?.nextToken || undefined;
      } else {
        const page = await client.ordersV0({
          marketplaceId: settings.marketplaceId,
          lastUpdatedAfter: since,
          nextToken: token,
        });
        batch = page.payload.Orders.map(normalizeV0);
        token = page.payload.NextToken || undefined;
      }
      const counts = await upsertAmazonOrders(db, p.workspaceId, batch);
      totals.pages++;
      totals.fetched += batch.length;
      totals.inserted += counts.inserted;
      totals.updated += counts.updated;
      totals.unchanged += counts.unchanged;
      for (const o of batch) {
        const iso = o.lastUpdatedAt.toISOString();
        if (!watermark || iso > watermark) watermark = iso;
      }
      await p.onPage?.(totals.pages);
    } while (token && totals.pages < MAX_PAGES);
  } catch (err) {
    // Pages already stored stay (upserts are idempotent); the watermark moves only after a full pass.
    const message = err instanceof Error ? err.message : String(err);
    await recordSync(db, row, { ok: false, error: message });
    if (isIntegrationError(err)) await noteFailure(db, row, err);
    throw err;
  }
  const result: SyncResult = { apiVersion, ...totals, since, watermark };
  await db
    .update(integrations)
    .set({
      settings: sql`${integrations.settings} || ${JSON.stringify({ ordersWatermark: watermark ?? undefined } satisfies Partial<AmazonSettings>)}::jsonb`,
    })
    .where(and(eq(integrations.id, row.id), eq(integrations.workspaceId, p.workspaceId)));
  await recordSync(db, row, { ok: true, summary: result });
  return result;
}

/** Creates the job run for a sync; refuses a second one while one is queued or running. */
export async function createOrdersSyncRun(db: Db, workspaceId: string, createdBy: string | null) {
  const running = await countUnfinishedRuns(db, workspaceId, AMAZON_ORDERS_SYNC_KIND, 30 * 60_000);
  if (running > 0) throw new ConflictError("An Amazon orders sync is already running");
  return createJobRun(db, { workspaceId, kind: AMAZON_ORDERS_SYNC_KIND, input: {}, createdBy });
}

/**
 * A sync asked for now (the "Sync now" button): Amazon must be connected, no sync of the
 * workspace may be running; the run is recorded, then queued with its id as the job id.
 */
export async function startOrdersSync(ctx: WorkspaceServiceContext): Promise<{ jobRunId: string }> {
  await amazonConnection(ctx.db, ctx.workspaceId);
  return { jobRunId: await queueOrdersSync(ctx.db, ctx.workspaceId, ctx.actor.userId) };
}

async function queueOrdersSync(db: Db, workspaceId: string, createdBy: string | null) {
  const run = await createOrdersSyncRun(db, workspaceId, createdBy);
  await enqueueAmazonOrdersSync({ jobRunId: run.id, workspaceId });
  return run.id;
}

/** The job's work: claim the run, sync, record the outcome on the run. */
export function runOrdersSyncJob(db: Db, p: { jobRunId: string; workspaceId: string; log: Logger }) {
  return runSyncOnJobRun(
    db,
    { ...p, kind: AMAZON_ORDERS_SYNC_KIND, percentPerPage: 10, failureMessage: "amazon orders sync failed" },
    (onPage) => syncAmazonOrders(db, { workspaceId: p.workspaceId, onPage }),
  );
}

/** Workspaces whose Amazon account is connected (the repeating sync visits each). */
export async function connectedAmazonWorkspaces(db: Db) {
  const rows = await db
    .select({ workspaceId: integrations.workspaceId })
    .from(integrations)
    .where(and(eq(integrations.provider, "amazon"), inArray(integrations.status, ["connected"])));
  return rows.map((r) => r.workspaceId);
}

/** The 15-minute tick: a sync run for each workspace with Amazon connected (skipping busy ones). */
export async function startScheduledOrdersSyncs(db: Db) {
  let started = 0;
  for (const workspaceId of await connectedAmazonWorkspaces(db)) {
    try {
      await queueOrdersSync(db, workspaceId, null);
      started++;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
  }
  return { started };
}
