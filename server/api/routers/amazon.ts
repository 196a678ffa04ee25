import "server-only";
import {
  connectAmazon,
  disconnectAmazon,
  getAmazonStatus,
  testAmazon,
} from "@/server/services/integrations/amazon/connection";
import { startOrdersSync } from "@/server/services/integrations/amazon/orders-sync";
import { connectAmazonInput } from "@/server/services/integrations/amazon/schemas";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

/** Amazon Seller (SP-API) connection: owners and admins manage it; everyone sees its status. */
export const amazonRouter = createTRPCRouter({
  status: workspaceProcedure("viewer").query(({ ctx }) => getAmazonStatus(ctx.db, ctx.workspaceId)),
  connect: workspaceProcedure("admin")
    .input(connectAmazonInput)
    .mutation(({ ctx, input }) => connectAmazon(ctx.ws, input)),
  test: workspaceProcedure("admin").mutation(({ ctx }) => testAmazon(ctx.ws)),
  syncNow: workspaceProcedure("admin").mutation(({ ctx }) => startOrdersSync(ctx.ws)),
  disconnect: workspaceProcedure("admin").mutation(({ ctx }) => disconnectAmazon(ctx.ws)),
});
