import "server-only";
import { randomBytes } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "@/server/db";
import {
  type FulfillmentFee,
  type FulfillmentShipmentInfo,
  fulfillmentOrders,
  leads,
} from "@/server/db/schema";
import { NotFoundError, ValidationError } from "@/server/errors";
import type { FulfillmentOrderDetail, FulfillmentPreview } from "@/server/integrations/amazon/schemas";
import { isIntegrationError, PermanentError } from "@/server/integrations/http";
import { record } from "@/server/services/activity";
import type { WorkspaceServiceContext } from "@/server/services/context";
import { amazonConnection, explainAmazonFailure } from "./connection";
import type { CreateFulfillmentInput, McfAddressInput, PreviewFulfillmentInput } from "./schemas";

/**
 * Amazon Multi-Channel Fulfillment (fulfillmentOutbound 2020-07-01): preview what shipping a few
 * units to a lead would cost and how fast, create the order, follow its shipments, cancel it
 * while Amazon still allows. Created orders are stored locally so the list works offline.
 */

/** Statuses in which Amazon has not started shipping, so a cancel can still go through. */
const CANCELLABLE = new Set(["new", "received", "planning", "submitting"]);
const FINAL = new Set([
  "cancelled",
  "complete",
  "completepartialled",
  "unfulfillable",
  "invalid",
  "notcreated",
]);

