import "server-only";
import {
  createSegmentInput,
  previewSegmentInput,
  segmentIdInput,
  updateSegmentInput,
} from "@/server/services/segments/schemas";
import {
  createSegment,
  deleteSegment,
  getSegmentOrThrow,
  listSegments,
  previewSegment,
  updateSegment,
} from "@/server/services/segments/segments";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

export const segmentsRouter = createTRPCRouter({
  list: workspaceProcedure("viewer").query(({ ctx }) => listSegments(ctx.db, ctx.workspaceId)),
  get: workspaceProcedure("viewer")
    .input(segmentIdInput)
    .query(({ ctx, input }) => getSegmentOrThrow(ctx.db, ctx.workspaceId, input.id)),
  preview: workspaceProcedure("viewer")
    .input(previewSegmentInput)
    .query(({ ctx, input }) => previewSegment(ctx.db, ctx.workspaceId, input.criteria)),
  create: workspaceProcedure("member")
    .input(createSegmentInput)
    .mutation(({ ctx, input }) => createSegment(ctx.ws, input)),
  update: workspaceProcedure("member")
    .input(updateSegmentInput)
    .mutation(({ ctx, input }) => updateSegment(ctx.ws, input)),
  delete: workspaceProcedure("member")
    .input(segmentIdInput)
    .mutation(({ ctx, input }) => deleteSegment(ctx.ws, input)),
});
