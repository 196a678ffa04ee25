"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { BarChart3, CalendarX, Copy, Pause, Play, Send, Trash2, XCircle, Zap } from "lucide-react";
import { useRouter } from "next/navigation";
import { ApprovalNotice } from "@/components/approvals/approval-notice";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { LinkButton } from "@/components/ui/link-button";
import { Spinner } from "@/components/ui/spinner";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";
import type { Campaign, CampaignWithReach } from "@/server/services/email/campaigns";
import { CampaignStatusBadge, legalActions } from "./campaign-meta";
import { ScheduleCampaignDialog } from "./schedule-campaign-dialog";
import { SendBlockedNotice, useSendReadiness } from "./send-readiness";

type Action = "sendNow" | "unschedule" | "activate" | "pause" | "resume" | "cancel" | "duplicate" | "delete";

/** Status, and the moves that are legal from it. `dirty` = unsaved edits, which block sending. */
export function CampaignStatusPanel({
  campaign,
  audienceSize,
  dirty,
}: {
  campaign: CampaignWithReach;
  audienceSize: number | null;
  dirty: boolean;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const legal = legalActions(campaign.type, campaign.status);
  // A member of a workspace that requires approval submits the send instead.
  const needsApproval =
    useQuery({ ...trpc.approvals.required.queryOptions({ workspaceId: ws.id }), enabled: ws.canWrite })
      .data === true;
  const approval = useQuery(
    trpc.approvals.forEntity.queryOptions({
      workspaceId: ws.id,
      entityType: "campaign",
      entityId: campaign.id,
    }),
  ).data;
  const awaiting = approval?.status === "pending";

  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.email.campaigns.get.queryKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.email.campaigns.list.queryKey() });
  };
  const opts = (done: string, after?: (data: unknown) => void) => ({
    onSuccess: async (data: unknown) => {
      toast.success(done);
      await refresh();
      after?.(data);
    },
    onError: (e: unknown) => toast.error(errorMessage(e)),
  });
  const id = { workspaceId: ws.id, id: campaign.id };
  const submitSend = useMutation(
    trpc.approvals.submit.mutationOptions({
      onSuccess: async () => {
        toast.success("Submitted for approval", { description: "An admin is asked to send it." });
        await queryClient.invalidateQueries({ queryKey: trpc.approvals.forEntity.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.approvals.pendingIds.queryKey() });
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const m = {
    sendNow: useMutation(trpc.email.campaigns.sendNow.mutationOptions(opts("Sending started"))),
    unschedule: useMutation(trpc.email.campaigns.unschedule.mutationOptions(opts("Back to draft"))),
    activate: useMutation(trpc.email.campaigns.activate.mutationOptions(opts("Campaign is active"))),
    pause: useMutation(trpc.email.campaigns.pause.mutationOptions(opts("Paused"))),
    resume: useMutation(trpc.email.campaigns.resume.mutationOptions(opts("Resumed"))),
    cancel: useMutation(trpc.email.campaigns.cancel.mutationOptions(opts("Campaign cancelled"))),
    duplicate: useMutation(
      trpc.email.campaigns.duplicate.mutationOptions(
        opts("Duplicated", (d) => router.push(`/${ws.slug}/email/${(d as { id: string }).id}`)),
      ),
    ),
    delete: useMutation(
      trpc.email.campaigns.delete.mutationOptions(opts("Deleted", () => router.push(`/${ws.slug}/email`))),
    ),
  } satisfies Record<Action, unknown>;
  const busy = Object.values(m).some((x) => x.isPending);
  const run = (a: Action) =>
    a === "sendNow" && needsApproval
      ? submitSend.mutate({
          workspaceId: ws.id,
          entityType: "campaign",
          entityId: campaign.id,
          action: "send",
        })
      : m[a].mutate(id);
  // Said before anyone presses Send: the server refuses with the same reasons.
  const readiness = useSendReadiness(campaign.id);
  const starts = legal.sendNow || legal.activate || legal.schedule || legal.resume;
  const blocked = starts ? (readiness.data?.problems ?? []) : [];

  return (
    <div className="grid gap-3 rounded-lg border p-4" data-testid="campaign-status-panel">
      <div className="flex items-center justify-between gap-2">
        <span className="text-sm font-medium">Status</span>
        <CampaignStatusBadge status={campaign.status} testId="campaign-status" />
      </div>
      {campaign.sendAt && campaign.status === "scheduled" && (
        <p className="text-sm text-muted-foreground" data-testid="campaign-send-at">
          {campaign.localTime
            ? `Sends at ${campaign.localTime.slice(11)} on ${campaign.localTime.slice(0, 10)} in each lead's time zone (starting ${formatDateTime(campaign.sendAt, ws.timeZone)})`
            : `Sends ${formatDateTime(campaign.sendAt, ws.timeZone)}`}
        </p>
      )}
      {campaign.recipients !== null ? (
        <p className="text-sm text-muted-foreground" data-testid="campaign-recipients">
          {recipientsSentence(campaign.type, campaign.recipients)}
        </p>
      ) : (
        audienceSize !== null && (
          <p className="text-sm text-muted-foreground">
            {audienceSize.toLocaleString()} active {audienceSize === 1 ? "lead matches" : "leads match"} the
            audience now.
          </p>
        )
      )}
      {dirty && (legal.sendNow || legal.activate) && (
        <p className="text-sm text-warning">Save your changes before sending.</p>
      )}
      <ApprovalNotice
        entityType="campaign"
        entityId={campaign.id}
        title={campaign.name}
        isDraft={campaign.status === "draft"}
      />
      {ws.canWrite && <SendBlockedNotice problems={blocked} />}
      {ws.canWrite && (
        <div className="flex flex-wrap gap-2">
          {legal.sendNow && !awaiting && (
            <ConfirmDialog
              trigger={
                <Button data-testid="send-now" disabled={busy || dirty}>
                  <Send aria-hidden />
                  {needsApproval ? "Submit for approval" : "Send now"}
                </Button>
              }
              title={
                needsApproval ? `Submit “${campaign.name}” for approval?` : `Send “${campaign.name}” now?`
              }
              description={
                <>
                  It goes to {audienceSize?.toLocaleString() ?? "every"} active{" "}
                  {audienceSize === 1 ? "lead" : "leads"} in the audience. Unsubscribed and bounced leads are
                  skipped. You can pause while it sends.
                </>
              }
              confirmLabel={needsApproval ? "Submit" : "Send"}
              confirmTestId="send-confirm"
              confirmDisabled={blocked.length > 0}
              onConfirm={() => run("sendNow")}
            >
              <SendBlockedNotice problems={blocked} />
            </ConfirmDialog>
          )}
          {legal.schedule && !awaiting && (
            <ScheduleCampaignDialog
              campaign={campaign}
              disabled={busy || dirty}
              forApproval={needsApproval}
            />
          )}
          {legal.unschedule && (
            <Button variant="outline" disabled={busy} onClick={() => run("unschedule")}>
              <CalendarX aria-hidden />
              Unschedule
            </Button>
          )}
          {legal.activate && (
            <Button
              data-testid="activate"
              disabled={busy || dirty || blocked.length > 0}
              onClick={() => run("activate")}
            >
              <Zap aria-hidden />
              {campaign.status === "paused" ? "Reactivate" : "Activate"}
            </Button>
          )}
          {legal.pause && (
            <Button variant="outline" data-testid="pause" disabled={busy} onClick={() => run("pause")}>
              <Pause aria-hidden />
              Pause
            </Button>
          )}
          {legal.resume && campaign.type === "one-time" && (
            <Button data-testid="resume" disabled={busy || blocked.length > 0} onClick={() => run("resume")}>
              <Play aria-hidden />
              Resume
            </Button>
          )}
          {legal.cancel && campaign.status !== "draft" && (
            <ConfirmButton action="cancel" disabled={busy} onConfirm={() => run("cancel")} />
          )}
          <Button variant="ghost" disabled={busy} onClick={() => run("duplicate")}>
            <Copy aria-hidden />
            Duplicate
          </Button>
          {legal.delete && <ConfirmButton action="delete" disabled={busy} onConfirm={() => run("delete")} />}
        </div>
      )}
      {campaign.status !== "draft" && (
        <LinkButton
          href={`/${ws.slug}/email/${campaign.id}/report`}
          icon={BarChart3}
          variant="link"
          className="justify-start px-0"
          testId="open-report"
        >
          View report
        </LinkButton>
      )}
      {busy && <Spinner className="size-4" />}
    </div>
  );
}

/** The irreversible actions: each asks first, in its own words. */
const CONFIRMED = {
  cancel: {
    label: "Cancel campaign",
    icon: XCircle,
    title: "Cancel this campaign?",
    description: "Nothing more is sent from it, and it can't be restarted. Messages already sent stay sent.",
  },
  delete: {
    label: "Delete",
    icon: Trash2,
    title: "Delete this campaign?",
    description: "The campaign, its emails and its report are removed for good.",
  },
};

function ConfirmButton({
  action,
  disabled,
  onConfirm,
}: {
  action: keyof typeof CONFIRMED;
  disabled: boolean;
  onConfirm: () => void;
}) {
  const { label, icon: Icon, title, description } = CONFIRMED[action];
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" className="text-destructive" disabled={disabled}>
          <Icon aria-hidden />
          {label}
        </Button>
      }
      title={title}
      description={description}
      cancelLabel="Keep it"
      confirmLabel={label}
      onConfirm={onConfirm}
    />
  );
}

/** A started campaign's audience: who it reached, which later changes to its rules do not move. */
export function recipientsSentence(type: Campaign["type"], n: number) {
  const leads = `${n.toLocaleString()} ${n === 1 ? "lead" : "leads"}`;
  return type === "one-time" ? `Sent to ${leads}.` : `${leads} enrolled.`;
}
