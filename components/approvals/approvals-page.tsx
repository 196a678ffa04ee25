"use client";

import { useQuery } from "@tanstack/react-query";
import { FileText, Mail, ShieldCheck } from "lucide-react";
import Link from "next/link";
import { formatRelative } from "@/components/content/zoned-time";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { CardSection } from "@/components/ui/card-section";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";
import { DecisionButtons } from "./decision-buttons";

type Row = {
  id: string;
  entityType: "content" | "campaign";
  entityId: string;
  action: "publish" | "schedule" | "send";
  scheduledAt: Date | null;
  status: string;
  reason: string | null;
  createdAt: Date;
  requestedBy: string | null;
  requestedByEmail: string | null;
  decidedBy: string | null;
  title: string;
};

const STATUS_LABEL: Record<string, string> = {
  approved: "Approved",
  rejected: "Rejected",
  withdrawn: "Withdrawn",
  pending: "Awaiting approval",
};

function asked(r: Row, timeZone: string) {
  const verb = r.entityType === "campaign" ? "Send" : "Publish";
  return r.action === "schedule" && r.scheduledAt
    ? `${verb} at ${formatDateTime(r.scheduledAt, timeZone)}`
    : `${verb} now`;
}

function RequestItem({ r, decide }: { r: Row; decide: boolean }) {
  const ws = useWorkspace();
  const Icon = r.entityType === "campaign" ? Mail : FileText;
  const href =
    r.entityType === "campaign" ? `/${ws.slug}/email/${r.entityId}` : `/${ws.slug}/content/${r.entityId}`;
  return (
    <li
      className="flex flex-col gap-3 py-3 sm:flex-row sm:items-center sm:justify-between"
      data-testid={`approval-${r.id}`}
    >
      <div className="flex min-w-0 items-start gap-3">
        <span className="mt-0.5 flex size-8 shrink-0 items-center justify-center rounded-md border bg-muted">
          <Icon className="size-4" aria-hidden />
          <span className="sr-only">{r.entityType === "campaign" ? "Campaign" : "Content"}</span>
        </span>
        <div className="min-w-0">
          <Link href={href} className="font-medium hover:underline">
            {r.title}
          </Link>
          <p className="text-sm text-muted-foreground">
            {asked(r, ws.timeZone)} · by {r.requestedBy || r.requestedByEmail || "an API key"} ·{" "}
            {formatRelative(r.createdAt)}
          </p>
          {r.status !== "pending" && (
            <p className="text-sm">
              <span className="font-medium">{STATUS_LABEL[r.status] ?? r.status}</span>
              {r.decidedBy ? ` by ${r.decidedBy}` : ""}
              {r.reason ? ` — ${r.reason}` : ""}
            </p>
          )}
        </div>
      </div>
      {decide && <DecisionButtons requestId={r.id} title={r.title} />}
    </li>
  );
}

/** Requests to publish, schedule or send awaiting an admin, and the latest decisions. */
export function ApprovalsPage() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const pending = useQuery(trpc.approvals.list.queryOptions({ workspaceId: ws.id, status: "pending" }));
  const decided = useQuery(trpc.approvals.list.queryOptions({ workspaceId: ws.id, status: "decided" }));
  return (
    <>
      <PageHeader
        title="Approvals"
        description={
          ws.canAdmin
            ? "Posts and campaigns members asked to publish, schedule or send. Approving does it; rejecting sends it back with your reason."
            : "What members asked to publish, schedule or send, and what admins decided."
        }
      />
      <div className="grid gap-6">
        <CardSection title="Awaiting approval" data-testid="approvals-pending">
          {pending.isPending ? (
            <Skeleton className="h-16 w-full" />
          ) : (pending.data ?? []).length === 0 ? (
            <EmptyState
              icon={ShieldCheck}
              title="Nothing awaits approval"
              description="When a member submits a post or a campaign, it shows here and admins are notified."
            />
          ) : (
            <ul className="divide-y">
              {(pending.data as Row[]).map((r) => (
                <RequestItem key={r.id} r={r} decide={ws.canAdmin} />
              ))}
            </ul>
          )}
        </CardSection>
        {(decided.data ?? []).length > 0 && (
          <CardSection title="Recent decisions">
            <ul className="divide-y">
              {(decided.data as Row[]).map((r) => (
                <RequestItem key={r.id} r={r} decide={false} />
              ))}
            </ul>
          </CardSection>
        )}
      </div>
    </>
  );
}
