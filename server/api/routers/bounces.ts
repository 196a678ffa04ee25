import "server-only";
import { z } from "zod";
import {
  checkBounceMailboxNow,
  getBounceSettings,
  saveBounceSettings,
  testBounceMailbox,
} from "@/server/services/email/bounce-mailbox";
import { bouncesInput } from "@/server/services/email/bounce-mailbox-schemas";
import { campaignGoalsInput, getCampaignGoals, updateCampaignGoals } from "@/server/services/email/goals";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

/**
 * Settings → Sending → Bounces (the VERP return path and the IMAP bounce mailbox) and the goals of
 * sequences and triggered campaigns (issue 19, points 1 and 7). Viewers read; admins change the
 * mailbox; members set a campaign's goals, as they edit campaigns.
 */
export const bouncesRouter = createTRPCRouter({
  settings: workspaceProcedure("viewer").query(({ ctx }) => getBounceSettings(ctx.db, ctx.workspaceId)),
  updateSettings: workspaceProcedure("admin")
    .input(bouncesInput)
    .mutation(({ ctx, input }) => saveBounceSettings(ctx.ws, input)),
  /** Signs in with the entered settings and opens the folder; the answer comes back in words. */
  testMailbox: workspaceProcedure("admin")
    .input(bouncesInput)
    .mutation(({ ctx, input }) => testBounceMailbox(ctx.ws, input)),
  /** Reads the saved mailbox now and says what it found. */
  checkNow: workspaceProcedure("admin").mutation(({ ctx }) => checkBounceMailboxNow(ctx.ws)),
  goals: workspaceProcedure("viewer")
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getCampaignGoals(ctx.db, ctx.workspaceId, input.id)),
  updateGoals: workspaceProcedure("member")
    .input(campaignGoalsInput)
    .mutation(({ ctx, input }) => updateCampaignGoals(ctx.ws, input)),
});
