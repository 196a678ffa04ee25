"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, ChevronRight, Circle } from "lucide-react";
import Link from "next/link";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { cn } from "@/lib/utils";

/**
 * Getting started, on the Overview of a new workspace: five steps, each ticked from the workspace's
 * own rows (server/services/onboarding/checklist.ts). Gone once every step is done, or once an
 * admin hides it for the workspace.
 */
export function OnboardingChecklist() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Steps are done on other pages: the Overview's server render reads them afresh each time it is
  // shown (app/(dashboard)/[workspace]/page.tsx prefetches them), so the browser does not ask again.
  const q = useQuery(trpc.onboarding.checklist.queryOptions({ workspaceId: ws.id }));
  const hide = useMutation(
    trpc.onboarding.hide.mutationOptions({
      onSuccess: (data) => {
        queryClient.setQueryData(trpc.onboarding.checklist.queryKey({ workspaceId: ws.id }), data);
        toast.success("Checklist hidden");
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  const c = q.data;
  if (!c || c.hidden || c.complete) return null;
  const total = c.steps.length;
  return (
    <Card className="mb-6 gap-4" data-testid="onboarding-checklist" aria-labelledby="onboarding-title">
      <CardHeader>
        <CardTitle id="onboarding-title">Get {ws.name} set up</CardTitle>
        <CardDescription data-testid="onboarding-progress">
          {c.doneCount} of {total} done
        </CardDescription>
        {ws.canAdmin && (
          <CardAction>
            <Button
              variant="ghost"
              size="sm"
              disabled={hide.isPending}
              onClick={() => hide.mutate({ workspaceId: ws.id })}
              data-testid="onboarding-hide"
            >
              Hide checklist
            </Button>
          </CardAction>
        )}
      </CardHeader>
      <CardContent className="grid gap-3">
        <div
          className="h-1.5 overflow-hidden rounded-full bg-muted"
          role="progressbar"
          aria-label="Setup progress"
          aria-valuemin={0}
          aria-valuemax={total}
          aria-valuenow={c.doneCount}
        >
          <div
            className="h-full bg-primary transition-all"
            style={{ width: `${(c.doneCount / total) * 100}%` }}
          />
        </div>
        <ol className="grid gap-1 sm:grid-cols-2 lg:grid-cols-3">
          {c.steps.map((s) => (
            <li key={s.key}>
              <Link
                href={`/${ws.slug}${s.path}`}
                // Setup pages are visited once: not rendered ahead for every Overview view.
                prefetch={false}
                data-testid={`onboarding-step-${s.key}`}
                data-done={s.done}
                className="group flex items-start gap-3 rounded-md p-2 text-sm transition-colors hover:bg-accent"
              >
                {s.done ? (
                  <CheckCircle2 className="mt-0.5 size-4 shrink-0 text-primary" aria-label="Done" />
                ) : (
                  <Circle className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-label="To do" />
                )}
                <span className="grid min-w-0 gap-0.5">
                  <span className={cn("font-medium", s.done && "text-muted-foreground line-through")}>
                    {s.label}
                  </span>
                  <span className="text-xs text-muted-foreground">{s.hint}</span>
                </span>
                <ChevronRight
                  className="mt-0.5 ml-auto size-4 shrink-0 text-muted-foreground opacity-0 group-hover:opacity-100"
                  aria-hidden
                />
              </Link>
            </li>
          ))}
        </ol>
      </CardContent>
    </Card>
  );
}
