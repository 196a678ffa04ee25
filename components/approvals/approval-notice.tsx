"use client";

import { useQuery } from "@tanstack/react-query";
import { Hourglass, MessageSquareWarning } from "lucide-react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";
import { DecisionButtons } from "./decision-buttons";

/**
 * Where an item stands with approval: awaiting it (admins decide right here), or the reason it
 * was not approved, while it is still a draft. Nothing when there is no request.
 */
export function ApprovalNotice({
  entityType,
  entityId,
  title,
  isDraft,
}: {
  entityType: "content" | "campaign";
  entityId: string;
  title: string;
  isDraft: boolean;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const { data: request } = useQuery(
    trpc.approvals.forEntity.queryOptions({ workspaceId: ws.id, entityType, entityId }),
  );
  if (!request) return null;
  const asked =
    request.action === "schedule" && request.scheduledAt
      ? `to ${entityType === "campaign" ? "send" : "publish"} at ${formatDateTime(request.scheduledAt, ws.timeZone)}`
      : `to ${entityType === "campaign" ? "send" : "publish"} now`;

  if (request.status === "pending") {
    return (
      <div
        role="status"
        className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-amber-500/40 bg-amber-500/10 px-3 py-2 text-sm text-amber-900 dark:text-amber-100"
        data-testid="awaiting-approval"
      >
        <p className="flex items-start gap-2">
          <Hourglass className="mt-0.5 size-4 shrink-0" aria-hidden />
          <span>
            <span className="font-medium">Awaiting approval</span> — {request.requestedBy ?? "A member"} asked{" "}
            {asked}.
          </span>
        </p>
        {ws.canAdmin && <DecisionButtons requestId={request.id} title={title} />}
      </div>
    );
  }
  if (request.status === "rejected" && isDraft) {
    return (
      <div
        role="status"
        className="flex items-start gap-2 rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-sm text-destructive"
        data-testid="approval-rejected"
      >
        <MessageSquareWarning className="mt-0.5 size-4 shrink-0" aria-hidden />
        <span>
          <span className="font-medium">Not approved:</span> {request.reason}
        </span>
      </div>
    );
  }
  return null;
}
