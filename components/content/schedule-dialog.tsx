"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { CalendarClock } from "lucide-react";
import { type ReactNode, useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { DialogShell, FormFooter } from "@/components/ui/dialog-shell";
import { Spinner } from "@/components/ui/spinner";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";
import type { ContentItem } from "./content-meta";
import { DateTimeFields } from "./date-time-fields";
import { addDaysToKey, dayKey, timeKey, todayKey, zonedInstant, zoneLabel } from "./zoned-time";

/**
 * Date + time in the WORKSPACE's time zone → `content.schedule` (or, for a member of a workspace
 * that requires approval, a request to schedule then). Past times are refused here too.
 */
export function ScheduleDialog({
  item,
  trigger,
  forApproval = false,
}: {
  item: ContentItem;
  trigger: ReactNode;
  forApproval?: boolean;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [date, setDate] = useState("");
  const [time, setTime] = useState("09:00");
  const [error, setError] = useState<string>();

  const reset = () => {
    const current = item.scheduledAt && item.status === "scheduled" ? new Date(item.scheduledAt) : null;
    setDate(current ? dayKey(current, ws.timeZone) : addDaysToKey(todayKey(ws.timeZone), 1));
    setTime(current ? timeKey(current, ws.timeZone) : "09:00");
    setError(undefined);
  };

  const schedule = useMutation(
    trpc.content.schedule.mutationOptions({
      onSuccess: (row) => {
        toast.success(`Scheduled for ${formatDateTime(row.scheduledAt ?? new Date(), ws.timeZone)}`);
        setOpen(false);
        for (const queryKey of [
          trpc.content.get.queryKey(),
          trpc.content.list.queryKey(),
          trpc.content.calendar.queryKey(),
        ])
          void queryClient.invalidateQueries({ queryKey });
      },
      onError: (err) => {
        setError(errorMessage(err));
        toast.error(errorMessage(err));
      },
    }),
  );

  const submit = useMutation(
    trpc.approvals.submit.mutationOptions({
      onSuccess: (row) => {
        toast.success("Submitted for approval", {
          description: `An admin is asked to schedule it for ${formatDateTime(row.scheduledAt ?? new Date(), ws.timeZone)}.`,
        });
        setOpen(false);
        void queryClient.invalidateQueries({ queryKey: trpc.approvals.forEntity.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.approvals.pendingIds.queryKey() });
      },
      onError: (err) => {
        setError(errorMessage(err));
        toast.error(errorMessage(err));
      },
    }),
  );
  const pending = schedule.isPending || submit.isPending;
  const verb = forApproval ? "Submit for approval" : item.status === "scheduled" ? "Reschedule" : "Schedule";

  const confirm = () => {
    const at = zonedInstant(date, time, ws.timeZone);
    if (!at) return setError("Pick a date and a time");
    if (at.getTime() <= Date.now()) return setError("That time has passed — pick one in the future");
    setError(undefined);
    if (forApproval) {
      submit.mutate({
        workspaceId: ws.id,
        entityType: "content",
        entityId: item.id,
        action: "schedule",
        scheduledAt: at,
      });
    } else schedule.mutate({ workspaceId: ws.id, id: item.id, scheduledAt: at });
  };

  const preview = zonedInstant(date, time, ws.timeZone);
  return (
    <DialogShell
      open={open}
      onOpenChange={(next) => {
        if (next) reset();
        setOpen(next);
      }}
      trigger={trigger}
      className="sm:max-w-md"
      titleClassName="flex items-center gap-2"
      title={
        <>
          <CalendarClock className="size-5" aria-hidden />
          {forApproval
            ? "Schedule — submit for approval"
            : item.status === "scheduled"
              ? "Reschedule"
              : "Schedule"}
        </>
      }
      description={
        <>
          {forApproval
            ? "Once an admin approves, it publishes at this time in the workspace time zone, "
            : "It publishes automatically at this time in the workspace time zone, "}
          <span className="font-medium text-foreground" data-testid="schedule-zone">
            {zoneLabel(ws.timeZone, preview ?? new Date())}
          </span>
          .
        </>
      }
    >
      <form
        className="grid gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          confirm();
        }}
      >
        <DateTimeFields
          idPrefix="schedule"
          className="grid grid-cols-2 gap-3"
          date={date}
          time={time}
          minDate={todayKey(ws.timeZone)}
          onDateChange={(d) => {
            setDate(d);
            setError(undefined);
          }}
          onTimeChange={(t) => {
            setTime(t);
            setError(undefined);
          }}
          invalid={Boolean(error)}
        />
        {error ? (
          <p role="alert" className="text-destructive text-sm" data-testid="schedule-error">
            {error}
          </p>
        ) : (
          preview && (
            <p className="text-muted-foreground text-sm">
              {formatDateTime(preview, ws.timeZone)} in {ws.timeZone}
              {Intl.DateTimeFormat().resolvedOptions().timeZone !== ws.timeZone &&
                ` — ${formatDateTime(preview)} where you are`}
            </p>
          )
        )}
        <FormFooter onCancel={() => setOpen(false)} submitDisabled={pending} submitTestId="schedule-confirm">
          {pending && <Spinner />}
          {verb}
        </FormFooter>
      </form>
    </DialogShell>
  );
}
