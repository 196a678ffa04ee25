import "server-only";
import { startAttributionSync } from "@/server/services/integrations/amazon-ads/attribution-sync";
import {
  chooseAmazonAdsAdvertiser,
  chooseAmazonAdsProfile,
  connectAmazonAds,
  disconnectAmazonAds,
  getAmazonAdsStatus,
  listAmazonAdsAdvertisers,
  listAmazonAdsProfiles,
  refreshAmazonAdsTags,
} from "@/server/services/integrations/amazon-ads/connection";
import {
  amazonAttributionSummaryInput,
  chooseAmazonAdsAdvertiserInput,
  chooseAmazonAdsProfileInput,
  connectAmazonAdsInput,
} from "@/server/services/integrations/amazon-ads/schemas";
import { amazonAttributionSummary } from "@/server/services/integrations/amazon-ads/summary";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

/**
 * Amazon Ads (Amazon Attribution), nested under `integrations.amazonAds`: owners and admins
 * connect, choose the profile and advertiser, sync and disconnect; everyone sees status and figures.
 */
export const amazonAdsRouter = createTRPCRouter({
  status: workspaceProcedure("viewer").query(({ ctx }) => getAmazonAdsStatus(ctx.db, ctx.workspaceId)),
  connect: workspaceProcedure("admin")
    .input(connectAmazonAdsInput)
    .mutation(({ ctx, input }) => connectAmazonAds(ctx.ws, input)),
  profiles: workspaceProcedure("admin").query(({ ctx }) => listAmazonAdsProfiles(ctx.ws)),
  chooseProfile: workspaceProcedure("admin")
    .input(chooseAmazonAdsProfileInput)
    .mutation(({ ctx, input }) => chooseAmazonAdsProfile(ctx.ws, input)),
  advertisers: workspaceProcedure("admin").query(({ ctx }) => listAmazonAdsAdvertisers(ctx.ws)),
  chooseAdvertiser: workspaceProcedure("admin")
    .input(chooseAmazonAdsAdvertiserInput)
    .mutation(({ ctx, input }) => chooseAmazonAdsAdvertiser(ctx.ws, input)),
  refreshTags: workspaceProcedure("admin").mutation(({ ctx }) => refreshAmazonAdsTags(ctx.ws)),
  syncNow: workspaceProcedure("admin").mutation(({ ctx }) => startAttributionSync(ctx.ws)),
  disconnect: workspaceProcedure("admin").mutation(({ ctx }) => disconnectAmazonAds(ctx.ws)),
  summary: workspaceProcedure("viewer")
    .input(amazonAttributionSummaryInput)
    .query(({ ctx, input }) => amazonAttributionSummary(ctx.db, ctx.workspaceId, input)),
});
