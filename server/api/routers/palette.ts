import "server-only";
import { paletteSearchInput } from "@/server/services/palette/schemas";
import { searchPalette } from "@/server/services/palette/search";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

/** The command palette (⌘K): pages, leads, content and campaigns matching what was typed. */
export const paletteRouter = createTRPCRouter({
  search: workspaceProcedure("viewer")
    .input(paletteSearchInput)
    .query(({ ctx, input }) =>
      searchPalette(ctx.db, { workspaceId: ctx.workspaceId, role: ctx.role }, input),
    ),
});
