import "server-only";
import { scheduleCampaignLocal } from "@/server/services/email/schedule-local";
import { getQuietHours, setLeadTimeZone, setQuietHours } from "@/server/services/email/send-time";
import {
  scheduleLocalInput,
  setLeadTimeZoneInput,
  setQuietHoursInput,
} from "@/server/services/email/send-time-schemas";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

/**
 * Send-time: a campaign sent at a local hour in each lead's own zone, the workspace's quiet hours
 * (admins set them), and a lead's zone set by hand on the lead page.
 */
export const sendTimeRouter = createTRPCRouter({
  scheduleLocal: workspaceProcedure("member")
    .input(scheduleLocalInput)
    .mutation(({ ctx, input }) => scheduleCampaignLocal(ctx.ws, input)),
  quietHours: workspaceProcedure("viewer").query(({ ctx }) => getQuietHours(ctx.db, ctx.workspaceId)),
  setQuietHours: workspaceProcedure("admin")
    .input(setQuietHoursInput)
    .mutation(({ ctx, input }) => setQuietHours(ctx.ws, input.quietHours)),
  setLeadTimeZone: workspaceProcedure("member")
    .input(setLeadTimeZoneInput)
    .mutation(({ ctx, input }) => setLeadTimeZone(ctx.ws, input)),
});
