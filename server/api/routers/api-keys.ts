import "server-only";
import {
  createApiKey,
  createApiKeyInput,
  listApiKeys,
  revokeApiKey,
  revokeApiKeyInput,
} from "@/server/services/api-keys";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

/** Settings → API keys: owners and admins only (a key acts for the whole workspace). */
export const apiKeysRouter = createTRPCRouter({
  list: workspaceProcedure("admin").query(({ ctx }) => listApiKeys(ctx.db, ctx.workspaceId)),
  create: workspaceProcedure("admin")
    .input(createApiKeyInput)
    .mutation(({ ctx, input }) => createApiKey(ctx.ws, input)),
  revoke: workspaceProcedure("admin")
    .input(revokeApiKeyInput)
    .mutation(({ ctx, input }) => revokeApiKey(ctx.ws, input)),
});
