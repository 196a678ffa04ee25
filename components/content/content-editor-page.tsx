"use client";

import { useQuery } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { ArrowLeft, Bot, FileQuestion, Lock } from "lucide-react";
import Link from "next/link";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { LinkButton } from "@/components/ui/link-button";
import { Skeleton } from "@/components/ui/skeleton";
import { useLiveConnected } from "@/hooks/use-live-events";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";
import { AiBadge, type ContentItem, OFFLINE_GENERATOR, readMeta, TYPE_META, TypeBadge } from "./content-meta";
import { EDITORS } from "./editors";
import { StatusPanel } from "./status-panel";

/** Publishing runs in the background: poll while it is in flight (slowly when live events work). */
function pollInterval(item: ContentItem | undefined, live: boolean): number | false {
  if (!item) return false;
  const inFlight =
    item.status === "publishing" ||
    (item.status === "scheduled" &&
      item.scheduledAt &&
      new Date(item.scheduledAt).getTime() <= Date.now() + 5_000);
  if (!inFlight) return false;
  return live ? 10_000 : 2_000;
}

export function ContentEditorPage({ id }: { id: string }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const live = useLiveConnected();
  const query = useQuery({
    ...trpc.content.get.queryOptions({ workspaceId: ws.id, id }),
    refetchInterval: (q) => pollInterval(q.state.data as ContentItem | undefined, live),
  });
  const back = (
    <LinkButton
      href={`/${ws.slug}/content`}
      icon={ArrowLeft}
      variant="ghost"
      size="sm"
      className="-ml-2 mb-2 text-muted-foreground"
    >
      Content
    </LinkButton>
  );

  if (query.isPending) {
    return (
      <div aria-busy="true">
        {back}
        <Skeleton className="mb-2 h-8 w-72" />
        <Skeleton className="mb-6 h-4 w-48" />
        <Skeleton className="mb-6 h-16 w-full" />
        <div className="grid gap-6 lg:grid-cols-2">
          <Skeleton className="h-96" />
          <Skeleton className="h-96" />
        </div>
      </div>
    );
  }
  if (query.isError) {
    const notFound = query.error instanceof TRPCClientError && query.error.data?.code === "NOT_FOUND";
    return (
      <>
        {back}
        <EmptyState
          icon={FileQuestion}
          title={notFound ? "This content does not exist" : "This content could not be loaded"}
          description={
            notFound
              ? "It may have been deleted, or it belongs to another workspace."
              : errorMessage(query.error)
          }
          action={
            <Button variant="outline" asChild>
              <Link href={`/${ws.slug}/content`}>Back to the content list</Link>
            </Button>
          }
        />
      </>
    );
  }

  const item = query.data;
  const meta = readMeta(item.metadata);
  const readOnly = !ws.canWrite || item.status === "publishing";
  const Editor = EDITORS[item.type];

  return (
    <>
      {back}
      <div className="mb-4 flex flex-col gap-1">
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="min-w-0 break-words font-semibold text-2xl tracking-tight">{item.title}</h1>
          <TypeBadge type={item.type} />
          {meta.aiGenerated && <AiBadge />}
        </div>
        <p className="text-muted-foreground text-sm">
          {TYPE_META[item.type].noun} by {item.author?.name || item.author?.email || "a former member"} ·
          created {formatDateTime(item.createdAt, ws.timeZone)} · last saved{" "}
          {formatDateTime(item.updatedAt, ws.timeZone)}
        </p>
      </div>

      {meta.generator === OFFLINE_GENERATOR && (
        <div
          role="note"
          className="mb-4 flex gap-3 rounded-lg border border-warning/30 bg-warning/10 px-4 py-3 text-sm"
          data-testid="offline-generator-banner"
        >
          <Bot className="mt-0.5 size-5 shrink-0 text-warning" aria-hidden />
          <div>
            <p className="font-medium text-warning">
              Written by the offline template writer, not by an AI model
            </p>
            <p className="text-muted-foreground">
              No AI endpoint is configured for this server, so this draft was filled in from a template using
              your product and settings. Read it through and make it yours before publishing. An administrator
              can connect an OpenAI-compatible endpoint to get real AI drafts.
            </p>
          </div>
        </div>
      )}
      {!ws.canWrite && (
        <p
          className="mb-4 flex items-center gap-2 text-muted-foreground text-sm"
          data-testid="read-only-note"
        >
          <Lock className="size-4" aria-hidden />
          You can read this content; only members and above can change it.
        </p>
      )}

      <StatusPanel item={item} />
      <Editor key={item.id} item={item} readOnly={readOnly} />
    </>
  );
}
