import "server-only";
import { TRPCError } from "@trpc/server";
import { isInstanceAdmin } from "@/server/services/instance/admins";
import {
  clearAppCredentials,
  listAppCredentials,
  saveAppCredentials,
} from "@/server/services/instance/credentials";
import { clearCredentialsInput, updateCredentialsInput } from "@/server/services/instance/schemas";
import { createTRPCRouter, protectedProcedure } from "../trpc";

/** The install itself, not a workspace: only instance admins (server/services/instance/admins.ts). */
export const instanceAdminProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  if (!(await isInstanceAdmin(ctx.db, ctx.user.id)))
    throw new TRPCError({ code: "FORBIDDEN", message: "Only an instance admin can do this" });
  return next();
});

export const instanceRouter = createTRPCRouter({
  /** Whether the caller runs this install (shows the Instance settings tab). */
  me: protectedProcedure.query(async ({ ctx }) => ({
    instanceAdmin: await isInstanceAdmin(ctx.db, ctx.user.id),
  })),
  /** TikTok, Google and Amazon app credentials: which source is active; secrets never returned. */
  credentials: instanceAdminProcedure.query(({ ctx }) => listAppCredentials(ctx.db)),
  updateCredentials: instanceAdminProcedure
    .input(updateCredentialsInput)
    .mutation(({ ctx, input }) => saveAppCredentials({ db: ctx.db, actor: ctx.actor }, input)),
  clearCredentials: instanceAdminProcedure
    .input(clearCredentialsInput)
    .mutation(({ ctx, input }) => clearAppCredentials({ db: ctx.db, actor: ctx.actor }, input.provider)),
});
