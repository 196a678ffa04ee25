import "server-only";
import { z } from "zod";
import { attemptWebhookDelivery, dueWebhookDeliveries } from "@/server/services/webhooks/deliver";
import { enqueue, getQueue } from "../index";
import { defineJob } from "../types";

/**
 * One attempt at one webhook delivery. Retries are scheduled by the delivery row (its own backoff
 * over a day), not by the queue's retry policy: the job only re-enqueues itself with the delay.
 */
export const deliverWebhookJob = defineJob({
  queue: "system",
  name: "deliver-webhook",
  schema: z.object({ deliveryId: z.uuid() }),
  async handler({ deliveryId }, { db, log }) {
    const result = await attemptWebhookDelivery(db, deliveryId, { log });
    if (result.outcome === "retry") {
      await enqueue(
        deliverWebhookJob,
        { deliveryId },
        {
          jobId: `webhook-${deliveryId}-${result.attempt + 1}`,
          delayMs: result.retryInMs,
        },
      );
    }
    return result;
  },
});

/** Safety net: enqueues due deliveries a lost queue or a restarted process dropped. */
export const webhookTickJob = defineJob({
  queue: "system",
  name: "webhook-tick",
  schema: z.object({}),
  async handler(_payload, { db }) {
    const due = await dueWebhookDeliveries(db);
    await enqueueWebhookDeliveries(due);
    return { enqueued: due.length };
  },
});

export async function enqueueWebhookDeliveries(rows: { id: string; attempts: number }[]) {
  if (rows.length === 0) return;
  await getQueue().enqueueMany(
    deliverWebhookJob,
    rows.map((r) => ({
      payload: { deliveryId: r.id },
      opts: { jobId: `webhook-${r.id}-${r.attempts + 1}` },
    })),
  );
}
