import { z } from "zod";
import { WEBHOOK_EVENT_TYPES } from "@/server/db/schema/webhooks";
import { webhookUrlProblem } from "./ssrf";

export const webhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES, "Unknown event type");

const webhookUrl = z
  .string()
  .trim()
  .min(1, "URL is required")
  .max(2000, "URL must be at most 2000 characters")
  .superRefine((url, ctx) => {
    const problem = webhookUrlProblem(url);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const events = z
  .array(webhookEventTypeSchema)
  .min(1, "Choose at least one event")
  .max(WEBHOOK_EVENT_TYPES.length)
  // Stored in a fixed order without repeats.
  .transform((list) => WEBHOOK_EVENT_TYPES.filter((t) => list.includes(t)));

export const createWebhookEndpointInput = z.object({
  url: webhookUrl,
  description: z.string().trim().max(255, "Description must be at most 255 characters").default(""),
  events,
});
export type CreateWebhookEndpointInput = z.input<typeof createWebhookEndpointInput>;

export const endpointIdInput = z.object({ endpointId: z.uuid("endpointId must be a UUID") });

export const updateWebhookEndpointInput = endpointIdInput.extend({
  url: webhookUrl.optional(),
  description: z.string().trim().max(255, "Description must be at most 255 characters").optional(),
  events: events.optional(),
  enabled: z.boolean().optional(),
});
export type UpdateWebhookEndpointInput = z.input<typeof updateWebhookEndpointInput>;

export const listDeliveriesInput = endpointIdInput.extend({
  limit: z.number().int().min(1).max(100).default(25),
});

export const resendDeliveryInput = z.object({ deliveryId: z.uuid("deliveryId must be a UUID") });
