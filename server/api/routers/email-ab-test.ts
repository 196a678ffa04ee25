import "server-only";
import { decideAbTestNow, getAbTest, saveAbTest } from "@/server/services/email/ab-test";
import { abTestIdInput, decideAbTestInput, saveAbTestInput } from "@/server/services/email/ab-test-schemas";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

/** A/B tests of one-time campaigns: variants B–D, the test settings, and "Pick winner now". */
export const emailAbTestRouter = createTRPCRouter({
  get: workspaceProcedure("viewer")
    .input(abTestIdInput)
    .query(({ ctx, input }) => getAbTest(ctx.db, ctx.workspaceId, input.campaignId)),
  save: workspaceProcedure("member")
    .input(saveAbTestInput)
    .mutation(({ ctx, input }) => saveAbTest(ctx.ws, input)),
  /** Chooses the winner now (a variant, or the current leader) and sends it to the rest. */
  decide: workspaceProcedure("admin")
    .input(decideAbTestInput)
    .mutation(({ ctx, input }) => decideAbTestNow(ctx.ws, input)),
});
