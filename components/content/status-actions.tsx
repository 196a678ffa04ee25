"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  CalendarClock,
  CalendarX,
  Copy,
  ExternalLink,
  ListPlus,
  RotateCcw,
  Send,
  ShieldCheck,
  Trash2,
} from "lucide-react";
import { useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";
import { ConfirmButton } from "./confirm-button";
import { type ContentItem, readMeta, TYPE_META } from "./content-meta";
import { PublishBlockerNotice, usePublishBlocker } from "./publish-blocker";
import { ScheduleDialog } from "./schedule-dialog";
import { isDue } from "./status-details";

/** Which lifecycle actions are legal from each status (mirrors the server's transitions). */
const LEGAL = {
  schedule: ["draft", "scheduled", "failed"],
  unschedule: ["scheduled"],
  publishNow: ["draft", "scheduled"],
  retry: ["failed"],
  queue: ["draft", "failed"],
  delete: ["draft", "scheduled", "published", "sent_to_inbox", "failed"],
} as const;

function can(action: keyof typeof LEGAL, status: ContentItem["status"]) {
  return (LEGAL[action] as readonly string[]).includes(status);
}

/** What can be done from here: retry, publish now, (re)schedule, unschedule, duplicate, delete. */
export function StatusActions({ item, children }: { item: ContentItem; children?: ReactNode }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const meta = readMeta(item.metadata);
  const list = `/${ws.slug}/content`;

  const wsInput = { workspaceId: ws.id };
  // A member of a workspace that requires approval submits instead of publishing or scheduling.
  const needsApproval = useQuery({
    ...trpc.approvals.required.queryOptions(wsInput),
    enabled: ws.canWrite,
  }).data;
  const approval = useQuery(
    trpc.approvals.forEntity.queryOptions({ ...wsInput, entityType: "content", entityId: item.id }),
  ).data;
  const awaiting = approval?.status === "pending";

  const refresh = () => {
    for (const queryKey of [
      trpc.content.get.queryKey(),
      trpc.content.list.queryKey(),
      trpc.content.calendar.queryKey(),
      trpc.content.readiness.queryKey(),
      trpc.approvals.forEntity.queryKey(),
      trpc.approvals.pendingIds.queryKey(),
    ])
      void queryClient.invalidateQueries({ queryKey });
  };
  const onError = (err: unknown) => {
    toast.error(errorMessage(err));
    refresh(); // a CONFLICT means our view of the status is stale
  };

  /** A status change went through: say so, then reload what shows the status. */
  const changed = (message: string, description?: string) => () => {
    toast.success(message, description ? { description } : undefined);
    refresh();
  };

  const unschedule = useMutation(
    trpc.content.unschedule.mutationOptions({
      onSuccess: changed("Unscheduled — it is a draft again"),
      onError,
    }),
  );
  const publishNow = useMutation(
    trpc.content.publishNow.mutationOptions({
      onSuccess: changed("Publishing now…", "You will be notified when it is done."),
      onError,
    }),
  );
  const submitPublish = useMutation(
    trpc.approvals.submit.mutationOptions({
      onSuccess: changed("Submitted for approval", "An admin is asked to publish it."),
      onError,
    }),
  );
  const queue = useMutation(
    trpc.content.addToQueue.mutationOptions({
      onSuccess: (r) => {
        const when = formatDateTime(r.slot, ws.timeZone);
        changed(
          r.submitted ? "Submitted for approval" : `Queued for ${when}`,
          r.submitted ? `An admin is asked to schedule it for ${when}.` : undefined,
        )();
      },
      onError,
    }),
  );
  const retry = useMutation(
    trpc.content.retry.mutationOptions({ onSuccess: changed("Trying again…"), onError }),
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
  const canGoOut = ws.canWrite && (can("publishNow", item.status) || can("schedule", item.status));
  const blocker = usePublishBlocker(item, canGoOut);
  const busy =
    unschedule.isPending ||
    publishNow.isPending ||
    submitPublish.isPending ||
    queue.isPending ||
    retry.isPending ||
    duplicate.isPending ||
    remove.isPending;
  const due = isDue(item);
  const blogUrl = item.type === "blog" && item.status === "published" ? meta.publishUrl : null;
  return (
    <div className="flex flex-wrap gap-2 empty:hidden">
      {blocker && <PublishBlockerNotice blocker={blocker} />}
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
          {can("retry", item.status) && !needsApproval && (
            <Button size="sm" disabled={busy} onClick={() => retry.mutate(ids)} data-testid="retry-publish">
              {retry.isPending ? <Spinner /> : <RotateCcw aria-hidden />}
              Retry
            </Button>
          )}
          {can("publishNow", item.status) && needsApproval && !awaiting && (
            <ConfirmButton
              title={`Submit “${item.title}” for approval?`}
              description="An admin or owner is notified; it is published as soon as they approve."
              confirmLabel="Submit for approval"
              confirmTestId="submit-approval-confirm"
              onConfirm={() =>
                submitPublish.mutate({
                  ...wsInput,
                  entityType: "content",
                  entityId: item.id,
                  action: "publish",
                })
              }
            >
              <Button size="sm" disabled={busy || due || !!blocker} data-testid="submit-approval">
                {submitPublish.isPending ? <Spinner /> : <ShieldCheck aria-hidden />}
                Submit for approval
              </Button>
            </ConfirmButton>
          )}
          {can("publishNow", item.status) && !needsApproval && (
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
              <Button size="sm" disabled={busy || due || !!blocker} data-testid="publish-now">
                {publishNow.isPending ? <Spinner /> : <Send aria-hidden />}
                Publish now
              </Button>
            </ConfirmButton>
          )}
          {can("queue", item.status) && !awaiting && (
            <Button
              variant="outline"
              size="sm"
              disabled={busy || due || !!blocker}
              onClick={() => queue.mutate(ids)}
              data-testid="add-to-queue"
            >
              {queue.isPending ? <Spinner /> : <ListPlus aria-hidden />}
              Add to queue
            </Button>
          )}
          {can("schedule", item.status) && !awaiting && (
            <ScheduleDialog
              item={item}
              forApproval={needsApproval === true}
              trigger={
                <Button
                  variant="outline"
                  size="sm"
                  disabled={busy || due || !!blocker}
                  data-testid="schedule-button"
                >
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
          {children}
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
  );
}
