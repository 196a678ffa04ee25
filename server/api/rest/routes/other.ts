import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { workspaces } from "@/server/db/schema";
import { NotFoundError } from "@/server/errors";
import { getAttribution, getOverview } from "@/server/services/analytics/queries";
import { rangeInput } from "@/server/services/analytics/schemas";
import { getSenderSettings } from "@/server/services/email/sender-settings";
import { getJobRun, jobRunIdInput } from "@/server/services/jobs";
import { patchWorkspaceSettings, workspaceSettingsPatch } from "@/server/services/workspaces/settings-patch";
import { defineRoute, type RestContext } from "../define";
import { analyticsOverviewSchema, jobSchema, workspaceSchema } from "../schemas";

const overviewQuery = z.object({
  from: rangeInput.shape.from.describe("First day (YYYY-MM-DD, the workspace's time zone); with `to`."),
  to: rangeInput.shape.to.describe("Last day, inclusive."),
  preset: rangeInput.shape.preset
    .optional()
    .describe("A period ending today, when `from`/`to` are not given (default `30d`)."),
  compare: rangeInput.shape.compare.describe("Also the figures of the period before."),
});

async function workspaceView(ctx: RestContext) {
  const [ws] = await ctx.db
    .select({
      id: workspaces.id,
      name: workspaces.name,
      slug: workspaces.slug,
      timeZone: workspaces.timeZone,
      createdAt: workspaces.createdAt,
    })
    .from(workspaces)
    .where(eq(workspaces.id, ctx.principal.workspaceId));
  if (!ws) throw new NotFoundError("Workspace not found");
  return { ...ws, sender: await getSenderSettings(ctx.db, ws.id) };
}

export const otherRoutes = [
  defineRoute({
    operationId: "analytics.overview",
    method: "GET",
    path: "/analytics/overview",
    scope: "read",
    tag: "Analytics",
    summary: "Headline figures of a period",
    description: "Views, leads, emails and revenue of `from`–`to` (or a preset), with the previous period.",
    query: overviewQuery,
    status: 200,
    response: analyticsOverviewSchema,
    handler: (ctx, { query }) => {
      const custom = query.from !== undefined || query.to !== undefined;
      return getOverview(ctx.db, ctx.principal.workspaceId, {
        ...query,
        preset: custom ? "custom" : (query.preset ?? "30d"),
      });
    },
  }),
  defineRoute({
    operationId: "analytics.attribution",
    method: "GET",
    path: "/analytics/attribution",
    scope: "read",
    tag: "Analytics",
    summary:
      "What the marketing earned: revenue, orders and conversion per post, platform, campaign and step",
    description:
      "From the orders of the period credited to tracked-link clicks, email clicks and sign-ups (Settings → Attribution), in the period's main currency; orders are shared between touches under the linear model, so counts can have decimals. Also the funnel views → clicks → leads → orders and the unattributed remainder.",
    query: overviewQuery,
    status: 200,
    response: analyticsOverviewSchema.describe("Totals, funnel, posts, platforms and campaigns with steps."),
    handler: (ctx, { query }) => {
      const custom = query.from !== undefined || query.to !== undefined;
      return getAttribution(ctx.db, ctx.principal.workspaceId, {
        ...query,
        preset: custom ? "custom" : (query.preset ?? "30d"),
      });
    },
  }),
  defineRoute({
    operationId: "jobs.get",
    method: "GET",
    path: "/jobs/{id}",
    scope: "read",
    tag: "Jobs",
    summary: "Status, progress and result of a job (e.g. an import)",
    params: jobRunIdInput,
    status: 200,
    response: jobSchema,
    handler: (ctx, { params }) => getJobRun(ctx.db, ctx.principal.workspaceId, params.id),
  }),
  defineRoute({
    operationId: "workspace.get",
    method: "GET",
    path: "/workspace",
    scope: "read",
    tag: "Workspace",
    summary: "The key's workspace, with its sender settings",
    status: 200,
    response: workspaceSchema,
    handler: (ctx) => workspaceView(ctx),
  }),
  defineRoute({
    operationId: "workspace.update",
    method: "PATCH",
    path: "/workspace",
    scope: "write",
    // Settings → Sending and the time zone are for owners and admins in the app too.
    minRole: "admin",
    tag: "Workspace",
    summary: "Update sender settings and time zone",
    description:
      "From name and address, reply-to, postal address (printed in every email), send rate and time zone. Fields not sent keep their value; the first time, the sender fields must all be given. Needs a key created by an owner or admin who still is one (403 `insufficient_role` otherwise).",
    body: workspaceSettingsPatch,
    status: 200,
    response: workspaceSchema,
    example: {
      fromName: "Ferns & Co",
      fromEmail: "hello@ferns.example",
      postalAddress: "1 Leaf Lane, Greenville 12345, US",
    },
    handler: async (ctx, { body }) => {
      await patchWorkspaceSettings(ctx.ws, body);
      return workspaceView(ctx);
    },
  }),
];
