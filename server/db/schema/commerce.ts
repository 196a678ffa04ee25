import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { createdAt, id, tstz, updatedAt } from "./_columns";
import { users } from "./auth";
import { content } from "./content";
import { campaignSteps, emailCampaigns } from "./email";
import { leads, signupForms } from "./leads";
import { linkClicks, trackedLinks } from "./links";
import { workspaces } from "./workspaces";

/**
 * Where an order came from: synced from Amazon, recorded by hand, through the REST API, or sent by a
 * store's signed webhook (Shopify, WooCommerce).
 */
export const ORDER_SOURCES = ["amazon", "manual", "api", "shopify", "woocommerce"] as const;
export type OrderSource = (typeof ORDER_SOURCES)[number];

/**
 * Orders that feed revenue analytics. Amazon orders are upserted by the orders sync keyed by
 * (workspace, source, external id); totals are exact decimals (never floats).
 */
export type OrderUtm = {
  source?: string;
  medium?: string;
  campaign?: string;
  content?: string;
  term?: string;
};

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
    /** The tracked-link click the store brought back (`ocid`); only a click of this workspace. */
    clickId: uuid("click_id").references(() => linkClicks.id, { onDelete: "set null" }),
    /** The buyer's address as the store knows it, normalized (lower case, trimmed). */
    buyerEmail: varchar("buyer_email", { length: 255 }),
    /** UTM parameters of the order's landing page, as the store reported them. */
    utm: jsonb("utm").$type<OrderUtm>().notNull().default({}),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("uq_orders_workspace_source_external").on(t.workspaceId, t.source, t.externalId),
    index("idx_orders_workspace_purchase_date").on(t.workspaceId, t.purchaseDate),
    index("idx_orders_lead").on(t.leadId).where(sql`${t.leadId} is not null`),
    check("orders_source", sql`${t.source} in ('amazon', 'manual', 'api', 'shopify', 'woocommerce')`),
    check("orders_total_non_negative", sql`${t.total} is null or ${t.total} >= 0`),
    check("orders_currency", sql`${t.currency} is null or ${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

export const TOUCH_KINDS = ["link_click", "email_click", "form_signup"] as const;
export type TouchKind = (typeof TOUCH_KINDS)[number];

/**
 * What an order is credited to (services/attribution): one row per credited touch — the click its
 * click id names, else the buyer's touches within the workspace's window (the last, the first, or
 * all of them, by the workspace's model). An order with no row is unattributed. `revenue` is the
 * touch's share of the order total in exact cents (a linear split gives the leftover cents to the
 * earliest touches); `shares` is how many touches share the order (its order count is 1/shares).
 * Always rebuildable from the orders and the raw touches.
 */
export const orderCredits = pgTable(
  "order_credits",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    orderId: uuid("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    position: smallint("position").notNull(),
    shares: smallint("shares").notNull(),
    touch: varchar("touch", { length: 20 }).$type<TouchKind>().notNull(),
    touchedAt: tstz("touched_at").notNull(),
    /** The order's purchase time, kept here so a period's credits are one index range. */
    purchasedAt: tstz("purchased_at").notNull(),
    linkId: uuid("link_id").references(() => trackedLinks.id, { onDelete: "set null" }),
    contentId: uuid("content_id").references(() => content.id, { onDelete: "set null" }),
    campaignId: uuid("campaign_id").references(() => emailCampaigns.id, { onDelete: "set null" }),
    campaignStepId: uuid("campaign_step_id").references(() => campaignSteps.id, { onDelete: "set null" }),
    formId: uuid("form_id").references(() => signupForms.id, { onDelete: "set null" }),
    revenue: numeric("revenue", { precision: 14, scale: 2 }).notNull().default("0"),
    currency: varchar("currency", { length: 3 }),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.position] }),
    check("order_credits_touch", sql`${t.touch} in ('link_click', 'email_click', 'form_signup')`),
    check(
      "order_credits_shares",
      sql`${t.shares} >= 1 and ${t.position} >= 0 and ${t.position} < ${t.shares}`,
    ),
    index("idx_order_credits_purchased").on(t.workspaceId, t.purchasedAt),
    index("idx_order_credits_content").on(t.workspaceId, t.contentId),
    index("idx_order_credits_campaign").on(t.workspaceId, t.campaignId),
  ],
);

export const STORE_PLATFORMS = ["shopify", "woocommerce"] as const;
export type StorePlatform = (typeof STORE_PLATFORMS)[number];

/**
 * A store that sends its orders to us by webhook: the URL names this row, the signature is checked
 * with its secret (Shopify's signing key, pasted by an admin; WooCommerce's, generated here), and
 * the workspace is this row's — never anything in the request.
 */
export const storeConnections = pgTable(
  "store_connections",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    platform: varchar("platform", { length: 20 }).$type<StorePlatform>().notNull(),
    /** The shop's domain or site URL, as the admin named it (shown; checked against the request). */
    shop: varchar("shop", { length: 255 }).notNull(),
    /** The signing secret, sealed with the secret box (lib/secret-box.ts). */
    secretSealed: text("secret_sealed").notNull(),
    ordersReceived: integer("orders_received").notNull().default(0),
    lastOrderAt: tstz("last_order_at"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    check("store_connections_platform", sql`${t.platform} in ('shopify', 'woocommerce')`),
    index("idx_store_connections_workspace").on(t.workspaceId),
  ],
);
