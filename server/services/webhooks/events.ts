import type { Db } from "@/server/db";
import type { WebhookEventType } from "@/server/db/schema";
import { enqueueWebhookDeliveries } from "@/server/queue/jobs/deliver-webhook";
import type { DomainEventConsumer } from "../domain-events/dispatch";
import type { DomainEvent } from "../domain-events/types";
import { insertWebhookDeliveriesMany } from "./emit";

/*
 * `lead.created` payloads (the `data` of `{ type, timestamp, data }`):
 *
 * - one lead (form signup, the app, the REST API):
 *     data: { id, email, name, status, source, tags, customFields, createdAt }
 * - a CSV import, after it has committed: the leads it inserted (not those it updated or skipped),
 *   in deliveries of up to IMPORT_WEBHOOK_BATCH leads each, in file order:
 *     data: { source: "import", jobId, batch: { index, count }, leads: [ { id, email, … }, … ] }
 *   `jobId` is the import's job (GET /api/v1/jobs/{jobId}); `batch.index` counts from 0 and
 *   `batch.count` is the number of deliveries for the import. Receivers tell the two shapes apart
 *   by `data.source === "import"` (or `Array.isArray(data.leads)`).
 */

/** Leads per `lead.created` delivery of an import (one `lead.imported` domain event each). */
export const IMPORT_WEBHOOK_BATCH = 100;

/** The webhook a domain event becomes (type and `data`), or null for events no webhook carries. */
export function webhookOf(
  event: DomainEvent,
): { type: WebhookEventType; data: Record<string, unknown> } | null {
  switch (event.type) {
    case "lead.created":
      return { type: "lead.created", data: { ...event.payload.lead } };
    case "lead.imported":
      return {
        type: "lead.created",
        data: {
          source: "import",
          jobId: event.payload.jobId,
          batch: event.payload.batch,
          leads: event.payload.leads,
        },
      };
    case "lead.unsubscribed":
      return {
        type: "lead.unsubscribed",
        data: { ...event.payload.lead, campaignId: event.payload.campaignId, via: event.payload.via },
      };
    case "content.published": {
      const { id, type, title, url } = event.payload;
      return { type: "content.published", data: { id, type, title, url } };
    }
    case "content.failed": {
      const { id, type, title, error } = event.payload;
      return { type: "content.failed", data: { id, type, title, error } };
    }
    case "campaign.sent":
      return { type: "campaign.sent", data: { ...event.payload } };
    case "order.created":
      return { type: "order.created", data: { ...event.payload } };
    default:
      return null;
  }
}

/** The domain-event consumer that writes webhook deliveries (bound in server/queue/handlers.ts). */
export const webhooksConsumer: DomainEventConsumer = {
  name: "webhooks",
  handle: (tx, event) => deliverEvents(tx, [event]),
  handleMany: deliverEvents,
};

/** Writes the deliveries of these events; enqueues them once committed. */
async function deliverEvents(tx: Db, events: DomainEvent[]) {
  const items = events.flatMap((event) => {
    const hook = webhookOf(event);
    if (!hook) return [];
    return [
      {
        workspaceId: event.workspaceId,
        type: hook.type,
        data: hook.data,
        domainEventId: event.id,
        timestamp: event.createdAt,
      },
    ];
  });
  const rows = await insertWebhookDeliveriesMany(tx, items);
  return rows.length ? () => enqueueWebhookDeliveries(rows) : undefined;
}
