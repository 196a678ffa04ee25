import { sql } from "drizzle-orm";
import {
  bigint,
  check,
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
import { CONTENT_STATUSES, CONTENT_TYPES, type ContentStatus, type ContentType } from "../../../lib/enums";
import { createdAt, id, tstz, updatedAt } from "./_columns";
import { users } from "./auth";
import { workspaces } from "./workspaces";

export { CONTENT_STATUSES, CONTENT_TYPES, type ContentStatus, type ContentType };

export const content = pgTable(
  "content",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    type: varchar("type", { length: 50 }).$type<ContentType>().notNull(),
    status: varchar("status", { length: 50 }).$type<ContentStatus>().notNull().default("draft"),
    title: varchar("title", { length: 500 }).notNull(),
    /** Blog posts: the URL segment, unique per workspace. */
    slug: varchar("slug", { length: 200 }),
    body: text("body"),
    mediaUrls: jsonb("media_urls").$type<string[]>().notNull().default([]),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    scheduledAt: tstz("scheduled_at"),
    publishedAt: tstz("published_at"),
    /**
     * Short-video drafts made together by "Post everywhere" (one video, one draft per platform)
     * share this id: the content list shows them as one row and the calendar as one group.
     */
    groupId: uuid("group_id"),
    /** Set when a publisher claims the row (status → publishing); stale claims are reclaimed. */
    claimedAt: tstz("claimed_at"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("content_type", sql`${t.type} in ('tiktok', 'youtube', 'instagram', 'blog', 'email')`),
    check(
      "content_status",
      sql`${t.status} in ('draft', 'scheduled', 'publishing', 'published', 'sent_to_inbox', 'failed')`,
    ),
    check("content_title_length", sql`char_length(${t.title}) between 1 and 500`),
    check("content_scheduled_has_time", sql`${t.status} <> 'scheduled' or ${t.scheduledAt} is not null`),
    uniqueIndex("uq_content_workspace_slug").on(t.workspaceId, t.slug).where(sql`${t.slug} is not null`),
    check("content_slug_format", sql`${t.slug} is null or ${t.slug} ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`),
    index("idx_content_workspace_id").on(t.workspaceId, t.createdAt.desc()),
    index("idx_content_workspace_status").on(t.workspaceId, t.status),
    index("idx_content_workspace_scheduled_at").on(t.workspaceId, t.scheduledAt),
    // The scheduler tick's "what is due" scan across all workspaces.
    index("idx_content_due").on(t.scheduledAt).where(sql`${t.status} = 'scheduled'`),
    index("idx_content_group").on(t.workspaceId, t.groupId).where(sql`${t.groupId} is not null`),
    index("idx_content_claimed").on(t.claimedAt).where(sql`${t.status} = 'publishing'`),
    // A workspace's public blog: its posts newest first, and the state the blog page cache checks on
    // every visit (server/blog-page-cache.ts), read from the index alone.
    index("idx_content_blog_published")
      .on(t.workspaceId, t.publishedAt, t.updatedAt)
      .where(sql`${t.type} = 'blog' and ${t.status} = 'published'`),
  ],
);

export const contentMetrics = pgTable(
  "content_metrics",
  {
    id: id(),
    contentId: uuid("content_id")
      .notNull()
      .unique()
      .references(() => content.id, { onDelete: "cascade" }),
    views: integer("views").notNull().default(0),
    likes: integer("likes").notNull().default(0),
    shares: integer("shares").notNull().default(0),
    saves: integer("saves").notNull().default(0),
    clicks: integer("clicks").notNull().default(0),
    conversions: integer("conversions").notNull().default(0),
    revenue: numeric("revenue", { precision: 10, scale: 2 }).notNull().default("0"),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      "content_metrics_non_negative",
      sql`${t.views} >= 0 and ${t.likes} >= 0 and ${t.shares} >= 0 and ${t.saves} >= 0 and ${t.clicks} >= 0 and ${t.conversions} >= 0 and ${t.revenue} >= 0`,
    ),
  ],
);

/**
 * History of a content item's metrics: one row per item per sync (TikTok metrics sync, manual
 * entry). `content_metrics` keeps the latest figures; trends and rollups read these snapshots.
 */
export const contentMetricSnapshots = pgTable(
  "content_metric_snapshots",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    contentId: uuid("content_id")
      .notNull()
      .references(() => content.id, { onDelete: "cascade" }),
    capturedAt: tstz("captured_at").notNull().defaultNow(),
    views: bigint("views", { mode: "number" }).notNull().default(0),
    likes: bigint("likes", { mode: "number" }).notNull().default(0),
    shares: bigint("shares", { mode: "number" }).notNull().default(0),
    saves: bigint("saves", { mode: "number" }).notNull().default(0),
    comments: bigint("comments", { mode: "number" }).notNull().default(0),
    clicks: bigint("clicks", { mode: "number" }).notNull().default(0),
    conversions: bigint("conversions", { mode: "number" }).notNull().default(0),
    revenue: numeric("revenue", { precision: 14, scale: 2 }).notNull().default("0"),
  },
  (t) => [
    index("idx_content_metric_snapshots_workspace_captured").on(t.workspaceId, t.capturedAt),
    index("idx_content_metric_snapshots_content_captured").on(t.contentId, t.capturedAt),
  ],
);
