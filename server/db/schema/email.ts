import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  check,
  foreignKey,
  index,
  inet,
  integer,
  jsonb,
  pgTable,
  text,
  unique,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import {
  CAMPAIGN_STATUSES,
  CAMPAIGN_TYPES,
  type CampaignStatus,
  type CampaignType,
} from "../../../lib/enums";
import { createdAt, id, tstz, updatedAt } from "./_columns";
import { users } from "./auth";
import { leads } from "./leads";
import { workspaces } from "./workspaces";

export { CAMPAIGN_STATUSES, CAMPAIGN_TYPES, type CampaignStatus, type CampaignType };

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
    /**
     * Sequences and triggered campaigns: when a lead leaves early (`{ stopOnOrder, stopOnReply }`).
     * A lead who orders from the address mailed, or replies, exits with that reason.
     */
    goals: jsonb("goals").$type<{ stopOnOrder?: boolean; stopOnReply?: boolean }>().notNull().default({}),
    /**
     * One-time campaigns with variants: the test (share of the audience, winner metric, wait) and its
     * state (`testing` until the winner is chosen, then `decided` with the winning variant).
     */
    abTest: jsonb("ab_test").$type<Record<string, unknown>>(),
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
    index("idx_email_campaigns_workspace_id").on(t.workspaceId, t.createdAt.desc().nullsFirst()),
  ],
);

/**
 * Mail the app sends for itself (invitations, confirmations, account mail) and campaign copies kept
 * when no SMTP server is configured. Links carrying a secret are stored redacted (see
 * services/email/outbox.ts); rows are deleted after OUTBOX_RETENTION_DAYS. App mail about accounts
 * (verification, password reset) has no workspace and so never shows in a workspace's outbox.
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
    /**
     * Every header of the message as a relay would receive it (From, To, Subject, Date, Message-ID,
     * List-Unsubscribe, List-Unsubscribe-Post, DKIM-Signature when signed, …), in order, decoded.
     * Empty for rows written before headers were kept.
     */
    headers: jsonb("headers").$type<Array<[string, string]>>().notNull().default([]),
    fromAddress: varchar("from_address", { length: 320 }),
    /**
     * App mail only: the message as it must be sent (with its working links), sealed with the secret
     * box for the system-email job and cleared once a mail server took it (kept, sealed, with a row
     * no server took, until the row expires). `text`/`html` hold the redacted copy that the outbox
     * shows; list/get never return this column.
     */
    sealedBody: text("sealed_body"),
    status: varchar("status", { length: 20 }).notNull().default("pending"),
    error: text("error"),
    sentAt: tstz("sent_at"),
    createdAt: createdAt(),
  },
  (t) => [
    check("outbox_messages_status", sql`${t.status} in ('pending', 'sent', 'outbox', 'failed')`),
    index("idx_outbox_messages_workspace_id").on(t.workspaceId, t.createdAt.desc().nullsFirst()),
    // The retention sweep (cleanup job) deletes by age across workspaces and app mail.
    index("idx_outbox_messages_created_at").on(t.createdAt),
  ],
);

export const EMAIL_FORMATS = ["markdown", "blocks"] as const;
export type EmailFormat = (typeof EMAIL_FORMATS)[number];

/** Steps of a campaign: one for a one-time campaign; ordered, with delays, for sequences. */
export const campaignSteps = pgTable(
  "campaign_steps",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => emailCampaigns.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    /** Minutes after enrolment (sequences) — 0 for the first step and for one-time campaigns. */
    delayMinutes: integer("delay_minutes").notNull().default(0),
    subject: varchar("subject", { length: 998 }).notNull(),
    preheader: varchar("preheader", { length: 255 }).notNull().default(""),
    body: text("body").notNull().default(""),
    /** `markdown` (body) or `blocks` (the block editor's document, rendered through MJML). */
    format: varchar("format", { length: 20 }).$type<EmailFormat>().notNull().default("markdown"),
    blocks: jsonb("blocks").$type<unknown[]>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("campaign_steps_format", sql`${t.format} in ('markdown', 'blocks')`),
    unique("campaign_steps_campaign_position").on(t.campaignId, t.position),
    check("campaign_steps_delay", sql`${t.delayMinutes} >= 0`),
    index("idx_campaign_steps_workspace").on(t.workspaceId),
    // What a send's one foreign key (workspace, campaign, step) refers to.
    unique("campaign_steps_workspace_campaign_id").on(t.workspaceId, t.campaignId, t.id),
  ],
);

