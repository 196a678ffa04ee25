import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { createdAt, id, tstz, updatedAt } from "./_columns";
import { users } from "./auth";
import { workspaces } from "./workspaces";

/** Events a workspace can subscribe an endpoint to (Settings → Webhooks). */
export const WEBHOOK_EVENT_TYPES = [
  "lead.created",
  "lead.unsubscribed",
  "content.published",
  "content.failed",
  "campaign.sent",
  "order.created",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** An HTTPS endpoint that receives signed events (Standard Webhooks). */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: varchar("description", { length: 255 }).notNull().default(""),
    events: text("events").array().notNull(),
    /** `whsec_…`, sealed with ENCRYPTION_KEY (lib/secret-box): we must sign with it, so no hash. */
    secretEncrypted: text("secret_encrypted").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    /** Why the endpoint was switched off automatically (persistent failures); null when a person did it. */
    disabledReason: text("disabled_reason"),
    disabledAt: tstz("disabled_at"),
    /** First failed attempt since the last success: the clock for disabling a dead endpoint. */
    failingSince: tstz("failing_since"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("idx_webhook_endpoints_workspace_id").on(t.workspaceId, t.createdAt.desc().nullsFirst()),
    check("webhook_endpoints_events", sql`cardinality(${t.events}) > 0`),
  ],
);

/** One event for one endpoint: the row is the truth, the queue only carries its id. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    /** The `webhook-id` header: the same across retries and resends so receivers can de-duplicate. */
    messageId: varchar("message_id", { length: 64 }).notNull(),
    eventType: varchar("event_type", { length: 64 }).notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    /** The domain event this delivery carries (null for a resend): one delivery per event and endpoint. */
    domainEventId: bigint("domain_event_id", { mode: "number" }),
    status: varchar("status", { length: 16, enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: tstz("next_attempt_at"),
    lastAttemptAt: tstz("last_attempt_at"),
    responseStatus: integer("response_status"),
    responseBody: text("response_body"),
    error: text("error"),
    durationMs: integer("duration_ms"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("idx_webhook_deliveries_endpoint").on(t.workspaceId, t.endpointId, t.createdAt.desc().nullsFirst()),
    index("idx_webhook_deliveries_due").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    uniqueIndex("uq_webhook_deliveries_event_endpoint").on(t.domainEventId, t.endpointId),
  ],
);
