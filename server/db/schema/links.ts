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
import { createdAt, id, tstz, updatedAt } from "./_columns";
import { users } from "./auth";
import { content } from "./content";
import { campaignSteps } from "./email";
import { leads, signupForms } from "./leads";
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

/**
 * One person's click on a tracked link (machines get none): its id is the click id (`ocid`) added
 * to the destination, which a store or a form can bring back. No cookie, no address, no agent is
 * kept; the lead is known only once a form sign-up or an order names the click.
 */
export const linkClicks = pgTable(
  "link_clicks",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    linkId: uuid("link_id")
      .notNull()
      .references(() => trackedLinks.id, { onDelete: "cascade" }),
    clickedAt: tstz("clicked_at").notNull().defaultNow(),
    leadId: uuid("lead_id").references(() => leads.id, { onDelete: "set null" }),
  },
  (t) => [
    index("idx_link_clicks_link").on(t.linkId, t.clickedAt),
    index("idx_link_clicks_lead").on(t.leadId, t.clickedAt).where(sql`${t.leadId} is not null`),
  ],
);

/**
 * A form sign-up as an attribution touch: when a new lead signed up, or a known lead confirmed a
 * submission (anyone can type anyone's address, so an unconfirmed post is no touch). `click_id` is
 * the tracked-link click the visitor came from, when the form page carried it.
 */
export const formSignups = pgTable(
  "form_signups",
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
    clickId: uuid("click_id").references(() => linkClicks.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("idx_form_signups_lead").on(t.leadId, t.createdAt)],
);
