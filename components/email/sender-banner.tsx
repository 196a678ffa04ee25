"use client";

import { useQuery } from "@tanstack/react-query";
import { TriangleAlert } from "lucide-react";
import Link from "next/link";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { useTRPC } from "@/lib/trpc/client";

/** Nothing is sent before the workspace has a sender and a postal address: say so, and where to fix it. */
export function SenderMissingBanner() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const sender = useQuery(trpc.email.sender.get.queryOptions({ workspaceId: ws.id }));
  if (sender.isPending || sender.data) return null;
  return (
    <div
      role="status"
      data-testid="sender-missing"
      className="mb-4 flex items-start gap-3 rounded-lg border border-warning/30 bg-warning/10 p-3 text-sm"
    >
      <TriangleAlert className="mt-0.5 size-4 shrink-0 text-warning" aria-hidden />
      <p>
        Add your sender name, from address and postal address before sending — every email must carry a
        physical address.{" "}
        <Link href={`/${ws.slug}/settings/sending`} className="font-medium underline">
          {ws.canAdmin ? "Open Settings → Sending" : "Ask an admin to set it in Settings → Sending"}
        </Link>
      </p>
    </div>
  );
}
