"use client";

import { useQuery } from "@tanstack/react-query";
import { ShieldCheck } from "lucide-react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { LinkButton } from "@/components/ui/link-button";
import { useTRPC } from "@/lib/trpc/client";

/** The items of one kind awaiting approval in this workspace (for badges). */
export function usePendingApprovals(entityType: "content" | "campaign") {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const { data } = useQuery(trpc.approvals.pendingIds.queryOptions({ workspaceId: ws.id, entityType }));
  return new Set(data ?? []);
}

/** "Approvals (n)" in a list's header: shown when something awaits approval, or to admins. */
export function ApprovalsLink({ entityType }: { entityType: "content" | "campaign" }) {
  const ws = useWorkspace();
  const pending = usePendingApprovals(entityType);
  if (pending.size === 0 && !ws.canAdmin) return null;
  return (
    <LinkButton href={`/${ws.slug}/approvals`} icon={ShieldCheck} testId="open-approvals">
      Approvals
      {pending.size > 0 && (
        <span
          className="ml-1 rounded-full bg-amber-500 px-1.5 text-xs font-semibold text-white tabular-nums dark:text-black"
          data-testid="approvals-count"
        >
          {pending.size}
          <span className="sr-only"> awaiting</span>
        </span>
      )}
    </LinkButton>
  );
}

/** A small "Awaiting approval" tag for a row. */
export function AwaitingBadge() {
  return (
    <span
      className="inline-flex shrink-0 items-center rounded-full border border-amber-500/40 bg-amber-500/10 px-1.5 text-[11px] font-medium text-amber-800 dark:text-amber-200"
      data-testid="awaiting-badge"
    >
      Awaiting approval
    </span>
  );
}
