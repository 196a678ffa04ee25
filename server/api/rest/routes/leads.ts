import { z } from "zod";
import { ValidationError } from "@/server/errors";
import { deleteLead, getLead, listLeads, updateLead } from "@/server/services/leads/leads";
import {
  createLeadInput,
  leadFiltersSchema,
  listLeadsInput,
  updateLeadInput,
} from "@/server/services/leads/schemas";
import { upsertLeadByEmail } from "@/server/services/leads/upsert";
import {
  importMaxBytes,
  previewImport,
  saveImportUpload,
  startImport,
  uploadKey,
} from "@/server/services/leads-import/import";
import { importMappingSchema, startImportInput } from "@/server/services/leads-import/schemas";
import { getStorage } from "@/server/storage";
import { checkedBody } from "@/server/upload-body";
import { defineRoute, reply } from "../define";
import { idParams, leadDetailSchema, leadSchema, pageOf, paginationQuery } from "../schemas";

const listQuery = leadFiltersSchema.pick({ search: true, status: true, source: true }).extend({
  tag: leadFiltersSchema.shape.tags.describe(
    "Only leads with every one of these tags (repeat the parameter).",
  ),
  sort: listLeadsInput.shape.sort,
  order: listLeadsInput.shape.order,
  ...paginationQuery.shape,
});

/** A body that names a lead by email: created if new, updated (only the fields given) if known. */
const upsertBody = createLeadInput;

const patchBody = updateLeadInput.omit({ id: true });

const importQuery = z.object({
  mapping: z
    .string()
    .max(10_000)
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: 'mapping must be JSON, e.g. {"email":"E-mail"}' });
        return z.NEVER;
      }
    })
    .pipe(importMappingSchema)
    .optional()
    .describe(
      'Which CSV column feeds each field, as JSON: `{"email":"E-mail","name":["First","Last"],"tags":"Tags","custom":{"plan":"Plan"}}`. Detected from the headers when omitted. Other columns are ignored unless listed in `keep` (`"keep":[{"header":"Company","label":"Company","type":"text"}]`): each fills the custom field whose key comes from its label, created (text, number or date) when the workspace has none.',
    ),
  policy: startImportInput.shape.policy.describe(
    "`skip` (default) keeps existing leads as they are; `update` merges the file into them.",
  ),
  tag: startImportInput.shape.tags.describe("Tags added to every imported lead (repeat the parameter)."),
  source: startImportInput.shape.source,
});

export const leadRoutes = [
  defineRoute({
    operationId: "leads.list",
    method: "GET",
    path: "/leads",
    scope: "read",
    tag: "Leads",
    summary: "List leads",
    description: "Newest first by default. Filters combine with AND; `search` matches email and name.",
    query: listQuery,
    status: 200,
    response: pageOf(leadSchema),
    handler: async (ctx, { query }) => {
      const { tag, ...rest } = query;
      const page = await listLeads(ctx.db, ctx.principal.workspaceId, { ...rest, tags: tag });
      return { data: page.items, nextCursor: page.nextCursor };
    },
  }),
  defineRoute({
    operationId: "leads.get",
    method: "GET",
    path: "/leads/{id}",
    scope: "read",
    tag: "Leads",
    summary: "Get a lead, with its timeline",
    params: idParams,
    status: 200,
    response: leadDetailSchema,
    handler: (ctx, { params }) => getLead(ctx.db, ctx.principal.workspaceId, params.id),
  }),
  defineRoute({
    operationId: "leads.upsert",
    method: "POST",
    path: "/leads",
    scope: "write",
    tag: "Leads",
    summary: "Create a lead, or update the lead with that email",
    description:
      "201 with the new lead, or 200 with the updated one when the email is already a lead of the workspace (then only the fields sent change; tags replace the lead's tags, custom fields merge).",
    body: upsertBody,
    status: 201,
    response: leadSchema,
    example: { email: "ada@example.com", name: "Ada Lovelace", tags: ["newsletter"], source: "zapier" },
    handler: async (ctx, { body, raw }) => {
      const { created, lead } = await upsertLeadByEmail(ctx.ws, body, Object.keys(raw as object));
      return reply(created ? 201 : 200, lead);
    },
  }),
  defineRoute({
    operationId: "leads.update",
    method: "PATCH",
    path: "/leads/{id}",
    scope: "write",
    tag: "Leads",
    summary: "Update a lead",
    params: idParams,
    body: patchBody,
    status: 200,
    response: leadSchema,
    example: { status: "unsubscribed", tags: ["customer"] },
    handler: (ctx, { params, body }) => updateLead(ctx.ws, { ...body, id: params.id }),
  }),
  defineRoute({
    operationId: "leads.delete",
    method: "DELETE",
    path: "/leads/{id}",
    scope: "write",
    tag: "Leads",
    summary: "Delete a lead",
    params: idParams,
    status: 204,
    handler: async (ctx, { params }) => {
      await deleteLead(ctx.ws, { id: params.id });
      return null;
    },
  }),
  defineRoute({
    operationId: "leads.import",
    method: "POST",
    path: "/leads/import",
    scope: "write",
    tag: "Leads",
    summary: "Import leads from a CSV body",
    description: `Send the file as the body with \`Content-Type: text/csv\` (at most ${Math.round(
      importMaxBytes() / 1024 / 1024,
    )} MB). Answers 202 with the id of the import job; follow it at \`GET /jobs/{id}\`.`,
    query: importQuery,
    bodyType: "csv",
    status: 202,
    response: z.object({ jobId: z.uuid() }),
    stage: async (ctx, body, declaredSize) => {
      if (!body) {
        throw new ValidationError("Send the CSV file as the request body", { "": ["The body is empty"] });
      }
      // Checked against Content-Length: a body cut short on the way fails instead of importing part.
      const upload = await saveImportUpload(ctx.ws, {
        body: checkedBody(body, declaredSize ?? null),
        declaredSize,
        filename: "api-import.csv",
      });
      return {
        value: upload,
        discard: () => getStorage().delete(uploadKey(ctx.principal.workspaceId, upload.uploadId)),
      };
    },
    handler: async (ctx, { query, body }) => {
      const upload = body as Awaited<ReturnType<typeof saveImportUpload>>;
      const mapping =
        query.mapping ?? (await previewImport(ctx.ws, { uploadId: upload.uploadId })).suggestedMapping;
      if (!mapping.email) {
        throw new ValidationError("No email column found; pass `mapping` with the email column's header", {
          mapping: ["No email column found"],
        });
      }
      const { jobId } = await startImport(ctx.ws, {
        uploadId: upload.uploadId,
        mapping,
        policy: query.policy,
        tags: query.tag,
        source: query.source,
      });
      return { jobId };
    },
  }),
];
