"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { CalendarClock } from "lucide-react";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { DialogFooter } from "@/components/ui/dialog";
import { DialogShell } from "@/components/ui/dialog-shell";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import type { Campaign } from "@/server/services/email/campaigns";

/** With `forApproval` (a member where approval is required), the time is submitted for approval. */
export function ScheduleCampaignDialog({
  campaign,
  disabled,
  forApproval = false,
}: {
  campaign: Campaign;
  disabled: boolean;
  forApproval?: boolean;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [when, setWhen] = useState("");
  const schedule = useMutation(
    trpc.email.campaigns.schedule.mutationOptions({
      onSuccess: async () => {
        toast.success("Scheduled");
        setOpen(false);
        await queryClient.invalidateQueries({ queryKey: trpc.email.campaigns.get.queryKey() });
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const submit = useMutation(
    trpc.approvals.submit.mutationOptions({
      onSuccess: async () => {
        toast.success("Submitted for approval", { description: "An admin is asked to schedule it." });
        setOpen(false);
        await queryClient.invalidateQueries({ queryKey: trpc.approvals.forEntity.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.approvals.pendingIds.queryKey() });
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const confirm = () => {
    const sendAt = new Date(when);
    if (forApproval) {
      submit.mutate({
        workspaceId: ws.id,
        entityType: "campaign",
        entityId: campaign.id,
        action: "schedule",
        scheduledAt: sendAt,
      });
    } else schedule.mutate({ workspaceId: ws.id, id: campaign.id, sendAt });
  };
  return (
    <DialogShell
      open={open}
      onOpenChange={setOpen}
      trigger={
        <Button variant="outline" disabled={disabled}>
          <CalendarClock aria-hidden />
          {campaign.status === "scheduled" ? "Reschedule" : "Schedule"}
        </Button>
      }
      title="Schedule the send"
      description="Your browser's time zone. The audience is resolved when it starts."
    >
      <Field label="Send at" htmlFor="campaign-send-at">
        <Input
          id="campaign-send-at"
          type="datetime-local"
          value={when}
          onChange={(e) => setWhen(e.target.value)}
        />
      </Field>
      <DialogFooter>
        <Button disabled={!when || schedule.isPending || submit.isPending} onClick={confirm}>
          {forApproval ? "Submit for approval" : "Schedule"}
        </Button>
      </DialogFooter>
    </DialogShell>
  );
}
