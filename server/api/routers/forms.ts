import "server-only";
import { createForm, deleteForm, getFormOrThrow, listForms, updateForm } from "@/server/services/forms/forms";
import { createFormInput, formIdInput, updateFormInput } from "@/server/services/forms/schemas";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

export const formsRouter = createTRPCRouter({
  list: workspaceProcedure("viewer").query(({ ctx }) => listForms(ctx.db, ctx.workspaceId)),
  get: workspaceProcedure("viewer")
    .input(formIdInput)
    .query(({ ctx, input }) => getFormOrThrow(ctx.db, ctx.workspaceId, input.id)),
  create: workspaceProcedure("admin")
    .input(createFormInput)
    .mutation(({ ctx, input }) => createForm(ctx.ws, input)),
  update: workspaceProcedure("admin")
    .input(updateFormInput)
    .mutation(({ ctx, input }) => updateForm(ctx.ws, input)),
  delete: workspaceProcedure("admin")
    .input(formIdInput)
    .mutation(({ ctx, input }) => deleteForm(ctx.ws, input)),
});
