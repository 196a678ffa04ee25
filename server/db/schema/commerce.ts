import { sql } from "drizzle-orm";
import { check, index, jsonb, numeric, pgTable, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, id, tstz, updatedAt } from "./_columns";
import { content } from "./content";
import { leads } from "./leads";
import { workspaces } from "./workspaces";

/** Where an order came from: synced from Amazon, or recorded by hand / through the API. */
export const ORDER_SOURCES = ["amazon", "manual", "api"] as const;
export type OrderSource = (typeof ORDER_SOURCES)[number];

/**
 * Orders that feed revenue analytics. Amazon orders are upserted by the orders sync keyed by
 * (workspace, source, external id); totals are exact decimals (never floats).
 */
export const orders = pgTable(
  "orders",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    source: varchar("source", { length: 20 }).$type<OrderSource>().notNull(),
    /** The provider's id (Amazon: AmazonOrderId); for manual orders a generated reference. */
    externalId: varchar("external_id", { length: 100 }).notNull(),
    purchaseDate: tstz("purchase_date").notNull(),
    lastUpdatedAt: tstz("last_updated_at"),
    status: varchar("status", { length: 50 }).notNull(),
    /** Sales channel, e.g. `amazon`, `tiktok`, `blog`, `email` (attribution), `other`. */
    channel: varchar("channel", { length: 50 }).notNull(),
    marketplaceId: varchar("marketplace_id", { length: 50 }),
    /** Null while the provider has no total yet (Amazon: Pending orders). */
    total: numeric("total", { precision: 14, scale: 2 }),
    currency: varchar("currency", { length: 3 }),
    leadId: uuid("lead_id").references(() => leads.id, { onDelete: "set null" }),
    contentId: uuid("content_id").references(() => content.id, { onDelete: "set null" }),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("uq_orders_workspace_source_external").on(t.workspaceId, t.source, t.externalId),
    index("idx_orders_workspace_purchase_date").on(t.workspaceId, t.purchaseDate),
    check("orders_source", sql`${t.source} in ('amazon', 'manual', 'api')`),
    check("orders_total_non_negative", sql`${t.total} is null or ${t.total} >= 0`),
    check("orders_currency", sql`${t.currency} is null or ${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);
