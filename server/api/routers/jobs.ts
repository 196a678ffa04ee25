import "server-only";
import { getJobRun, jobRunIdInput } from "@/server/services/jobs";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

export const jobsRouter = createTRPCRouter({
  get: workspaceProcedure("viewer")
    .input(jobRunIdInput)
    .query(({ ctx, input }) => getJobRun(ctx.db, ctx.workspaceId, input.id)),
});
