import "server-only";
import {
  approveRequest,
  latestApprovalFor,
  listApprovals,
  pendingApprovalIds,
  rejectRequest,
  submitForApproval,
  withdrawRequest,
} from "@/server/services/approvals/approvals";
import { approvalRequiredFor } from "@/server/services/approvals/policy";
import {
  approvalForEntityInput,
  approvalIdInput,
  listApprovalsInput,
  pendingApprovalIdsInput,
  rejectApprovalInput,
  submitApprovalInput,
} from "@/server/services/approvals/schemas";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

export const approvalsRouter = createTRPCRouter({
  /** Whether the caller must submit for approval instead of publishing, scheduling or sending. */
  required: workspaceProcedure("viewer").query(({ ctx }) => approvalRequiredFor(ctx.ws)),
  list: workspaceProcedure("viewer")
    .input(listApprovalsInput)
    .query(({ ctx, input }) => listApprovals(ctx.db, ctx.workspaceId, input)),
  forEntity: workspaceProcedure("viewer")
    .input(approvalForEntityInput)
    .query(({ ctx, input }) => latestApprovalFor(ctx.db, ctx.workspaceId, input)),
  pendingIds: workspaceProcedure("viewer")
    .input(pendingApprovalIdsInput)
    .query(({ ctx, input }) => pendingApprovalIds(ctx.db, ctx.workspaceId, input)),
  submit: workspaceProcedure("member")
    .input(submitApprovalInput)
    .mutation(({ ctx, input }) => {
      const { workspaceId: _w, ...request } = input;
      return submitForApproval(ctx.ws, request);
    }),
  withdraw: workspaceProcedure("member")
    .input(approvalIdInput)
    .mutation(({ ctx, input }) => withdrawRequest(ctx.ws, input)),
  approve: workspaceProcedure("admin")
    .input(approvalIdInput)
    .mutation(({ ctx, input }) => approveRequest(ctx.ws, input)),
  reject: workspaceProcedure("admin")
    .input(rejectApprovalInput)
    .mutation(({ ctx, input }) => rejectRequest(ctx.ws, input)),
});