/**
 * A/B test variants of a step (labels A–D): each has its own subject and content. With variants, the
 * test share of the audience is split evenly among them; the rest receives the winner.
 */
export const campaignStepVariants = pgTable(
  "campaign_step_variants",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => emailCampaigns.id, { onDelete: "cascade" }),
    stepId: uuid("step_id")
      .notNull()
      .references(() => campaignSteps.id, { onDelete: "cascade" }),
    label: varchar("label", { length: 1 }).notNull(),
    subject: varchar("subject", { length: 998 }).notNull(),
    preheader: varchar("preheader", { length: 255 }).notNull().default(""),
    body: text("body").notNull().default(""),
    format: varchar("format", { length: 20 }).$type<EmailFormat>().notNull().default("markdown"),
    blocks: jsonb("blocks").$type<unknown[]>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("campaign_step_variants_step_label").on(t.stepId, t.label),
    check("campaign_step_variants_label", sql`${t.label} in ('A', 'B', 'C', 'D')`),
    check("campaign_step_variants_format", sql`${t.format} in ('markdown', 'blocks')`),
    index("idx_campaign_step_variants_workspace").on(t.workspaceId, t.campaignId),
  ],
);

export const ENROLLMENT_EXIT_REASONS = [
  "converted",
  "replied",
  "unsubscribed",
  "bounced",
  "complained",
  "removed",
] as const;
export type EnrollmentExitReason = (typeof ENROLLMENT_EXIT_REASONS)[number];

/** A lead's progress through a sequence or triggered campaign. */
export const campaignEnrollments = pgTable(
  "campaign_enrollments",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => emailCampaigns.id, { onDelete: "cascade" }),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => leads.id, { onDelete: "cascade" }),
    status: varchar("status", { length: 20 }).notNull().default("active"),
    enrolledAt: tstz("enrolled_at").notNull().defaultNow(),
    exitedAt: tstz("exited_at"),
    /** Why an `exited` enrolment left: a goal met (converted, replied) or the lead stopped mail. */
    exitReason: varchar("exit_reason", { length: 20 }).$type<EnrollmentExitReason>(),
  },
  (t) => [
    unique("campaign_enrollments_campaign_lead").on(t.campaignId, t.leadId),
    check("campaign_enrollments_status", sql`${t.status} in ('active', 'completed', 'exited')`),
    check(
      "campaign_enrollments_exit_reason",
      sql`${t.exitReason} is null or ${t.exitReason} in ('converted', 'replied', 'unsubscribed', 'bounced', 'complained', 'removed')`,
    ),
    index("idx_campaign_enrollments_workspace").on(t.workspaceId, t.campaignId),
    index("idx_campaign_enrollments_lead").on(t.leadId),
  ],
);

export const EMAIL_SEND_STATUSES = ["pending", "sending", "sent", "failed", "bounced", "suppressed"] as const;
export type EmailSendStatus = (typeof EMAIL_SEND_STATUSES)[number];

/**
 * The send ledger: one row per (campaign, step, lead), created when the audience is resolved. A
 * sender claims a row (pending → sending) before the transport sees it and records the result after,
 * so a crash, a lost Redis or a doubled job neither loses nor repeats a message.
 */
