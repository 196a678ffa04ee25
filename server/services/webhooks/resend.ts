import { and, eq } from "drizzle-orm";
import { webhookDeliveries, webhookEndpoints } from "@/server/db/schema";
import { NotFoundError, ValidationError } from "@/server/errors";
import { enqueueWebhookDeliveries } from "@/server/queue/jobs/deliver-webhook";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import { parseOrThrow } from "./parse";
import { resendDeliveryInput } from "./schemas";

/** Sends a past delivery again as a new delivery with the same `webhook-id` (receivers de-duplicate). */
export async function resendWebhookDelivery(ctx: WorkspaceServiceContext, input: { deliveryId: string }) {
  const { deliveryId } = parseOrThrow(resendDeliveryInput, input);
  const [old] = await ctx.db
    .select({ d: webhookDeliveries, enabled: webhookEndpoints.enabled })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.workspaceId, ctx.workspaceId)));
  if (!old) throw new NotFoundError("Delivery not found");
  if (!old.enabled) throw new ValidationError("Switch the endpoint on before resending");
  const [row] = await ctx.db
    .insert(webhookDeliveries)
    .values({
      workspaceId: ctx.workspaceId,
      endpointId: old.d.endpointId,
      messageId: old.d.messageId,
      eventType: old.d.eventType,
      payload: old.d.payload,
      nextAttemptAt: new Date(),
    })
    .returning({ id: webhookDeliveries.id });
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "webhook.resent",
    { type: "webhook", id: old.d.endpointId },
    {
      deliveryId: row!.id,
      eventType: old.d.eventType,
    },
  );
  await enqueueWebhookDeliveries([{ id: row!.id, attempts: 0 }]);
  return { deliveryId: row!.id };
}
