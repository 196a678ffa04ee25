"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Filter, Plus, Trash2, TriangleAlert } from "lucide-react";
import Link from "next/link";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import type { SegmentCondition } from "@/server/services/segments/criteria-schemas";
import { FIELD_LABELS } from "./condition-fields";

function summarize(conditions: SegmentCondition[], match: "all" | "any") {
  if (conditions.length === 0) return "All leads";
  const parts = conditions
    .slice(0, 3)
    .map((c) => `${FIELD_LABELS[c.field]} ${c.op.replace(/_/g, " ")} ${String(c.value)}`);
  const more = conditions.length > 3 ? ` +${conditions.length - 3} more` : "";
  return parts.join(match === "all" ? " and " : " or ") + more;
}

export function SegmentsList() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.segments.list.queryOptions({ workspaceId: ws.id }));
  const remove = useMutation(
    trpc.segments.delete.mutationOptions({
      onSuccess: async () => {
        toast.success("Segment deleted");
        await queryClient.invalidateQueries({ queryKey: trpc.segments.list.queryKey() });
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const newLink = (
    <Link href={`/${ws.slug}/leads/segments/new`} className={buttonVariants()} data-testid="segment-new">
      <Plus className="size-4" /> New segment
    </Link>
  );

  return (
    <div className="grid gap-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="font-semibold text-2xl tracking-tight">Segments</h1>
          <p className="text-muted-foreground text-sm">Saved rules over your leads, counted live.</p>
        </div>
        {ws.canWrite && newLink}
      </div>
      {list.isPending ? (
        <Skeleton className="h-40 w-full" />
      ) : list.isError ? (
        <p className="text-destructive text-sm">{errorMessage(list.error)}</p>
      ) : list.data.length === 0 ? (
        <EmptyState
          icon={Filter}
          title="No segments yet"
          description="Group leads by tags, status, source, dates, custom fields or email engagement."
          action={ws.canWrite ? newLink : undefined}
        />
      ) : (
        <Card className="divide-y p-0">
          {list.data.map((s) => (
            <div key={s.id} className="flex items-center gap-4 px-4 py-3">
              <Link
                href={`/${ws.slug}/leads/segments/${s.id}`}
                className="min-w-0 flex-1 rounded outline-none focus-visible:ring-2 focus-visible:ring-ring"
              >
                <p className="truncate font-medium">{s.name}</p>
                <p className="truncate text-muted-foreground text-xs">
                  {s.needsFixing ? s.problems[0] : summarize(s.criteria.conditions, s.criteria.match)}
                </p>
              </Link>
              {s.count === null ? (
                <Badge
                  variant="warning"
                  title={s.problems.join("\n")}
                  data-testid="segment-needs-fixing"
                  className="shrink-0"
                >
                  <TriangleAlert aria-hidden /> Needs fixing
                </Badge>
              ) : (
                <span className="shrink-0 text-sm tabular-nums">
                  {s.count.toLocaleString()} <span className="text-muted-foreground">leads</span>
                </span>
              )}
              {ws.canWrite && (
                <Button
                  variant="ghost"
                  size="icon-sm"
                  aria-label={`Delete ${s.name}`}
                  onClick={() => {
                    if (confirm(`Delete the segment "${s.name}"? Leads are not affected.`)) {
                      remove.mutate({ workspaceId: ws.id, id: s.id });
                    }
                  }}
                >
                  <Trash2 className="size-4" />
                </Button>
              )}
            </div>
          ))}
        </Card>
      )}
    </div>
  );
}
