import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, pgTable, text, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, tstz } from "./_columns";
import { workspaces } from "./workspaces";

/** Things that happened, recorded in the transaction that made them happen (transactional outbox). */
export const DOMAIN_EVENT_TYPES = [
  "lead.created",
  "lead.tagged",
  "lead.form_submitted",
  "lead.unsubscribed",
  /** One batch (up to 100 leads) of the leads a CSV import inserted. */
  "lead.imported",
  "content.published",
  "content.failed",
  "campaign.sent",
  "order.created",
] as const;
export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number];

/**
 * The outbox. Consumers (triggered campaigns, webhooks, notifications, live updates) run from these
 * rows in workers: a claim (`FOR UPDATE SKIP LOCKED`) per batch, and `done_consumers` records which
 * consumers have finished with an event in the same transaction as their own writes, so a crash
 * repeats nothing that committed and loses nothing that did not. Consumed rows are deleted after
 * DOMAIN_EVENTS_RETENTION_DAYS.
 */
export const domainEvents = pgTable(
  "domain_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    type: varchar("type", { length: 64, enum: DOMAIN_EVENT_TYPES }).notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    doneConsumers: text("done_consumers").array().notNull().default(sql`'{}'::text[]`),
    attempts: integer("attempts").notNull().default(0),
    /** A consumer failed: the event is tried again from then (backoff). */
    availableAt: tstz("available_at").notNull().defaultNow(),
    lastError: text("last_error"),
    createdAt: createdAt(),
    processedAt: tstz("processed_at"),
  },
  (t) => [
    index("idx_domain_events_pending").on(t.availableAt, t.id).where(sql`${t.processedAt} is null`),
    index("idx_domain_events_processed").on(t.processedAt).where(sql`${t.processedAt} is not null`),
  ],
);
