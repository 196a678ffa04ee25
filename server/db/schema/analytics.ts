import { sql } from "drizzle-orm";
import {
  bigint,
  date,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  timestamp,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { tstz } from "./_columns";
import { workspaces } from "./workspaces";

/*
 * Daily rollups: one row per workspace, local day and dimension. `day` is the calendar date in the
 * workspace's time zone (a day starts at local midnight; a DST day is 23 or 25 hours long). The
 * rollup job (server/services/analytics/rollup.ts) recomputes whole (workspace, day) buckets that
 * saw new data, so rerunning it never double-counts. Dashboard queries read only these tables.
 */

/**
 * The rollups' workspace column has no foreign key, unlike every other tenant table: a full rebuild
 * swaps each rollup table for a freshly built copy (server/services/analytics/rollup-full.ts), and dropping
 * a table that references `workspaces` would lock `workspaces` against every reader until the swap
 * commits. Rows are written only for existing workspaces; a deleted workspace's rows are read by no
 * query (all name the workspace) and are gone after the next full rebuild.
 */
const ws = () => uuid("workspace_id").notNull();
const n = (name: string) => integer(name).notNull().default(0);

/**
 * Email per campaign per day. `unique_opens`/`unique_clicks` count a recipient (lead) once per
 * campaign, on the local day of their FIRST human (non-machine) open/click: days add up, and the
 * total over any period is the number of recipients whose first open fell in that period.
 */
export const rollupEmailDaily = pgTable(
  "rollup_email_daily",
  {
    workspaceId: ws(),
    day: date("day", { mode: "string" }).notNull(),
    campaignId: uuid("campaign_id").notNull(),
    sent: n("sent"),
    deliveredEvents: n("delivered_events"),
    opens: n("opens"),
    uniqueOpens: n("unique_opens"),
    clicks: n("clicks"),
    uniqueClicks: n("unique_clicks"),
    unsubscribes: n("unsubscribes"),
    bounces: n("bounces"),
    complaints: n("complaints"),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.campaignId] })],
);

/**
 * rollup_email_daily summed over campaigns: one row per workspace and local day, so totals, the
 * previous period and the daily trend read a row a day instead of a row per campaign and day.
 */
export const rollupEmailDay = pgTable(
  "rollup_email_day",
  {
    workspaceId: ws(),
    day: date("day", { mode: "string" }).notNull(),
    sent: n("sent"),
    deliveredEvents: n("delivered_events"),
    opens: n("opens"),
    uniqueOpens: n("unique_opens"),
    clicks: n("clicks"),
    uniqueClicks: n("unique_clicks"),
    unsubscribes: n("unsubscribes"),
    bounces: n("bounces"),
    complaints: n("complaints"),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day] })],
);

/** New leads per local day of `created_at`, by source and current status ('' = no source). */
export const rollupLeadsDaily = pgTable(
  "rollup_leads_daily",
  {
    workspaceId: ws(),
    day: date("day", { mode: "string" }).notNull(),
    source: varchar("source", { length: 255 }).notNull(),
    status: varchar("status", { length: 50 }).notNull(),
    leads: n("leads"),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.source, t.status] })],
);

/** New leads per local day by tag (a lead with two tags counts once under each). */
export const rollupLeadTagsDaily = pgTable(
  "rollup_lead_tags_daily",
  {
    workspaceId: ws(),
    day: date("day", { mode: "string" }).notNull(),
    tag: varchar("tag", { length: 255 }).notNull(),
    leads: n("leads"),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.tag] })],
);

const metricCols = () => ({
  views: bigint("views", { mode: "number" }).notNull().default(0),
  likes: bigint("likes", { mode: "number" }).notNull().default(0),
  shares: bigint("shares", { mode: "number" }).notNull().default(0),
  saves: bigint("saves", { mode: "number" }).notNull().default(0),
  comments: bigint("comments", { mode: "number" }).notNull().default(0),
  clicks: bigint("clicks", { mode: "number" }).notNull().default(0),
  conversions: bigint("conversions", { mode: "number" }).notNull().default(0),
  revenue: numeric("revenue", { precision: 16, scale: 2 }).notNull().default("0"),
});

/**
 * What each content item gained per local day, from its metric snapshots: the last snapshot of the
 * day minus the last snapshot before the day (the first snapshot ever counts in full).
 */
