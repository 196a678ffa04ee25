import "server-only";
import { attributionSettings } from "@/server/services/attribution/attribute";
import { listOrders } from "@/server/services/attribution/orders";
import {
  attributionSettingsInput,
  createStoreInput,
  listOrdersInput,
  storeIdInput,
} from "@/server/services/attribution/schemas";
import { updateAttributionSettings } from "@/server/services/attribution/settings";
import { createStore, deleteStore, listStores } from "@/server/services/attribution/stores";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

/**
 * Revenue attribution: how orders are credited (admins choose the model and window; every order
 * is credited again at once), the orders with what each was credited to, and the stores that send
 * orders by webhook (admins connect and remove them).
 */
export const attributionRouter = createTRPCRouter({
  settings: workspaceProcedure("viewer").query(({ ctx }) => attributionSettings(ctx.db, ctx.workspaceId)),
  updateSettings: workspaceProcedure("admin")
    .input(attributionSettingsInput)
    .mutation(({ ctx, input }) =>
      updateAttributionSettings(ctx.ws, { model: input.model, windowDays: input.windowDays }),
    ),
  orders: workspaceProcedure("viewer")
    .input(listOrdersInput)
    .query(({ ctx, input }) => listOrders(ctx.db, ctx.workspaceId, input)),
  stores: createTRPCRouter({
    list: workspaceProcedure("viewer").query(({ ctx }) => listStores(ctx.db, ctx.workspaceId)),
    create: workspaceProcedure("admin")
      .input(createStoreInput)
      .mutation(({ ctx, input }) => {
        const { workspaceId: _, ...store } = input;
        return createStore(ctx.ws, store);
      }),
    delete: workspaceProcedure("admin")
      .input(storeIdInput)
      .mutation(({ ctx, input }) => deleteStore(ctx.ws, input.id)),
  }),
});
