import { sql } from "drizzle-orm";
import {
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./_columns";
import { users } from "./auth";
import { content } from "./content";
import { campaignSteps } from "./email";
import { workspaces } from "./workspaces";

/**
 * A tracked short link, `/l/<code>`: one workspace's, with a destination its members can change
 * after the link went out, the UTM parameters added on the way, and what it belongs to (a content
 * item or an email campaign step). Codes are unique across the install (the path names no workspace).
 */
export const trackedLinks = pgTable(
  "tracked_links",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    code: varchar("code", { length: 32 }).notNull(),
    destination: text("destination").notNull(),
    label: varchar("label", { length: 255 }).notNull().default(""),
    utmSource: varchar("utm_source", { length: 100 }),
    utmMedium: varchar("utm_medium", { length: 100 }),
    utmCampaign: varchar("utm_campaign", { length: 100 }),
    contentId: uuid("content_id").references(() => content.id, { onDelete: "set null" }),
    campaignStepId: uuid("campaign_step_id").references(() => campaignSteps.id, { onDelete: "set null" }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("tracked_links_code").on(t.code),
    check("tracked_links_code_chars", sql`${t.code} ~ '^[A-Za-z0-9_-]{3,32}$'`),
    index("idx_tracked_links_workspace").on(
      t.workspaceId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("idx_tracked_links_content").on(t.contentId),
    index("idx_tracked_links_step").on(t.campaignStepId),
  ],
);

/**
 * Clicks on a tracked link per day (the workspace's local day): people in `clicks`, and in
 * `machine_clicks` what the email tracking rules flag as a bot, a link scanner or a prefetch —
 * counted apart, never in the figures. No cookie, no visitor id, no address is kept.
 */
export const trackedLinkClicks = pgTable(
  "tracked_link_clicks",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    linkId: uuid("link_id")
      .notNull()
      .references(() => trackedLinks.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    clicks: integer("clicks").notNull().default(0),
    machineClicks: integer("machine_clicks").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.linkId, t.day] }),
    index("idx_tracked_link_clicks_workspace_day").on(t.workspaceId, t.day),
  ],
);
