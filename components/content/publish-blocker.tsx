"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { useTRPC } from "@/lib/trpc/client";
import type { ContentItem } from "./content-meta";

/** The types published to a video platform, whose readiness the server can tell. */
const VIDEO_TYPES: readonly ContentItem["type"][] = ["tiktok", "youtube", "instagram"];

/**
 * Why this item cannot be published or scheduled yet (a short video without a video or a usable
 * platform connection, say), as the server would refuse it; null when nothing is known to stop it.
 * Asked again after each save (use-content-save) and status change (status-actions' refresh).
 */
export function usePublishBlocker(item: ContentItem, canGoOut: boolean): string | null {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const readiness = useQuery(
    trpc.content.readiness.queryOptions(
      { workspaceId: ws.id, id: item.id },
      { enabled: canGoOut && VIDEO_TYPES.includes(item.type) },
    ),
  );
  return canGoOut ? (readiness.data?.blocker ?? null) : null;
}

export function PublishBlockerNotice({ blocker }: { blocker: string }) {
  const ws = useWorkspace();
  return (
    <p className="basis-full text-sm text-muted-foreground" role="status" data-testid="publish-blocker">
      {blocker}
      {/Integrations/.test(blocker) && (
        <>
          {" "}
          <Link className="underline underline-offset-4" href={`/${ws.slug}/integrations`}>
            Open Integrations
          </Link>
        </>
      )}
    </p>
  );
}
