import "server-only";
import {
  createTemplateInput,
  renameTemplateInput,
  templateIdInput,
} from "@/server/services/email/template-schemas";
import {
  createTemplate,
  deleteTemplate,
  getTemplateOrThrow,
  listTemplates,
  renameTemplate,
} from "@/server/services/email/templates";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

/**
 * Saved email templates (Email → Templates, and "Save as template" / "Start from template" in the
 * campaign editor). Viewers read them; members save, rename and delete.
 */
export const emailTemplatesRouter = createTRPCRouter({
  list: workspaceProcedure("viewer").query(({ ctx }) => listTemplates(ctx.db, ctx.workspaceId)),
  get: workspaceProcedure("viewer")
    .input(templateIdInput)
    .query(({ ctx, input }) => getTemplateOrThrow(ctx.db, ctx.workspaceId, input.id)),
  create: workspaceProcedure("member")
    .input(createTemplateInput)
    .mutation(({ ctx, input }) => createTemplate(ctx.ws, input)),
  rename: workspaceProcedure("member")
    .input(renameTemplateInput)
    .mutation(({ ctx, input }) => renameTemplate(ctx.ws, input)),
  delete: workspaceProcedure("member")
    .input(templateIdInput)
    .mutation(({ ctx, input }) => deleteTemplate(ctx.ws, input.id)),
});
