import "server-only";
import { z } from "zod";
import { enqueue, getQueue } from "..";
import { defineJob, type RepeatingJob } from "../types";

/**
 * One attempt at one webhook delivery. Retries are scheduled by the delivery row (its own backoff
 * over a day), not by the queue's retry policy: the job only re-enqueues itself with the delay.
 */
export const deliverWebhookJob = defineJob({
  queue: "system",
  name: "deliver-webhook",
  schema: z.object({ deliveryId: z.uuid() }),
});

/** Safety net: enqueues due deliveries a lost queue or a restarted process dropped. */
export const webhookTickJob = defineJob({
  queue: "system",
  name: "webhook-tick",
  schema: z.object({}),
});

export const webhookTick: RepeatingJob = { def: webhookTickJob, everyMs: 30_000, payload: {} };

/** The next attempt of a delivery, after its backoff. */
export function enqueueWebhookRetry(deliveryId: string, attempt: number, delayMs: number) {
  return enqueue(deliverWebhookJob, { deliveryId }, { jobId: `webhook-${deliveryId}-${attempt}`, delayMs });
}

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
