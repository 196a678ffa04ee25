import { randomUUID } from "node:crypto";
import { and, arrayContains, eq } from "drizzle-orm";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { type WebhookEventType, webhookDeliveries, webhookEndpoints } from "@/server/db/schema";
import { newMessageId } from "./sign";

export type { WebhookEventType } from "@/server/db/schema";

/**
 * Queues `type` for every enabled endpoint of the workspace subscribed to it. The body each
 * endpoint receives is `{ type, timestamp, data }` (Standard Webhooks' payload shape), signed.
 *
 * Call it after the change is committed (not inside a transaction that may still roll back), e.g.
 *   await emitWebhookEvent(db, workspaceId, "order.created", { id, amount, currency, ... });
 * It never throws: a webhook problem must not fail the action that caused it. The rows are the
 * truth; the queue is only transport (the webhook tick re-enqueues anything a lost queue dropped).
 */
export async function emitWebhookEvent(
  db: Db,
  workspaceId: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
): Promise<{ deliveryIds: string[] }> {
  try {
    const endpoints = await db
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(
        and(
          eq(webhookEndpoints.workspaceId, workspaceId),
          eq(webhookEndpoints.enabled, true),
          arrayContains(webhookEndpoints.events, [type]),
        ),
      );
    if (endpoints.length === 0) return { deliveryIds: [] };
    const payload = { type, timestamp: new Date().toISOString(), data };
    const rows = await db
      .insert(webhookDeliveries)
      .values(
        endpoints.map((e) => ({
          id: randomUUID(),
          workspaceId,
          endpointId: e.id,
          messageId: newMessageId(),
          eventType: type,
          payload,
          nextAttemptAt: new Date(),
        })),
      )
      .returning({ id: webhookDeliveries.id });
    const { enqueueWebhookDeliveries } = await import("@/server/queue/jobs/deliver-webhook");
    await enqueueWebhookDeliveries(rows.map((r) => ({ id: r.id, attempts: 0 })));
    return { deliveryIds: rows.map((r) => r.id) };
  } catch (err) {
    logger.error({ err, workspaceId, type }, "could not queue webhook event");
    return { deliveryIds: [] };
  }
}
