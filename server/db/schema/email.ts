import { sql } from "drizzle-orm";
import { check, index, jsonb, pgTable, text, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, id, tstz, updatedAt } from "./_columns";
import { users } from "./auth";
import { workspaces } from "./workspaces";

export const CAMPAIGN_TYPES = ["one-time", "sequence", "triggered"] as const;
export type CampaignType = (typeof CAMPAIGN_TYPES)[number];
export const CAMPAIGN_STATUSES = [
  "draft",
  "scheduled",
  "sending",
  "sent",
  "active",
  "paused",
  "cancelled",
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const emailCampaigns = pgTable(
  "email_campaigns",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: varchar("name", { length: 255 }).notNull(),
    type: varchar("type", { length: 50 }).$type<CampaignType>().notNull(),
    status: varchar("status", { length: 50 }).$type<CampaignStatus>().notNull().default("draft"),
    segmentCriteria: jsonb("segment_criteria").$type<Record<string, unknown>>().notNull().default({}),
    content: jsonb("content").$type<Record<string, unknown>>().notNull(),
    schedule: jsonb("schedule").$type<Record<string, unknown>>(),
    metrics: jsonb("metrics").$type<Record<string, unknown>>().notNull().default({}),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("email_campaigns_type", sql`${t.type} in ('one-time', 'sequence', 'triggered')`),
    check(
      "email_campaigns_status",
      sql`${t.status} in ('draft', 'scheduled', 'sending', 'sent', 'active', 'paused', 'cancelled')`,
    ),
    index("idx_email_campaigns_workspace_id").on(t.workspaceId, t.createdAt.desc()),
  ],
);

/**
 * Mail the app sends for itself (invitations today) when no SMTP server is configured: a person can
 * read exactly what would have gone out. With SMTP_URL set, rows are still written, marked as sent.
 */
export const outboxMessages = pgTable(
  "outbox_messages",
  {
    id: id(),
    workspaceId: uuid("workspace_id").references(() => workspaces.id, { onDelete: "cascade" }),
    kind: varchar("kind", { length: 50 }).notNull(),
    toAddress: varchar("to_address", { length: 255 }).notNull(),
    subject: varchar("subject", { length: 998 }).notNull(),
    text: text("text").notNull(),
    html: text("html"),
    status: varchar("status", { length: 20 }).notNull().default("pending"),
    error: text("error"),
    sentAt: tstz("sent_at"),
    createdAt: createdAt(),
  },
  (t) => [
    check("outbox_messages_status", sql`${t.status} in ('pending', 'sent', 'outbox', 'failed')`),
    index("idx_outbox_messages_workspace_id").on(t.workspaceId, t.createdAt.desc()),
  ],
);
