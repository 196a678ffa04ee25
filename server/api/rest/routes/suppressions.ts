import { z } from "zod";
import { SUPPRESSION_KINDS, SUPPRESSION_REASONS } from "@/server/db/schema";
import {
  addSuppression,
  listSuppressions,
  removeSuppression,
} from "@/server/services/email/suppression-list";
import { defineRoute } from "../define";
import { idParams, pageOf, paginationQuery } from "../schemas";

const suppressionSchema = z.looseObject({
  id: z.uuid(),
  kind: z.enum(SUPPRESSION_KINDS),
  value: z.string().describe("An address, or a domain (which also covers its subdomains); lower-case."),
  reason: z.enum(SUPPRESSION_REASONS),
  note: z.string().nullable(),
  leadId: z.uuid().nullable(),
  campaignId: z.uuid().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
});

const listQuery = z.object({
  search: z.string().trim().max(320).optional().describe("Part of an address, domain or note."),
  kind: z.enum(SUPPRESSION_KINDS).optional(),
  reason: z.enum(SUPPRESSION_REASONS).optional(),
  ...paginationQuery.shape,
});

const addBody = z.object({
  value: z.string().max(1000).describe("someone@example.com, or a whole domain like example.com"),
  note: z.string().max(5000).optional(),
});

export const suppressionRoutes = [
  defineRoute({
    operationId: "suppressions.list",
    method: "GET",
    path: "/suppressions",
    scope: "read",
    tag: "Suppressions",
    summary: "List the suppression list",
    description:
      "Addresses and domains the workspace never mails (bounced, complained, unsubscribed, imported, added by hand), newest first.",
    query: listQuery,
    status: 200,
    response: pageOf(suppressionSchema),
    handler: async (ctx, { query }) => {
      const page = await listSuppressions(ctx.db, ctx.principal.workspaceId, query);
      return { data: page.items.map(({ campaignName: _c, ...r }) => r), nextCursor: page.nextCursor };
    },
  }),
  defineRoute({
    operationId: "suppressions.add",
    method: "POST",
    path: "/suppressions",
    scope: "write",
    tag: "Suppressions",
    summary: "Add an address or domain to the suppression list",
    description:
      "409 when it is listed already. Nothing is sent to it from now on, whatever the lead's status.",
    body: addBody,
    status: 201,
    response: suppressionSchema,
    example: { value: "someone@example.com", note: "Asked by phone" },
    handler: (ctx, { body }) => addSuppression(ctx.ws, body),
  }),
  defineRoute({
    operationId: "suppressions.delete",
    method: "DELETE",
    path: "/suppressions/{id}",
    scope: "write",
    tag: "Suppressions",
    summary: "Remove an entry from the suppression list",
    description:
      "Needs a key created by an admin. Campaigns may mail the address again; a bounced, complained or unsubscribed lead keeps its status.",
    params: idParams,
    status: 204,
    handler: async (ctx, { params }) => {
      await removeSuppression(ctx.ws, params.id);
      return null;
    },
  }),
];
