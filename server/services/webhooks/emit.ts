import { randomUUID } from "node:crypto";
import { and, arrayOverlaps, eq, inArray } from "drizzle-orm";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { type WebhookEventType, webhookDeliveries, webhookEndpoints } from "@/server/db/schema";
import { enqueueWebhookDeliveries } from "@/server/queue/jobs/deliver-webhook";
import { newMessageId } from "./sign";

export type { WebhookEventType } from "@/server/db/schema";

/**
 * Writes one delivery row per enabled endpoint of the workspace subscribed to `type`; the body each
 * endpoint receives is `{ type, timestamp, data }` (Standard Webhooks' payload shape), signed. With
 * `domainEventId`, a delivery is unique per (event, endpoint): writing the same event again adds
 * nothing. Pass the caller's transaction; enqueue the returned rows once it has committed.
 */
export async function insertWebhookDeliveries(
  tx: Db,
  workspaceId: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
  opts: { domainEventId?: number; timestamp?: Date } = {},
): Promise<{ id: string; attempts: number }[]> {
  return insertWebhookDeliveriesMany(tx, [{ workspaceId, type, data, ...opts }]);
}

/** The same for several events (of any workspaces) in two statements. */
export async function insertWebhookDeliveriesMany(
  tx: Db,
  items: {
    workspaceId: string;
    type: WebhookEventType;
    data: Record<string, unknown>;
    domainEventId?: number;
    timestamp?: Date;
  }[],
): Promise<{ id: string; attempts: number }[]> {
  if (items.length === 0) return [];
  const endpoints = await tx
    .select({
      id: webhookEndpoints.id,
      workspaceId: webhookEndpoints.workspaceId,
      events: webhookEndpoints.events,
    })
    .from(webhookEndpoints)
    .where(
      and(
        inArray(webhookEndpoints.workspaceId, [...new Set(items.map((i) => i.workspaceId))]),
        eq(webhookEndpoints.enabled, true),
        arrayOverlaps(webhookEndpoints.events, [...new Set(items.map((i) => i.type))]),
      ),
    );
  const values = items.flatMap((item) => {
    const payload = {
      type: item.type,
      timestamp: (item.timestamp ?? new Date()).toISOString(),
      data: item.data,
    };
    return endpoints
      .filter((e) => e.workspaceId === item.workspaceId && e.events.includes(item.type))
      .map((e) => ({
        id: randomUUID(),
        workspaceId: item.workspaceId,
        endpointId: e.id,
        messageId: newMessageId(),
        eventType: item.type,
        payload,
        domainEventId: item.domainEventId ?? null,
        nextAttemptAt: new Date(),
      }));
  });
  if (values.length === 0) return [];
  const rows = await tx
    .insert(webhookDeliveries)
    .values(values)
    .onConflictDoNothing({ target: [webhookDeliveries.domainEventId, webhookDeliveries.endpointId] })
    .returning({ id: webhookDeliveries.id });
  return rows.map((r) => ({ id: r.id, attempts: 0 }));
}

/**
 * Queues `type` for the workspace's subscribed endpoints right away, outside any domain event (the
 * app's own changes go through domain events; this is for tests and one-off tools). Never throws:
 * the rows are the truth, and the webhook tick re-enqueues anything a lost queue dropped.
 */
export async function emitWebhookEvent(
  db: Db,
  workspaceId: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
): Promise<{ deliveryIds: string[] }> {
  try {
    const rows = await insertWebhookDeliveries(db, workspaceId, type, data);
    await enqueueWebhookDeliveries(rows);
    return { deliveryIds: rows.map((r) => r.id) };
  } catch (err) {
    logger.error({ err, workspaceId, type }, "could not queue webhook event");
    return { deliveryIds: [] };
  }
}
