import "server-only";
import { previewImport } from "@/server/services/leads-import/preview";
import { previewImportInput, startImportInput } from "@/server/services/leads-import/schemas";
import { startImport } from "@/server/services/leads-import/start";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

export const leadsImportRouter = createTRPCRouter({
  /** Headers, first rows and a suggested mapping of an uploaded file. */
  preview: workspaceProcedure("member")
    .input(previewImportInput)
    .query(({ ctx, input }) => previewImport(ctx.ws, input)),
  start: workspaceProcedure("member")
    .input(startImportInput)
    .mutation(({ ctx, input }) => startImport(ctx.ws, input)),
});
