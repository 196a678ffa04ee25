import { sql } from "drizzle-orm";
import {
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { createdAt, id, tstz, updatedAt } from "./_columns";
import { users } from "./auth";
import { content } from "./content";
import { campaignSteps } from "./email";
import { workspaces } from "./workspaces";

export const AMAZON_ADS_STATUSES = ["connected", "needs_attention"] as const;
export type AmazonAdsStatus = (typeof AMAZON_ADS_STATUSES)[number];
export const AMAZON_ATTRIBUTION_REPORTS = ["PERFORMANCE", "PRODUCTS"] as const;
export type AmazonAttributionReport = (typeof AMAZON_ATTRIBUTION_REPORTS)[number];
/** PRODUCTS reports are always by ad group (Amazon's rule); PERFORMANCE by any of the three. */
export const AMAZON_ATTRIBUTION_LEVELS = ["CAMPAIGN", "ADGROUP", "CREATIVE"] as const;
export type AmazonAttributionLevel = (typeof AMAZON_ATTRIBUTION_LEVELS)[number];

/**
 * A workspace's Amazon Ads (Attribution) connection: the Login with Amazon grant (encrypted, like
 * every integration's secrets), the advertising profile sent as `Amazon-Advertising-API-Scope`, the
 * Attribution advertiser and publisher entry chosen, and the publisher's tag template — kept here so
 * a click on `/l/<code>` tags the Amazon destination without calling Amazon.
 *
 * Its own table rather than an `integrations` row: profile, advertiser and template are what the
 * redirect and the report sync read, as columns.
 */
export const amazonAdsConnections = pgTable(
  "amazon_ads_connections",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    status: varchar("status", { length: 30 }).$type<AmazonAdsStatus>().notNull().default("connected"),
    /** na | eu | fe: the Ads API host and the LWA endpoints. */
    region: varchar("region", { length: 2 }).notNull(),
    /** Encrypted JSON { clientId, clientSecret, refreshToken } (lib/secret-box.ts); never sent out. */
    secrets: text("secrets").notNull(),
    /** The advertising profile (the Amazon-Advertising-API-Scope header); null until one is chosen. */
    profileId: varchar("profile_id", { length: 32 }),
    profileName: varchar("profile_name", { length: 255 }),
    countryCode: varchar("country_code", { length: 2 }),
    currency: varchar("currency", { length: 3 }),
    advertiserId: varchar("advertiser_id", { length: 64 }),
    advertiserName: varchar("advertiser_name", { length: 255 }),
    publisherId: varchar("publisher_id", { length: 128 }),
    publisherName: varchar("publisher_name", { length: 255 }),
    /** The publisher's Attribution tag: a query string, with placeholders when it is a template. */
    tagTemplate: text("tag_template"),
    tagKind: varchar("tag_kind", { length: 10 }).$type<"macro" | "nonMacro">(),
    tagsFetchedAt: tstz("tags_fetched_at"),
    lastSyncAt: tstz("last_sync_at"),
    lastSyncStatus: varchar("last_sync_status", { length: 20 }),
    lastSyncSummary: jsonb("last_sync_summary").$type<Record<string, unknown>>(),
    lastError: text("last_error"),
    connectedBy: uuid("connected_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("uq_amazon_ads_connections_workspace").on(t.workspaceId),
    check("amazon_ads_connections_status", sql`${t.status} in ('connected', 'needs_attention')`),
    check("amazon_ads_connections_region", sql`${t.region} in ('na', 'eu', 'fe')`),
  ],
);

/**
 * Amazon Attribution report rows, one per (day, report, level, campaign, ad group, creative, ASIN)
 * exactly as Amazon sent them (14-day click attribution, events on the day they happened). A sync
 * replaces the days it asked for, so the same day synced twice is the same rows, never doubled.
 * `content_id` / `campaign_step_id` are set when the ad group is one our tags carried.
 */
export const amazonAttributionDaily = pgTable(
  "amazon_attribution_daily",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    reportType: varchar("report_type", { length: 12 }).$type<AmazonAttributionReport>().notNull(),
    groupLevel: varchar("group_level", { length: 10 }).$type<AmazonAttributionLevel>().notNull(),
    advertiserId: varchar("advertiser_id", { length: 64 }).notNull(),
    /** Amazon's identifiers as reported; '' when the level has none (so the unique key holds). */
    campaignId: varchar("campaign_id", { length: 128 }).notNull().default(""),
    adGroupId: varchar("ad_group_id", { length: 128 }).notNull().default(""),
    creativeId: varchar("creative_id", { length: 128 }).notNull().default(""),
    productAsin: varchar("product_asin", { length: 20 }).notNull().default(""),
    productName: text("product_name"),
    publisher: varchar("publisher", { length: 255 }),
    contentId: uuid("content_id").references(() => content.id, { onDelete: "set null" }),
    campaignStepId: uuid("campaign_step_id").references(() => campaignSteps.id, { onDelete: "set null" }),
    clickThroughs: integer("click_throughs").notNull().default(0),
    detailPageViews: integer("detail_page_views").notNull().default(0),
    addToCarts: integer("add_to_carts").notNull().default(0),
    purchases: integer("purchases").notNull().default(0),
    unitsSold: integer("units_sold").notNull().default(0),
    sales: numeric("sales", { precision: 14, scale: 2 }).notNull().default("0"),
    currency: varchar("currency", { length: 3 }),
    syncedAt: tstz("synced_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("uq_amazon_attribution_daily_row").on(
      t.workspaceId,
      t.day,
      t.reportType,
      t.groupLevel,
      t.advertiserId,
      t.campaignId,
      t.adGroupId,
      t.creativeId,
      t.productAsin,
    ),
    index("idx_amazon_attribution_daily_content")
      .on(t.workspaceId, t.contentId, t.day)
      .where(sql`${t.contentId} is not null`),
    index("idx_amazon_attribution_daily_step")
      .on(t.workspaceId, t.campaignStepId, t.day)
      .where(sql`${t.campaignStepId} is not null`),
    check("amazon_attribution_daily_report", sql`${t.reportType} in ('PERFORMANCE', 'PRODUCTS')`),
    check("amazon_attribution_daily_level", sql`${t.groupLevel} in ('CAMPAIGN', 'ADGROUP', 'CREATIVE')`),
  ],
);
