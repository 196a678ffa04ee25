"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import {
  AlertCircle,
  CalendarClock,
  CalendarX,
  Copy,
  ExternalLink,
  Inbox,
  RotateCcw,
  Send,
  Trash2,
} from "lucide-react";
import { useRouter } from "next/navigation";
import { type ReactNode, useState } from "react";
import { toast } from "sonner";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";
import { type ContentItem, readMeta, StatusBadge, TYPE_META } from "./content-meta";
import { ScheduleDialog } from "./schedule-dialog";
import { zoneLabel } from "./zoned-time";

/** Which lifecycle actions are legal from each status (mirrors the server's transitions). */
const LEGAL = {
  schedule: ["draft", "scheduled", "failed"],
  unschedule: ["scheduled"],
  publishNow: ["draft", "scheduled"],
  retry: ["failed"],
  delete: ["draft", "scheduled", "published", "sent_to_inbox", "failed"],
} as const;

function can(action: keyof typeof LEGAL, status: ContentItem["status"]) {
  return (LEGAL[action] as readonly string[]).includes(status);
}

export function StatusPanel({ item }: { item: ContentItem }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const meta = readMeta(item.metadata);
  const list = `/${ws.slug}/content`;

  const refresh = () => {
    for (const queryKey of [
      trpc.content.get.queryKey(),
      trpc.content.list.queryKey(),
      trpc.content.calendar.queryKey(),
    ])
      void queryClient.invalidateQueries({ queryKey });
  };
  const onError = (err: unknown) => {
    toast.error(errorMessage(err));
    refresh(); // a CONFLICT means our view of the status is stale
  };

  const unschedule = useMutation(
    trpc.content.unschedule.mutationOptions({
      onSuccess: () => {
        toast.success("Unscheduled — it is a draft again");
        refresh();
      },
      onError,
    }),
  );
  const publishNow = useMutation(
    trpc.content.publishNow.mutationOptions({
      onSuccess: () => {
        toast.success("Publishing now…", { description: "You will be notified when it is done." });
        refresh();
      },
      onError,
    }),
  );
  const retry = useMutation(
    trpc.content.retry.mutationOptions({
      onSuccess: () => {
        toast.success("Trying again…");
        refresh();
      },
      onError,
    }),
  );
  const duplicate = useMutation(
    trpc.content.duplicate.mutationOptions({
      onSuccess: (copy) => {
        toast.success("Duplicated as a draft");
        refresh();
        router.push(`${list}/${copy.id}`);
      },
      onError,
    }),
  );
  const remove = useMutation(
    trpc.content.delete.mutationOptions({
      onSuccess: () => {
        toast.success(`Deleted “${item.title}”`);
        void queryClient.invalidateQueries({ queryKey: trpc.content.list.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.content.calendar.queryKey() });
        router.push(list);
      },
      onError,
    }),
  );

  const ids = { workspaceId: ws.id, id: item.id };
  const busy =
    unschedule.isPending ||
    publishNow.isPending ||
    retry.isPending ||
    duplicate.isPending ||
    remove.isPending;
  const scheduledAt = item.scheduledAt ? new Date(item.scheduledAt) : null;
  const due =
    item.status === "scheduled" && scheduledAt !== null && scheduledAt.getTime() <= Date.now() + 1000;
  const blogUrl = item.type === "blog" && item.status === "published" ? meta.publishUrl : null;

  let summary: ReactNode;
  switch (item.status) {
    case "draft":
      summary = ws.canWrite ? "Not scheduled. Schedule it or publish it now." : "Not scheduled.";
      break;
    case "scheduled":
      summary = due ? (
        <span className="inline-flex items-center gap-1.5">
          <Spinner className="size-3.5" /> Due now — publishing shortly…
        </span>
      ) : (
        <>
          Publishes{" "}
          <span className="font-medium text-foreground">{formatDateTime(scheduledAt!, ws.timeZone)}</span>{" "}
          <span className="whitespace-nowrap">· {zoneLabel(ws.timeZone, scheduledAt!)}</span>
        </>
      );
      break;
    case "publishing":
      summary = "Publishing now — this page updates when it is done.";
      break;
    case "published":
      summary = (
        <>
          Published{" "}
          {item.publishedAt && (
            <span className="font-medium text-foreground">
              {formatDateTime(item.publishedAt, ws.timeZone)}
            </span>
          )}
        </>
      );
      break;
    case "sent_to_inbox":
      summary = "Not published yet.";
      break;
    case "failed":
      summary = "Publishing failed.";
      break;
  }
  const tiktok = item.type === "tiktok" ? meta.tiktokPublish : null;

  return (
    <section
      aria-label="Status"
      className="mb-6 flex flex-col gap-3 rounded-lg border bg-card p-4"
      data-testid="status-panel"
    >
      <div className="min-w-0 space-y-2">
        <div className="flex flex-wrap items-center gap-2 text-muted-foreground text-sm">
          <StatusBadge status={item.status} testId="status-badge" />
          <span>{summary}</span>
        </div>
        {item.status === "failed" && (
          <div
            role="alert"
            className="flex gap-2 rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-destructive text-sm"
            data-testid="publish-error"
          >
            <AlertCircle className="mt-0.5 size-4 shrink-0" aria-hidden />
            <p className="min-w-0 break-words">{meta.errorMessage ?? "The publisher gave no reason."}</p>
          </div>
        )}
        {item.status === "sent_to_inbox" && (
          <div
            role="status"
            className="flex gap-2 rounded-md border border-pink-500/30 bg-pink-500/10 px-3 py-2 text-pink-800 text-sm dark:text-pink-200"
            data-testid="inbox-notice"
          >
            <Inbox className="mt-0.5 size-4 shrink-0" aria-hidden />
            <p className="min-w-0">
              TikTok put the video in your TikTok inbox instead of posting it. Open TikTok on your phone,
              finish the post there, and it shows as published here after the next sync.
            </p>
          </div>
        )}
        {tiktok?.publishId && (item.status === "published" || item.status === "sent_to_inbox") && (
          <dl
            className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm"
            data-testid="tiktok-publish-ids"
          >
            <dt className="text-muted-foreground">TikTok post id</dt>
            <dd className="break-all font-mono text-xs leading-5" data-testid="tiktok-post-id">
              {tiktok.postId ?? "appears after TikTok's review"}
            </dd>
            <dt className="text-muted-foreground">Publish id</dt>
            <dd className="break-all font-mono text-muted-foreground text-xs leading-5">
              {tiktok.publishId}
            </dd>
          </dl>
        )}
        {item.status === "published" && <MetricsLine item={item} timeZone={ws.timeZone} />}
        {item.status === "published" && item.type !== "blog" && meta.publishUrl && (
          <a
            href={meta.publishUrl}
            target="_blank"
            rel="noreferrer"
            className="text-primary text-sm underline"
          >
            View on {TYPE_META[item.type].label}
          </a>
        )}
      </div>

      <div className="flex flex-wrap gap-2 empty:hidden">
        {blogUrl && (
          <Button variant="outline" size="sm" asChild>
            <a href={blogUrl} target="_blank" rel="noreferrer" data-testid="view-on-blog">
              <ExternalLink aria-hidden />
              View on blog
            </a>
          </Button>
        )}
        {ws.canWrite && (
          <>
            {can("retry", item.status) && (
              <Button size="sm" disabled={busy} onClick={() => retry.mutate(ids)} data-testid="retry-publish">
                {retry.isPending ? <Spinner /> : <RotateCcw aria-hidden />}
                Retry
              </Button>
            )}
            {can("publishNow", item.status) && (
              <ConfirmButton
                title={`Publish “${item.title}” now?`}
                description={
                  item.type === "blog"
                    ? "It goes live on your public blog within moments."
                    : `It is sent to ${TYPE_META[item.type].label} right away.`
                }
                confirmLabel="Publish now"
                confirmTestId="publish-confirm"
                onConfirm={() => publishNow.mutate(ids)}
              >
                <Button size="sm" disabled={busy || due} data-testid="publish-now">
                  {publishNow.isPending ? <Spinner /> : <Send aria-hidden />}
                  Publish now
                </Button>
              </ConfirmButton>
            )}
            {can("schedule", item.status) && (
              <ScheduleDialog
                item={item}
                trigger={
                  <Button variant="outline" size="sm" disabled={busy || due} data-testid="schedule-button">
                    <CalendarClock aria-hidden />
                    {item.status === "scheduled"
                      ? "Reschedule"
                      : item.status === "failed"
                        ? "Schedule again"
                        : "Schedule"}
                  </Button>
                }
              />
            )}
            {can("unschedule", item.status) && (
              <Button
                variant="outline"
                size="sm"
                disabled={busy || due}
                onClick={() => unschedule.mutate(ids)}
                data-testid="unschedule"
              >
                {unschedule.isPending ? <Spinner /> : <CalendarX aria-hidden />}
                Unschedule
              </Button>
            )}
            <Button
              variant="outline"
              size="sm"
              disabled={busy}
              onClick={() => duplicate.mutate(ids)}
              data-testid="duplicate-content"
            >
              {duplicate.isPending ? <Spinner /> : <Copy aria-hidden />}
              Duplicate
            </Button>
            {can("delete", item.status) && (
              <ConfirmButton
                title={`Delete “${item.title}”?`}
                description={
                  item.status === "published"
                    ? item.type === "blog"
                      ? "It is live: deleting takes it off your blog too. This cannot be undone."
                      : "Deleting removes it and its metrics here. This cannot be undone."
                    : "This removes it for everyone in the workspace. It cannot be undone."
                }
                confirmLabel="Delete"
                destructive
                confirmTestId="delete-confirm"
                onConfirm={() => remove.mutate(ids)}
              >
                <Button
                  variant="outline"
                  size="sm"
                  className="text-destructive hover:text-destructive"
                  disabled={busy}
                  data-testid="delete-content"
                >
                  <Trash2 aria-hidden />
                  Delete
                </Button>
              </ConfirmButton>
            )}
          </>
        )}
      </div>
    </section>
  );
}

