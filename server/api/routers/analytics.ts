import "server-only";
import { recentActivity } from "@/server/services/activity";
import {
  getAttribution,
  getContentAnalytics,
  getEmailAnalytics,
  getFunnel,
  getLeadsAnalytics,
  getOverview,
  getRevenueAnalytics,
  upcomingContent,
} from "@/server/services/analytics/queries";
import { leadsInput, rangeInput } from "@/server/services/analytics/schemas";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

/** ENABLE_ANALYTICS=false switches this whole router off (server/api/trpc.ts, lib/features.ts). */
const analyticsProcedure = workspaceProcedure("viewer");

export const analyticsRouter = createTRPCRouter({
  overview: analyticsProcedure.input(rangeInput).query(async ({ ctx, input }) => {
    const [figures, upcoming, activity] = await Promise.all([
      getOverview(ctx.db, ctx.workspaceId, input),
      upcomingContent(ctx.db, ctx.workspaceId),
      recentActivity(ctx.db, ctx.workspaceId, { page: 1, pageSize: 8 }),
    ]);
    return { ...figures, upcoming, activity };
  }),
  content: analyticsProcedure
    .input(rangeInput)
    .query(({ ctx, input }) => getContentAnalytics(ctx.db, ctx.workspaceId, input)),
  email: analyticsProcedure
    .input(rangeInput)
    .query(({ ctx, input }) => getEmailAnalytics(ctx.db, ctx.workspaceId, input)),
  leads: analyticsProcedure
    .input(leadsInput)
    .query(({ ctx, input }) => getLeadsAnalytics(ctx.db, ctx.workspaceId, input)),
  revenue: analyticsProcedure
    .input(rangeInput)
    .query(({ ctx, input }) => getRevenueAnalytics(ctx.db, ctx.workspaceId, input)),
  attribution: analyticsProcedure
    .input(rangeInput)
    .query(({ ctx, input }) => getAttribution(ctx.db, ctx.workspaceId, input)),
  funnel: analyticsProcedure
    .input(rangeInput)
    .query(({ ctx, input }) => getFunnel(ctx.db, ctx.workspaceId, input)),
});
