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
import { LocalSendTimeFields, SendTimeModePicker } from "./local-send-time-fields";

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
  const [mode, setMode] = useState<"exact" | "local">("exact");
  const [localDate, setLocalDate] = useState("");
  const [localHour, setLocalHour] = useState("09:00");
  const local = mode === "local" && !forApproval;
  const done = async () => {
    toast.success("Scheduled");
    setOpen(false);
    await queryClient.invalidateQueries({ queryKey: trpc.email.campaigns.get.queryKey() });
  };
  const scheduleLocal = useMutation(
    trpc.sendTime.scheduleLocal.mutationOptions({
      onSuccess: done,
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
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
    if (local) {
      scheduleLocal.mutate({ workspaceId: ws.id, id: campaign.id, date: localDate, time: localHour });
      return;
    }
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
      description="The audience is resolved when it starts."
    >
      {!forApproval && <SendTimeModePicker mode={mode} onChange={setMode} />}
      {local ? (
        <LocalSendTimeFields
          date={localDate}
          time={localHour}
          onDate={setLocalDate}
          onTime={setLocalHour}
          workspaceZone={ws.timeZone}
        />
      ) : (
        <Field label="Send at (your browser's time zone)" htmlFor="campaign-send-at">
          <Input
            id="campaign-send-at"
            type="datetime-local"
            value={when}
            onChange={(e) => setWhen(e.target.value)}
          />
        </Field>
      )}
      <DialogFooter>
        <Button
          disabled={
            (local ? !localDate || !localHour : !when) ||
            schedule.isPending ||
            submit.isPending ||
            scheduleLocal.isPending
          }
          onClick={confirm}
          data-testid="schedule-confirm"
        >
          {forApproval ? "Submit for approval" : "Schedule"}
        </Button>
      </DialogFooter>
    </DialogShell>
  );
}
