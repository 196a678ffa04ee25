import { sql } from "drizzle-orm";
import { check, index, jsonb, pgTable, text, unique, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./_columns";
import { workspaces } from "./workspaces";

export const LEAD_STATUSES = ["active", "pending", "unsubscribed", "bounced", "complained"] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export const leads = pgTable(
  "leads",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    email: varchar("email", { length: 255 }).notNull(),
    name: varchar("name", { length: 255 }),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    source: varchar("source", { length: 255 }),
    status: varchar("status", { length: 50 }).$type<LeadStatus>().notNull().default("active"),
    customFields: jsonb("custom_fields").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("leads_workspace_email").on(t.workspaceId, t.email),
    check("leads_email_normalized", sql`${t.email} = lower(btrim(${t.email}))`),
    check("leads_status", sql`${t.status} in ('active', 'pending', 'unsubscribed', 'bounced', 'complained')`),
    index("idx_leads_workspace_id").on(t.workspaceId, t.createdAt.desc(), t.id.desc()),
    index("idx_leads_email").on(t.email),
    index("idx_leads_tags").using("gin", t.tags),
  ],
);