const count = new Intl.NumberFormat("en-US");

/** The latest figures (TikTok's metrics sync or manual entry) and when they were taken. */
function MetricsLine({ item, timeZone }: { item: ContentItem; timeZone: string }) {
  const m = item.metrics as {
    views: number;
    likes: number;
    shares: number;
    updatedAt: string | Date | null;
  };
  if (!m.updatedAt) {
    return (
      <p className="text-muted-foreground text-sm" data-testid="content-metrics">
        No metrics yet{item.type === "tiktok" ? " — they arrive with the next TikTok sync" : ""}.
      </p>
    );
  }
  return (
    <p className="text-muted-foreground text-sm tabular-nums" data-testid="content-metrics">
      <span className="font-medium text-foreground" data-testid="metric-views">
        {count.format(m.views)}
      </span>{" "}
      views · <span className="font-medium text-foreground">{count.format(m.likes)}</span> likes ·{" "}
      <span className="font-medium text-foreground">{count.format(m.shares)}</span> shares · updated{" "}
      {formatDateTime(m.updatedAt, timeZone)}
    </p>
  );
}

function ConfirmButton({
  children,
  title,
  description,
  confirmLabel,
  confirmTestId,
  destructive,
  onConfirm,
}: {
  children: ReactNode;
  title: string;
  description: string;
  confirmLabel: string;
  confirmTestId: string;
  destructive?: boolean;
  onConfirm: () => void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <AlertDialogTrigger asChild>{children}</AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{title}</AlertDialogTitle>
          <AlertDialogDescription>{description}</AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction
            variant={destructive ? "destructive" : "default"}
            onClick={onConfirm}
            data-testid={confirmTestId}
          >
            {confirmLabel}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
