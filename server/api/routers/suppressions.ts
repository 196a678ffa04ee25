import "server-only";
import { z } from "zod";
import { SUPPRESSION_KINDS, SUPPRESSION_REASONS } from "@/server/db/schema";
import {
  addSuppression,
  countSuppressions,
  exportSuppressionsCsv,
  importSuppressions,
  listSuppressions,
  removeSuppression,
} from "@/server/services/email/suppression-list";
import { listSuppressionsInput, suppressionIdInput } from "@/server/services/email/suppression-schemas";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

/**
 * The workspace's suppression list (Email → Suppression list). Viewers read it; members add, import
 * and export; removing an entry (which lets mail go to that address again) is for admins.
 */
export const suppressionsRouter = createTRPCRouter({
  list: workspaceProcedure("viewer")
    .input(listSuppressionsInput)
    .query(({ ctx, input }) => listSuppressions(ctx.db, ctx.workspaceId, input)),
  count: workspaceProcedure("viewer").query(({ ctx }) => countSuppressions(ctx.db, ctx.workspaceId)),
  // Validated in the service (clear messages for what a person typed).
  add: workspaceProcedure("member")
    .input(z.object({ value: z.string().max(1000), note: z.string().max(5000).optional() }))
    .mutation(({ ctx, input }) => addSuppression(ctx.ws, input)),
  import: workspaceProcedure("member")
    .input(z.object({ csv: z.string(), fileName: z.string().max(1000).optional() }))
    .mutation(({ ctx, input }) => importSuppressions(ctx.ws, input)),
  export: workspaceProcedure("member")
    .input(
      z.object({
        search: z.string().trim().max(320).optional(),
        kind: z.enum(SUPPRESSION_KINDS).optional(),
        reason: z.enum(SUPPRESSION_REASONS).optional(),
      }),
    )
    .mutation(({ ctx, input }) => exportSuppressionsCsv(ctx.ws, input)),
  remove: workspaceProcedure("admin")
    .input(suppressionIdInput)
    .mutation(({ ctx, input }) => removeSuppression(ctx.ws, input.id)),
});