export const emailSends = pgTable(
  "email_sends",
  {
    id: id(),
    // Workspace, campaign and step: one foreign key, to the step of that campaign in that workspace
    // (below). It goes with them when any of the three is deleted, and one key is checked per row
    // written instead of three (a 100,000-lead audience is resolved 25% faster).
    workspaceId: uuid("workspace_id").notNull(),
    campaignId: uuid("campaign_id").notNull(),
    stepId: uuid("step_id").notNull(),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => leads.id, { onDelete: "cascade" }),
    toAddress: varchar("to_address", { length: 255 }).notNull(),
    status: varchar("status", { length: 20 }).$type<EmailSendStatus>().notNull().default("pending"),
    dueAt: tstz("due_at").notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    claimedAt: tstz("claimed_at"),
    sentAt: tstz("sent_at"),
    messageId: varchar("message_id", { length: 255 }),
    /**
     * A mail server or Gmail accepted the message (SMTP 250): set with `sent`, false for a message
     * that only reached the in-app outbox. Kept on the row, not as an event of its own, so marking a
     * send costs one row write (a `delivered` event row was as costly as the send's own update).
     */
    delivered: boolean("delivered").notNull().default(false),
    error: text("error"),
    /** The A/B variant this lead was sent (null: the step's own content). */
    variantId: uuid("variant_id").references((): AnyPgColumn => campaignStepVariants.id, {
      onDelete: "set null",
    }),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: "email_sends_step_fk",
      columns: [t.workspaceId, t.campaignId, t.stepId],
      foreignColumns: [campaignSteps.workspaceId, campaignSteps.campaignId, campaignSteps.id],
    }).onDelete("cascade"),
    unique("email_sends_campaign_step_lead").on(t.campaignId, t.stepId, t.leadId),
    check(
      "email_sends_status",
      sql`${t.status} in ('pending', 'sending', 'sent', 'failed', 'bounced', 'suppressed')`,
    ),
    index("idx_email_sends_due").on(t.dueAt).where(sql`${t.status} = 'pending'`),
    index("idx_email_sends_claimed").on(t.claimedAt).where(sql`${t.status} = 'sending'`),
    index("idx_email_sends_campaign").on(t.workspaceId, t.campaignId, t.status),
    // Lead first: a deleted lead's sends are found by lead alone (the foreign key's cascade).
    index("idx_email_sends_lead").on(t.leadId),
  ],
);

/** (A delivery is not an event: it is `email_sends.delivered`.) */
export const EMAIL_EVENT_TYPES = ["open", "click", "bounce", "unsubscribe", "complaint", "reply"] as const;
export type EmailEventType = (typeof EMAIL_EVENT_TYPES)[number];

export const BOUNCE_TYPES = ["hard", "soft"] as const;
export type BounceType = (typeof BOUNCE_TYPES)[number];
export const EMAIL_EVENT_SOURCES = ["smtp", "ses", "postmark", "sendgrid", "mailgun", "imap"] as const;
export type EmailEventSource = (typeof EMAIL_EVENT_SOURCES)[number];

/** One row per open, click, bounce, unsubscribe or complaint of a sent message. */
export const emailEvents = pgTable(
  "email_events",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    sendId: uuid("send_id").references(() => emailSends.id, { onDelete: "cascade" }),
    campaignId: uuid("campaign_id").references(() => emailCampaigns.id, { onDelete: "cascade" }),
    leadId: uuid("lead_id").references(() => leads.id, { onDelete: "cascade" }),
    type: varchar("type", { length: 20 }).$type<EmailEventType>().notNull(),
    url: text("url"),
    /** Image proxies and link scanners: stored, but not counted as a person's open or click. */
    isMachine: boolean("is_machine").notNull().default(false),
    ipAddress: inet("ip_address"),
    userAgent: text("user_agent"),
    /** Bounces: `hard` (permanent, 5.x.x) or `soft` (transient, 4.x.x). */
    bounceType: varchar("bounce_type", { length: 10 }).$type<BounceType>(),
    /** Where a bounce, complaint or reply was learnt: the SMTP answer, a provider's webhook, the mailbox. */
    source: varchar("source", { length: 20 }).$type<EmailEventSource>(),
    /** The provider's id of the event (or the DSN's Message-ID): a retried webhook is stored once. */
    providerEventId: varchar("provider_event_id", { length: 255 }),
    /** The diagnostic as reported (status code and text), for the lead's timeline. */
    detail: text("detail"),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      "email_events_type",
      sql`${t.type} in ('open', 'click', 'bounce', 'unsubscribe', 'complaint', 'reply')`,
    ),
    check("email_events_bounce_type", sql`${t.bounceType} is null or ${t.bounceType} in ('hard', 'soft')`),
    uniqueIndex("email_events_provider_event")
      .on(t.workspaceId, t.source, t.providerEventId)
      .where(sql`${t.providerEventId} is not null`),
    index("idx_email_events_campaign").on(t.workspaceId, t.campaignId, t.type),
    // Lead first, and one on the send: a deleted lead's or send's events are found by it alone (the
    // foreign keys' cascades; without them each deleted send read the whole table).
    index("idx_email_events_lead").on(t.leadId, t.createdAt.desc().nullsFirst()),
    index("idx_email_events_send").on(t.sendId).where(sql`${t.sendId} is not null`),
    index("idx_email_events_created").on(t.workspaceId, t.createdAt),
  ],
);
