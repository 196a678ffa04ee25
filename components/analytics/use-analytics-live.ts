"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useLiveEvent } from "@/hooks/use-live-events";
import { useTRPC } from "@/lib/trpc/client";

/**
 * Refetches analytics when the rollup job has written this workspace (it announces that as a
 * `job.finished` event of kind `analytics`, a moment after a lead, a publish or send progress).
 */
export function useAnalyticsLive(workspaceId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  useLiveEvent((e) => {
    if (e.type !== "job.finished" || e.data.kind !== "analytics") return;
    if (e.data.workspaceId && e.data.workspaceId !== workspaceId) return;
    void queryClient.invalidateQueries({ queryKey: trpc.analytics.pathKey() });
  });
}
