import "server-only";
import { signInProviders } from "@/server/auth-providers";
import { describeSignInMethods } from "@/server/services/sign-in-methods";
import { getProfile, updateProfile, updateProfileInput } from "@/server/services/users";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc";

export const authRouter = createTRPCRouter({
  session: publicProcedure.query(({ ctx }) => (ctx.user ? { user: ctx.user } : null)),
  /** Settings → Security: password, passkeys and linked provider identities of the signed-in user. */
  signInMethods: protectedProcedure.query(({ ctx }) =>
    describeSignInMethods(ctx.db, ctx.user.id, signInProviders()),
  ),
  profile: protectedProcedure.query(({ ctx }) => getProfile(ctx, ctx.user.id)),
  updateProfile: protectedProcedure
    .input(updateProfileInput)
    .mutation(({ ctx, input }) => updateProfile(ctx, ctx.user.id, input)),
});
