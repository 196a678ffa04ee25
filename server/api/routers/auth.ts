import "server-only";
import { getProfile, updateProfile, updateProfileInput } from "@/server/services/users";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc";

export const authRouter = createTRPCRouter({
  session: publicProcedure.query(({ ctx }) => (ctx.user ? { user: ctx.user } : null)),
  profile: protectedProcedure.query(({ ctx }) => getProfile(ctx, ctx.user.id)),
  updateProfile: protectedProcedure
    .input(updateProfileInput)
    .mutation(({ ctx, input }) => updateProfile(ctx, ctx.user.id, input)),
});