export const rollupContentItemDaily = pgTable(
  "rollup_content_item_daily",
  {
    workspaceId: ws(),
    day: date("day", { mode: "string" }).notNull(),
    contentId: uuid("content_id").notNull(),
    platform: varchar("platform", { length: 50 }).notNull(),
    ...metricCols(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.contentId] })],
);

/**
 * Leaderboards: each item's sums over the 1, 7, 30 and 90 local days ending `as_of`. Two sets are
 * kept per workspace, ending on its local today and tomorrow (analytics_freshness.windows_from and
 * windows_as_of), so at local midnight tomorrow's set is already there and current. An item has a
 * row for a window when it has at least one item-day in it (`days` counts them). Top content for
 * those presets reads a few rows through the (views|revenue desc) indexes instead of summing millions
 * of item-days. Kept current by the rollup: deltas of the item-days it rewrites go into every set
 * whose windows hold them, and when a workspace's day turns the next day's set is built.
 */
export const rollupContentItemWindow = pgTable(
  "rollup_content_item_window",
  {
    workspaceId: ws(),
    asOf: date("as_of", { mode: "string" }).notNull(),
    windowDays: smallint("window_days").notNull(),
    contentId: uuid("content_id").notNull(),
    platform: varchar("platform", { length: 50 }).notNull(),
    days: integer("days").notNull().default(0),
    ...metricCols(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.asOf, t.windowDays, t.contentId] }),
    index("idx_rollup_content_item_window_views").on(
      t.workspaceId,
      t.asOf,
      t.windowDays,
      t.views.desc(),
      t.contentId,
    ),
    index("idx_rollup_content_item_window_revenue").on(
      t.workspaceId,
      t.asOf,
      t.windowDays,
      t.revenue.desc(),
      t.contentId,
    ),
  ],
);

/**
 * A recipient's first human (non-machine) open or click of a campaign. Unique opens/clicks of a day
 * are the rows whose `first_at` falls on it, so the rollup never searches a lead's event history.
 */
export const rollupEmailFirst = pgTable(
  "rollup_email_first",
  {
    workspaceId: ws(),
    campaignId: uuid("campaign_id").notNull(),
    leadId: uuid("lead_id").notNull(),
    type: varchar("type", { length: 20 }).notNull(),
    firstAt: timestamp("first_at", { withTimezone: true, mode: "string" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.campaignId, t.leadId, t.type] }),
    index("idx_rollup_email_first_at").on(t.workspaceId, t.firstAt),
  ],
);

/** The item rollup summed per platform, plus items published that day. */
export const rollupContentDaily = pgTable(
  "rollup_content_daily",
  {
    workspaceId: ws(),
    day: date("day", { mode: "string" }).notNull(),
    platform: varchar("platform", { length: 50 }).notNull(),
    published: n("published"),
    ...metricCols(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.platform] })],
);

/** Orders per local day of purchase, channel and currency ('' = not known yet). Exact decimals. */
export const rollupOrdersDaily = pgTable(
  "rollup_orders_daily",
  {
    workspaceId: ws(),
    day: date("day", { mode: "string" }).notNull(),
    channel: varchar("channel", { length: 50 }).notNull(),
    currency: varchar("currency", { length: 3 }).notNull(),
    orders: n("orders"),
    revenue: numeric("revenue", { precision: 16, scale: 2 }).notNull().default("0"),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.channel, t.currency] })],
);

/** How far each source table has been rolled up (the job re-reads a short overlap behind it). */
export const analyticsWatermarks = pgTable("analytics_watermarks", {
  source: varchar("source", { length: 50 }).primaryKey(),
  watermark: tstz("watermark").notNull(),
  fullAt: tstz("full_at"),
});

/** Per workspace: when its rollups were last written, and the newest data each source holds. */
export const analyticsFreshness = pgTable("analytics_freshness", {
  workspaceId: uuid("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  rolledUpAt: tstz("rolled_up_at").notNull().default(sql`now()`),
  contentSyncedAt: tstz("content_synced_at"),
  emailEventAt: tstz("email_event_at"),
  leadAt: tstz("lead_at"),
  orderAt: tstz("order_at"),
  /** The first and last local day a set of content leaderboards (rollup_content_item_window) ends on. */
  windowsFrom: date("windows_from", { mode: "string" }),
  windowsAsOf: date("windows_as_of", { mode: "string" }),
});
