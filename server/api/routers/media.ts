import "server-only";
import { deleteMedia, listMedia, listMediaInput, mediaIdInput, mediaLimits } from "@/server/services/media";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

export const mediaRouter = createTRPCRouter({
  list: workspaceProcedure("viewer")
    .input(listMediaInput)
    .query(({ ctx, input }) => listMedia(ctx.db, ctx.workspaceId, input)),
  /** Upload limits, for the browser's pre-check (the server enforces them regardless). */
  limits: workspaceProcedure("viewer").query(() => mediaLimits()),
  delete: workspaceProcedure("member")
    .input(mediaIdInput)
    .mutation(({ ctx, input }) => deleteMedia(ctx.ws, input)),
});
