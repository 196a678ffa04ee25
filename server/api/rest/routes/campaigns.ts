import "server-only";
import { z } from "zod";
import { createCampaignInput, listCampaignsInput } from "@/server/services/email/campaign-schemas";
import {
  createCampaign,
  getCampaignOrThrow,
  listCampaigns,
  sendCampaignNow,
} from "@/server/services/email/campaigns";
import { getCampaignReport } from "@/server/services/email/reports";
import { defineRoute } from "../define";
import { campaignSchema, campaignWithStatsSchema, idParams, pageOf, paginationQuery } from "../schemas";

export const campaignRoutes = [
  defineRoute({
    operationId: "campaigns.list",
    method: "GET",
    path: "/campaigns",
    scope: "read",
    tag: "Campaigns",
    summary: "List email campaigns, newest first, with sends and rates",
    query: listCampaignsInput.extend(paginationQuery.shape),
    status: 200,
    response: pageOf(campaignSchema),
    handler: async (ctx, { query }) => {
      const page = await listCampaigns(ctx.db, ctx.principal.workspaceId, query);
      return { data: page.campaigns, nextCursor: page.nextCursor };
    },
  }),
  defineRoute({
    operationId: "campaigns.get",
    method: "GET",
    path: "/campaigns/{id}",
    scope: "read",
    tag: "Campaigns",
    summary: "Get a campaign with its stats",
    params: idParams,
    status: 200,
    response: campaignWithStatsSchema,
    handler: async (ctx, { params }) => {
      const campaign = await getCampaignOrThrow(ctx.db, ctx.principal.workspaceId, params.id);
      const report = await getCampaignReport(ctx.db, ctx.principal.workspaceId, { id: params.id });
      return { campaign, stats: report };
    },
  }),
  defineRoute({
    operationId: "campaigns.create",
    method: "POST",
    path: "/campaigns",
    scope: "write",
    tag: "Campaigns",
    summary: "Create a campaign (a draft)",
    body: createCampaignInput,
    status: 201,
    response: campaignSchema,
    example: {
      type: "one-time",
      name: "November newsletter",
      audience: { criteria: { match: "all", conditions: [] } },
      steps: [{ subject: "What's new", body: "Hello {{name}}" }],
    },
    handler: (ctx, { body }) => createCampaign(ctx.ws, body),
  }),
  defineRoute({
    operationId: "campaigns.send",
    method: "POST",
    path: "/campaigns/{id}/send",
    scope: "write",
    tag: "Campaigns",
    summary: "Send a one-time campaign now",
    description:
      "The campaign's audience is queued; answers 202 with the campaign and the number of emails queued. Needs the workspace's sender settings (`PATCH /workspace`). Mail that leaves through SMTP or Gmail also needs a From domain the workspace verified (Settings → Sending) and, in production, an https `APP_URL` on the server: otherwise 412 with the reason and nothing is queued.",
    params: idParams,
    body: z.object({}).optional(),
    status: 202,
    response: campaignSchema.extend({ queued: z.number().int() }),
    handler: (ctx, { params }) => sendCampaignNow(ctx.ws, { id: params.id }),
  }),
];
