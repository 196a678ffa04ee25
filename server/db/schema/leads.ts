import { sql } from "drizzle-orm";
import { boolean, check, index, jsonb, pgTable, text, unique, uuid, varchar } from "drizzle-orm/pg-core";
import { CUSTOM_FIELD_TYPES, type CustomFieldType, LEAD_STATUSES, type LeadStatus } from "../../../lib/enums";
import { createdAt, id, updatedAt } from "./_columns";
import { workspaces } from "./workspaces";

export { CUSTOM_FIELD_TYPES, type CustomFieldType, LEAD_STATUSES, type LeadStatus };

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
    /**
     * IANA time zone for send-time delivery ("Europe/Berlin"): from a form submission (the browser's),
     * the lead's `timezone` custom field, or their `country`. Null: the workspace's time zone.
     */
    timeZone: varchar("time_zone", { length: 64 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("leads_workspace_email").on(t.workspaceId, t.email),
    check("leads_email_normalized", sql`${t.email} = lower(btrim(${t.email}))`),
    check("leads_status", sql`${t.status} in ('active', 'pending', 'unsubscribed', 'bounced', 'complained')`),
    index("idx_leads_workspace_id").on(
      t.workspaceId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    // No index on email alone: every lookup by email is within a workspace, which
    // leads_workspace_email serves; a second email index only slowed every insert (and imports).
    index("idx_leads_tags").using("gin", t.tags),
  ],
);

/** Custom lead fields a workspace declares; values live in `leads.custom_fields` under `key`. */
export const customFieldDefinitions = pgTable(
  "custom_field_definitions",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    key: varchar("key", { length: 64 }).notNull(),
    label: varchar("label", { length: 120 }).notNull(),
    type: varchar("type", { length: 20 }).$type<CustomFieldType>().notNull(),
    options: text("options").array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("custom_field_definitions_workspace_key").on(t.workspaceId, t.key),
    check("custom_field_definitions_type", sql`${t.type} in ('text', 'number', 'date', 'boolean', 'select')`),
    check("custom_field_definitions_key", sql`${t.key} ~ '^[a-z][a-z0-9_]{0,63}$'`),
  ],
);

/** Saved rule sets over leads (all/any of conditions), compiled to parameterized SQL. */
export const segments = pgTable(
  "segments",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: varchar("name", { length: 255 }).notNull(),
    criteria: jsonb("criteria").$type<Record<string, unknown>>().notNull(),
    createdBy: uuid("created_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("idx_segments_workspace_id").on(t.workspaceId, t.createdAt.desc().nullsFirst())],
);

/** Hosted signup forms at /f/[workspace]/[form]. */
export const signupForms = pgTable(
  "signup_forms",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    slug: varchar("slug", { length: 64 }).notNull(),
    name: varchar("name", { length: 255 }).notNull(),
    /** Which fields the form asks for: name and custom field keys, with labels and required flags. */
    fields: jsonb("fields").$type<Record<string, unknown>[]>().notNull().default([]),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    doubleOptIn: boolean("double_opt_in").notNull().default(false),
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("signup_forms_workspace_slug").on(t.workspaceId, t.slug),
    check("signup_forms_slug", sql`${t.slug} ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`),
  ],
);

/**
 * What an anonymous form post asked to change on a lead that already existed: nothing is applied
 * until the emailed link (which names this row) is opened, and then only empty fields are filled.
 * Deleted once applied, or after the link's lifetime.
 */
export const formSubmissions = pgTable(
  "form_submissions",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    formId: uuid("form_id")
      .notNull()
      .references(() => signupForms.id, { onDelete: "cascade" }),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => leads.id, { onDelete: "cascade" }),
    name: varchar("name", { length: 255 }),
    customFields: jsonb("custom_fields").$type<Record<string, unknown>>().notNull().default({}),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    /** The tracked-link click the form page carried (`ocid`), kept for the sign-up on confirmation. */
    clickId: uuid("click_id"),
    createdAt: createdAt(),
  },
  (t) => [
    index("idx_form_submissions_workspace_created").on(t.workspaceId, t.createdAt),
    index("idx_form_submissions_lead").on(t.leadId),
  ],
);
