import { index, jsonb, pgTable, text, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, id, tstz, updatedAt } from "./_columns";
import { users } from "./auth";
import { leads } from "./leads";
import { workspaces } from "./workspaces";

export interface FulfillmentAddress {
  name: string;
  addressLine1: string;
  addressLine2?: string;
  city?: string;
  stateOrRegion?: string;
  postalCode: string;
  countryCode: string;
  phone?: string;
}
export interface FulfillmentItem {
  sellerSku: string;
  sellerFulfillmentOrderItemId: string;
  quantity: number;
}
export interface FulfillmentFee {
  name: string;
  currencyCode: string;
  /** Exact decimal as Amazon sent it. */
  value: string;
}
export interface FulfillmentShipmentInfo {
  amazonShipmentId: string;
  status: string;
  shippingDate?: string;
  estimatedArrivalDate?: string;
  packages: { packageNumber: number; carrierCode: string; trackingNumber?: string }[];
}

/**
 * Multi-Channel Fulfillment orders this workspace created through Amazon (e.g. a sample shipped
 * to a lead). Kept locally so the list works when Amazon is slow or disconnected; the status and
 * shipments are refreshed from Amazon when someone looks at an order.
 */
export const fulfillmentOrders = pgTable(
  "fulfillment_orders",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    leadId: uuid("lead_id").references(() => leads.id, { onDelete: "set null" }),
    /** Our id at Amazon (≤ 40 characters), unique within the workspace. */
    sellerFulfillmentOrderId: varchar("seller_fulfillment_order_id", { length: 40 }).notNull(),
    displayableOrderId: varchar("displayable_order_id", { length: 40 }).notNull(),
    displayableOrderComment: varchar("displayable_order_comment", { length: 750 }).notNull(),
    marketplaceId: varchar("marketplace_id", { length: 50 }),
    shippingSpeedCategory: varchar("shipping_speed_category", { length: 30 }).notNull(),
    /** Amazon's fulfillmentOrderStatus as last seen (Received, Planning, Processing, Complete…). */
    status: varchar("status", { length: 40 }).notNull().default("Received"),
    destination: jsonb("destination").$type<FulfillmentAddress>().notNull(),
    items: jsonb("items").$type<FulfillmentItem[]>().notNull(),
    /** Fees estimated by the preview the order was created from. */
    estimatedFees: jsonb("estimated_fees").$type<FulfillmentFee[]>().notNull().default([]),
    shipments: jsonb("shipments").$type<FulfillmentShipmentInfo[]>().notNull().default([]),
    lastError: text("last_error"),
    lastCheckedAt: tstz("last_checked_at"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("uq_fulfillment_orders_workspace_seller_id").on(t.workspaceId, t.sellerFulfillmentOrderId),
    index("idx_fulfillment_orders_workspace_created").on(t.workspaceId, t.createdAt),
    index("idx_fulfillment_orders_lead").on(t.leadId),
  ],
);
