import "server-only";
import { DomainError } from "@/server/errors";
import { isIntegrationError } from "@/server/integrations/http";
import { PublishError } from "@/server/services/content/publish";
import { saveAiSettings } from "@/server/services/integrations/ai";
import { DISCONNECTORS, OAUTH_CONNECTORS } from "@/server/services/integrations/connectors";
import {
  disconnectInput,
  listIntegrations,
  oauthProviderInput,
  syncInput,
  syncIntegration,
  testInput,
  testIntegration,
} from "@/server/services/integrations/index";
import { aiSettingsInput } from "@/server/services/integrations/schemas";
import { tiktokCreatorInfo } from "@/server/services/integrations/tiktok";
import { createTRPCRouter, workspaceProcedure } from "../trpc";
import { amazonAdsRouter } from "./amazon-ads";

/** Integrations: everyone sees status; owners and admins connect, test, sync and disconnect. */
export const integrationsRouter = createTRPCRouter({
  list: workspaceProcedure("viewer").query(({ ctx }) => listIntegrations(ctx.db, ctx.workspaceId)),

  /** Starts an OAuth connect: the browser goes to the returned URL. */
  connect: workspaceProcedure("admin")
    .input(oauthProviderInput)
    .mutation(({ ctx, input }) => {
      const p = { workspaceId: ctx.workspaceId, userId: ctx.user.id, baseUrl: ctx.baseUrl };
      return OAUTH_CONNECTORS[input.provider].start(ctx.db, p);
    }),

  disconnect: workspaceProcedure("admin")
    .input(disconnectInput)
    .mutation(({ ctx, input }) =>
      DISCONNECTORS[input.provider](ctx.db, { workspaceId: ctx.workspaceId, userId: ctx.user.id }),
    ),

  test: workspaceProcedure("admin")
    .input(testInput)
    .mutation(({ ctx, input }) => testIntegration(ctx.db, ctx.workspaceId, input.provider)),

  sync: workspaceProcedure("admin")
    .input(syncInput)
    .mutation(({ ctx, input }) => syncIntegration(ctx.db, ctx.workspaceId, input.provider)),

  saveAi: workspaceProcedure("admin")
    .input(aiSettingsInput)
    .mutation(async ({ ctx, input }) => {
      const { workspaceId: _w, ...settings } = input as typeof input & { workspaceId: string };
      await saveAiSettings(ctx.db, { workspaceId: ctx.workspaceId, actor: ctx.actor, input: settings });
      return { saved: true };
    }),

  /** Amazon Ads: Attribution tags on links to Amazon, and Attribution reports. */
  amazonAds: amazonAdsRouter,

  /** For the TikTok editor: the privacy levels (and switches) this account may use. */
  tiktokCreatorInfo: workspaceProcedure("member").query(({ ctx }) =>
    // Not connected, or TikTok refusing: something the person can fix, not a 500.
    tiktokCreatorInfo(ctx.db, ctx.workspaceId).catch((err: unknown) => {
      if (err instanceof PublishError || isIntegrationError(err))
        throw new DomainError("PRECONDITION_FAILED", err.message);
      throw err;
    }),
  ),
});
