import "server-only";
import {
  listNotifications,
  listNotificationsInput,
  markNotificationsRead,
  markReadInput,
} from "@/server/services/notifications";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

export const notificationsRouter = createTRPCRouter({
  list: workspaceProcedure("viewer")
    .input(listNotificationsInput)
    .query(({ ctx, input }) => listNotifications(ctx.db, ctx.workspaceId, ctx.user.id, input.limit)),
  markRead: workspaceProcedure("viewer")
    .input(markReadInput)
    .mutation(({ ctx, input }) => markNotificationsRead(ctx.db, ctx.workspaceId, ctx.user.id, input.ids)),
});