/** Adds decimal strings exactly (fees arrive as "3.99"); no floats touch money. */
export function addDecimals(values: string[]): string {
  const scale = Math.max(2, ...values.map((v) => v.split(".")[1]?.length ?? 0));
  let sum = 0n;
  for (const v of values) {
    const neg = v.startsWith("-");
    const [int = "0", frac = ""] = v.replace(/^[-+]/, "").split(".");
    const n = BigInt(int + frac.padEnd(scale, "0"));
    sum += neg ? -n : n;
  }
  const neg = sum < 0n;
  const digits = (neg ? -sum : sum).toString().padStart(scale + 1, "0");
  return `${neg ? "-" : ""}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function toAmazonAddress(a: McfAddressInput) {
  return {
    name: a.name,
    addressLine1: a.addressLine1,
    addressLine2: a.addressLine2,
    city: a.city,
    stateOrRegion: a.stateOrRegion,
    postalCode: a.postalCode,
    countryCode: a.countryCode,
    phone: a.phone,
  };
}

function toAmazonItems(items: PreviewFulfillmentInput["items"]) {
  return items.map((i, n) => ({
    sellerSku: i.sellerSku,
    sellerFulfillmentOrderItemId: `item-${n + 1}`,
    quantity: i.quantity,
  }));
}

function summarizePreview(p: FulfillmentPreview) {
  const fees: FulfillmentFee[] = (p.estimatedFees ?? []).map((f) => ({
    name: f.name,
    currencyCode: f.amount.currencyCode,
    value: f.amount.value,
  }));
  const currencies = [...new Set(fees.map((f) => f.currencyCode))];
  const shipments = p.fulfillmentPreviewShipments ?? [];
  return {
    shippingSpeedCategory: p.shippingSpeedCategory,
    isFulfillable: p.isFulfillable,
    fees,
    totalFee:
      currencies.length === 1
        ? { currencyCode: currencies[0]!, value: addDecimals(fees.map((f) => f.value)) }
        : null,
    earliestArrival:
      shipments
        .map((s) => s.earliestArrivalDate)
        .filter(Boolean)
        .sort()[0] ?? null,
    latestArrival:
      shipments
        .map((s) => s.latestArrivalDate)
        .filter(Boolean)
        .sort()
        .at(-1) ?? null,
    estimatedWeight: p.estimatedShippingWeight
      ? `${p.estimatedShippingWeight.value} ${p.estimatedShippingWeight.unit}`
      : null,
    orderUnfulfillableReasons: p.orderUnfulfillableReasons ?? [],
    unfulfillableItems: (p.unfulfillablePreviewItems ?? []).map((i) => ({
      sellerSku: i.sellerSku,
      quantity: i.quantity,
      reasons: i.itemUnfulfillableReasons ?? [],
    })),
  };
}
export type PreviewOption = ReturnType<typeof summarizePreview>;

async function getLeadOrThrow(db: Db, workspaceId: string, leadId: string) {
  const [lead] = await db
    .select({ id: leads.id, name: leads.name, email: leads.email })
    .from(leads)
    .where(and(eq(leads.id, leadId), eq(leads.workspaceId, workspaceId)));
  if (!lead) throw new NotFoundError("Lead not found");
  return lead;
}

export async function previewFulfillment(ctx: WorkspaceServiceContext, input: PreviewFulfillmentInput) {
  const { row, settings, client } = await amazonConnection(ctx.db, ctx.workspaceId);
  try {
    const res = await client.previewFulfillment({
      marketplaceId: settings.marketplaceId,
      address: toAmazonAddress(input.address),
      items: toAmazonItems(input.items),
      shippingSpeedCategories: input.shippingSpeedCategories,
    });
    return { options: res.payload.fulfillmentPreviews.map(summarizePreview) };
  } catch (err) {
    return explainAmazonFailure(ctx.db, row, err);
  }
}

/** `org-YYYYMMDD-<10 hex>`: unique, readable, well under Amazon's 40 characters. */
export function newSellerFulfillmentOrderId(now = new Date()) {
  const day = now.toISOString().slice(0, 10).replaceAll("-", "");
  return `org-${day}-${randomBytes(5).toString("hex")}`;
}

export async function createFulfillmentOrder(ctx: WorkspaceServiceContext, input: CreateFulfillmentInput) {
  const lead = input.leadId ? await getLeadOrThrow(ctx.db, ctx.workspaceId, input.leadId) : null;
  const { row: integration, settings, client } = await amazonConnection(ctx.db, ctx.workspaceId);
  // A fresh preview for the chosen speed: refuse early (nothing stored) when it cannot ship.
  let option: PreviewOption | undefined;
  try {
    const res = await client.previewFulfillment({
      marketplaceId: settings.marketplaceId,
      address: toAmazonAddress(input.address),
      items: toAmazonItems(input.items),
      shippingSpeedCategories: [input.shippingSpeedCategory],
    });
    const p = res.payload.fulfillmentPreviews.find(
      (x) => x.shippingSpeedCategory === input.shippingSpeedCategory,
    );
    option = p ? summarizePreview(p) : undefined;
  } catch (err) {
    return explainAmazonFailure(ctx.db, integration, err);
  }
  if (option && !option.isFulfillable) {
    const reasons = [
      ...option.orderUnfulfillableReasons,
      ...option.unfulfillableItems.map((i) => `${i.sellerSku}: ${i.reasons.join(", ") || "unfulfillable"}`),
    ];
    throw new ValidationError(
      `Amazon cannot fulfil this order at ${input.shippingSpeedCategory} speed${reasons.length ? ` (${reasons.join("; ")})` : ""}`,
    );
  }

  const sellerFulfillmentOrderId = newSellerFulfillmentOrderId();
  const now = new Date();
  const items = toAmazonItems(input.items);
  const [local] = await ctx.db
    .insert(fulfillmentOrders)
    .values({
      workspaceId: ctx.workspaceId,
      leadId: lead?.id ?? null,
      sellerFulfillmentOrderId,
      displayableOrderId: sellerFulfillmentOrderId,
      displayableOrderComment: input.displayableOrderComment,
      marketplaceId: settings.marketplaceId,
      shippingSpeedCategory: input.shippingSpeedCategory,
      status: "Submitting",
      destination: toAmazonAddress(input.address) as McfAddressInput,
      items,
      estimatedFees: option?.fees ?? [],
      createdBy: ctx.actor.userId,
    })
    .returning();
  try {
    await client.createFulfillmentOrder({
      marketplaceId: settings.marketplaceId,
      sellerFulfillmentOrderId,
      displayableOrderId: sellerFulfillmentOrderId,
      displayableOrderDate: now.toISOString(),
      displayableOrderComment: input.displayableOrderComment,
      shippingSpeedCategory: input.shippingSpeedCategory,
      destinationAddress: toAmazonAddress(input.address),
      fulfillmentAction: "Ship",
      fulfillmentPolicy: "FillOrKill",
      items,
    });
  } catch (err) {
    if (err instanceof PermanentError) {
      // Amazon said no: nothing exists there, so nothing stays here.
      await ctx.db.delete(fulfillmentOrders).where(eq(fulfillmentOrders.id, local!.id));
    } else if (isIntegrationError(err)) {
      // Unknown outcome (timeout, 5xx): keep the row; opening it asks Amazon whether it exists.
      await ctx.db
        .update(fulfillmentOrders)
        .set({ lastError: `Amazon did not confirm the order: ${err.message}` })
        .where(eq(fulfillmentOrders.id, local!.id));
    }
    return explainAmazonFailure(ctx.db, integration, err);
  }
  const [saved] = await ctx.db
    .update(fulfillmentOrders)
    .set({ status: "Received", lastCheckedAt: new Date() })
    .where(and(eq(fulfillmentOrders.id, local!.id), eq(fulfillmentOrders.workspaceId, ctx.workspaceId)))
    .returning();
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "fulfillment.created",
    { type: "fulfillment_order", id: saved!.id },
    {
      sellerFulfillmentOrderId,
      leadId: lead?.id ?? null,
      speed: input.shippingSpeedCategory,
    },
  );
  return toView(saved!, lead);
}

type Row = typeof fulfillmentOrders.$inferSelect;

export function cancelBlockReason(status: string): string | null {
  const s = status.toLowerCase();
  if (CANCELLABLE.has(s)) return null;
  if (s === "cancelled") return "This order is already cancelled.";
  if (FINAL.has(s)) return `This order is ${status}; there is nothing left to cancel.`;
  return `Amazon has started fulfilling this order (${status}); it can no longer be cancelled.`;
}

function toView(r: Row, lead: { id: string; name: string | null; email: string } | null) {
  return {
    id: r.id,
    sellerFulfillmentOrderId: r.sellerFulfillmentOrderId,
    displayableOrderComment: r.displayableOrderComment,
    marketplaceId: r.marketplaceId,
    shippingSpeedCategory: r.shippingSpeedCategory,
    status: r.status,
    destination: r.destination,
    items: r.items,
    estimatedFees: r.estimatedFees,
    estimatedTotal:
      r.estimatedFees.length && new Set(r.estimatedFees.map((f) => f.currencyCode)).size === 1
        ? {
            currencyCode: r.estimatedFees[0]!.currencyCode,
            value: addDecimals(r.estimatedFees.map((f) => f.value)),
          }
        : null,
    shipments: r.shipments,
    lastError: r.lastError,
    lastCheckedAt: r.lastCheckedAt,
    createdAt: r.createdAt,
    lead,
    cancelBlockedReason: cancelBlockReason(r.status),
  };
}
export type FulfillmentOrderView = ReturnType<typeof toView>;

const leadCols = { id: leads.id, name: leads.name, email: leads.email };

export async function listFulfillmentOrders(db: Db, workspaceId: string, p: { leadId?: string } = {}) {
  const rows = await db
    .select({ order: fulfillmentOrders, lead: leadCols })
    .from(fulfillmentOrders)
    .leftJoin(leads, and(eq(leads.id, fulfillmentOrders.leadId), eq(leads.workspaceId, workspaceId)))
    .where(
      and(
        eq(fulfillmentOrders.workspaceId, workspaceId),
        p.leadId ? eq(fulfillmentOrders.leadId, p.leadId) : undefined,
      ),
    )
    .orderBy(desc(fulfillmentOrders.createdAt))
    .limit(200);
  return rows.map((r) => toView(r.order, r.lead?.id ? r.lead : null));
}

async function getRowOrThrow(db: Db, workspaceId: string, id: string) {
  const [r] = await db
    .select({ order: fulfillmentOrders, lead: leadCols })
    .from(fulfillmentOrders)
    .leftJoin(leads, and(eq(leads.id, fulfillmentOrders.leadId), eq(leads.workspaceId, workspaceId)))
    .where(and(eq(fulfillmentOrders.id, id), eq(fulfillmentOrders.workspaceId, workspaceId)));
  if (!r) throw new NotFoundError("Fulfillment order not found");
  return { order: r.order, lead: r.lead?.id ? r.lead : null };
}

function shipmentsFrom(detail: FulfillmentOrderDetail): FulfillmentShipmentInfo[] {
  return (detail.fulfillmentShipments ?? []).map((s) => ({
    amazonShipmentId: s.amazonShipmentId,
    status: s.fulfillmentShipmentStatus,
    shippingDate: s.shippingDate,
    estimatedArrivalDate: s.estimatedArrivalDate,
    packages: (s.fulfillmentShipmentPackage ?? []).map((p) => ({
      packageNumber: p.packageNumber,
      carrierCode: p.carrierCode,
      trackingNumber: p.trackingNumber,
    })),
  }));
}

/**
 * One order, refreshed from Amazon when it can be: status and shipments with tracking. When
 * Amazon is unreachable (or disconnected) the stored copy is returned with `refreshError`.
 */
export async function getFulfillmentOrder(db: Db, workspaceId: string, id: string) {
  const { order, lead } = await getRowOrThrow(db, workspaceId, id);
  let refreshError: string | null = null;
  let current = order;
  try {
    const { client } = await amazonConnection(db, workspaceId);
    try {
      const { payload } = await client.getFulfillmentOrder(order.sellerFulfillmentOrderId);
      const [u] = await db
        .update(fulfillmentOrders)
        .set({
          status: payload.fulfillmentOrder.fulfillmentOrderStatus,
          shipments: shipmentsFrom(payload),
          lastError: null,
          lastCheckedAt: new Date(),
        })
        .where(and(eq(fulfillmentOrders.id, id), eq(fulfillmentOrders.workspaceId, workspaceId)))
        .returning();
      current = u ?? order;
    } catch (err) {
      if (err instanceof PermanentError && err.status === 404 && order.status === "Submitting") {
        // The create never reached Amazon.
        const [u] = await db
          .update(fulfillmentOrders)
          .set({
            status: "NotCreated",
            lastError: "Amazon has no such order; it was never created.",
            lastCheckedAt: new Date(),
          })
          .where(and(eq(fulfillmentOrders.id, id), eq(fulfillmentOrders.workspaceId, workspaceId)))
          .returning();
        current = u ?? order;
      } else if (isIntegrationError(err)) {
        refreshError = `Showing the last known state: ${err.message}`;
      } else throw err;
    }
  } catch (err) {
    if (err instanceof Error && err.name === "AmazonNotConnectedError") {
      refreshError = "Amazon is not connected; showing the last known state.";
    } else throw err;
  }
  return { ...toView(current, lead), refreshError };
}

export async function cancelFulfillmentOrder(ctx: WorkspaceServiceContext, id: string) {
  const { order } = await getRowOrThrow(ctx.db, ctx.workspaceId, id);
  const blocked = cancelBlockReason(order.status);
  if (blocked) throw new ValidationError(blocked);
  const { row, client } = await amazonConnection(ctx.db, ctx.workspaceId);
  try {
    await client.cancelFulfillmentOrder(order.sellerFulfillmentOrderId);
  } catch (err) {
    if (err instanceof PermanentError) {
      throw new ValidationError(`Amazon refused to cancel: ${err.message.replace(/^Amazon: /, "")}`);
    }
    return explainAmazonFailure(ctx.db, row, err);
  }
  await ctx.db
    .update(fulfillmentOrders)
    .set({ status: "Cancelled", lastError: null, lastCheckedAt: new Date() })
    .where(and(eq(fulfillmentOrders.id, id), eq(fulfillmentOrders.workspaceId, ctx.workspaceId)));
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "fulfillment.cancelled",
    { type: "fulfillment_order", id },
    {
      sellerFulfillmentOrderId: order.sellerFulfillmentOrderId,
    },
  );
  return getFulfillmentOrder(ctx.db, ctx.workspaceId, id);
}
