import "server-only";
import {
  createCustomField,
  deleteCustomField,
  listCustomFields,
  updateCustomField,
} from "@/server/services/leads/custom-fields";
import {
  bulkLeads,
  countLeads,
  createLead,
  deleteLead,
  getLead,
  listLeadSources,
  listLeads,
  listLeadTags,
  updateLead,
} from "@/server/services/leads/leads";
import {
  bulkLeadsInput,
  createCustomFieldInput,
  createLeadInput,
  customFieldIdInput,
  leadFiltersSchema,
  leadIdInput,
  listLeadsInput,
  updateCustomFieldInput,
  updateLeadInput,
} from "@/server/services/leads/schemas";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

const fieldsRouter = createTRPCRouter({
  list: workspaceProcedure("viewer").query(({ ctx }) => listCustomFields(ctx.db, ctx.workspaceId)),
  create: workspaceProcedure("member")
    .input(createCustomFieldInput)
    .mutation(({ ctx, input }) => createCustomField(ctx.ws, input)),
  update: workspaceProcedure("member")
    .input(updateCustomFieldInput)
    .mutation(({ ctx, input }) => updateCustomField(ctx.ws, input)),
  delete: workspaceProcedure("admin")
    .input(customFieldIdInput)
    .mutation(({ ctx, input }) => deleteCustomField(ctx.ws, input)),
});

export const leadsRouter = createTRPCRouter({
  list: workspaceProcedure("viewer")
    .input(listLeadsInput)
    .query(({ ctx, input }) => listLeads(ctx.db, ctx.workspaceId, input)),
  /** The number of leads the filters match, asked once per filter (not with every page). */
  count: workspaceProcedure("viewer")
    .input(leadFiltersSchema)
    .query(({ ctx, input }) => countLeads(ctx.db, ctx.workspaceId, input)),
  get: workspaceProcedure("viewer")
    .input(leadIdInput)
    .query(({ ctx, input }) => getLead(ctx.db, ctx.workspaceId, input.id)),
  tags: workspaceProcedure("viewer").query(({ ctx }) => listLeadTags(ctx.db, ctx.workspaceId)),
  sources: workspaceProcedure("viewer").query(({ ctx }) => listLeadSources(ctx.db, ctx.workspaceId)),
  create: workspaceProcedure("member")
    .input(createLeadInput)
    .mutation(({ ctx, input }) => createLead(ctx.ws, input)),
  update: workspaceProcedure("member")
    .input(updateLeadInput)
    .mutation(({ ctx, input }) => updateLead(ctx.ws, input)),
  delete: workspaceProcedure("member")
    .input(leadIdInput)
    .mutation(({ ctx, input }) => deleteLead(ctx.ws, input)),
  bulk: workspaceProcedure("member")
    .input(bulkLeadsInput)
    .mutation(({ ctx, input }) => bulkLeads(ctx.ws, input)),
  fields: fieldsRouter,
});
