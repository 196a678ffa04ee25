import { sql } from "drizzle-orm";
import { check, index, jsonb, pgTable, text, unique, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./_columns";
import { users } from "./auth";
import { type EmailFormat, emailCampaigns } from "./email";
import { leads } from "./leads";
import { workspaces } from "./workspaces";

export const SUPPRESSION_KINDS = ["address", "domain"] as const;
export type SuppressionKind = (typeof SUPPRESSION_KINDS)[number];
export const SUPPRESSION_REASONS = ["bounced", "complained", "unsubscribed", "imported", "manual"] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/**
 * Addresses and whole domains a workspace never mails, whatever a lead's status says: checked when a
 * campaign's audience is resolved and again by the sender just before a message leaves. Values are
 * lower-case (an address, or a domain without `@`).
 */
export const emailSuppressions = pgTable(
  "email_suppressions",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    kind: varchar("kind", { length: 10 }).$type<SuppressionKind>().notNull(),
    value: varchar("value", { length: 320 }).notNull(),
    reason: varchar("reason", { length: 20 }).$type<SuppressionReason>().notNull(),
    /** What caused it, in words (the bounce's diagnostic, the import's file name, a note). */
    note: text("note"),
    leadId: uuid("lead_id").references(() => leads.id, { onDelete: "set null" }),
    campaignId: uuid("campaign_id").references(() => emailCampaigns.id, { onDelete: "set null" }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    unique("email_suppressions_workspace_value").on(t.workspaceId, t.kind, t.value),
    check("email_suppressions_kind", sql`${t.kind} in ('address', 'domain')`),
    check(
      "email_suppressions_reason",
      sql`${t.reason} in ('bounced', 'complained', 'unsubscribed', 'imported', 'manual')`,
    ),
    check("email_suppressions_value", sql`${t.value} = lower(${t.value})`),
    index("idx_email_suppressions_list").on(t.workspaceId, t.createdAt.desc().nullsFirst()),
    index("idx_email_suppressions_lead").on(t.leadId).where(sql`${t.leadId} is not null`),
  ],
);

/** Saved email templates of a workspace: a block document (rendered through MJML) or Markdown. */
export const emailTemplates = pgTable(
  "email_templates",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: varchar("name", { length: 255 }).notNull(),
    subject: varchar("subject", { length: 998 }).notNull().default(""),
    preheader: varchar("preheader", { length: 255 }).notNull().default(""),
    format: varchar("format", { length: 20 }).$type<EmailFormat>().notNull().default("blocks"),
    blocks: jsonb("blocks").$type<unknown[]>(),
    body: text("body").notNull().default(""),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("email_templates_workspace_name").on(t.workspaceId, t.name),
    check("email_templates_format", sql`${t.format} in ('markdown', 'blocks')`),
  ],
);
