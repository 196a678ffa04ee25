import "server-only";
import { WEBHOOK_EVENT_TYPES } from "@/server/db/schema/webhooks";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  revealWebhookSecret,
  rotateWebhookSecret,
  updateWebhookEndpoint,
} from "@/server/services/webhooks/endpoints";
import { resendWebhookDelivery } from "@/server/services/webhooks/resend";
import {
  createWebhookEndpointInput,
  endpointIdInput,
  listDeliveriesInput,
  resendDeliveryInput,
  updateWebhookEndpointInput,
} from "@/server/services/webhooks/schemas";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

/** Settings → Webhooks: owners and admins (endpoints receive workspace data and hold secrets). */
export const webhooksRouter = createTRPCRouter({
  eventTypes: workspaceProcedure("admin").query(() => [...WEBHOOK_EVENT_TYPES]),
  list: workspaceProcedure("admin").query(({ ctx }) => listWebhookEndpoints(ctx.db, ctx.workspaceId)),
  create: workspaceProcedure("admin")
    .input(createWebhookEndpointInput)
    .mutation(({ ctx, input }) => createWebhookEndpoint(ctx.ws, input)),
  update: workspaceProcedure("admin")
    .input(updateWebhookEndpointInput)
    .mutation(({ ctx, input }) => updateWebhookEndpoint(ctx.ws, input)),
  delete: workspaceProcedure("admin")
    .input(endpointIdInput)
    .mutation(({ ctx, input }) => deleteWebhookEndpoint(ctx.ws, input)),
  revealSecret: workspaceProcedure("admin")
    .input(endpointIdInput)
    .mutation(({ ctx, input }) => revealWebhookSecret(ctx.ws, input)),
  rotateSecret: workspaceProcedure("admin")
    .input(endpointIdInput)
    .mutation(({ ctx, input }) => rotateWebhookSecret(ctx.ws, input)),
  deliveries: workspaceProcedure("admin")
    .input(listDeliveriesInput)
    .query(({ ctx, input }) => listWebhookDeliveries(ctx.db, ctx.workspaceId, input)),
  resend: workspaceProcedure("admin")
    .input(resendDeliveryInput)
    .mutation(({ ctx, input }) => resendWebhookDelivery(ctx.ws, input)),
});
