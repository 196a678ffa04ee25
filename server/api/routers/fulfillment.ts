import "server-only";
import {
  cancelFulfillmentOrder,
  createFulfillmentOrder,
  getFulfillmentOrder,
  listFulfillmentOrders,
  previewFulfillment,
} from "@/server/services/integrations/amazon/fulfillment";
import {
  createFulfillmentInput,
  fulfillmentIdInput,
  listFulfillmentInput,
  previewFulfillmentInput,
} from "@/server/services/integrations/amazon/schemas";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

/**
 * Amazon Multi-Channel Fulfillment orders (e.g. a sample shipped to a lead). Members create,
 * preview and cancel; viewers see the list and the orders.
 */
export const fulfillmentRouter = createTRPCRouter({
  list: workspaceProcedure("viewer")
    .input(listFulfillmentInput)
    .query(({ ctx, input }) => listFulfillmentOrders(ctx.db, ctx.workspaceId, input)),
  get: workspaceProcedure("viewer")
    .input(fulfillmentIdInput)
    .query(({ ctx, input }) => getFulfillmentOrder(ctx.db, ctx.workspaceId, input.id)),
  preview: workspaceProcedure("member")
    .input(previewFulfillmentInput)
    .mutation(({ ctx, input }) => previewFulfillment(ctx.ws, input)),
  create: workspaceProcedure("member")
    .input(createFulfillmentInput)
    .mutation(({ ctx, input }) => createFulfillmentOrder(ctx.ws, input)),
  cancel: workspaceProcedure("member")
    .input(fulfillmentIdInput)
    .mutation(({ ctx, input }) => cancelFulfillmentOrder(ctx.ws, input.id)),
});
