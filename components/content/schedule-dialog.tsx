"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { CalendarClock } from "lucide-react";
import { type ReactNode, useState } from "react";
import { toast } from "sonner";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { DialogShell, FormFooter } from "@/components/ui/dialog-shell";
import { Spinner } from "@/components/ui/spinner";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";
import type { ContentItem } from "./content-meta";
import { DateTimeFields } from "./date-time-fields";
import { addDaysToKey, dayKey, timeKey, todayKey, zonedInstant, zoneLabel } from "./zoned-time";

/** Date + time in the WORKSPACE's time zone → `content.schedule`. Past times are refused here too. */
export function ScheduleDialog({ item, trigger }: { item: ContentItem; trigger: ReactNode }) {
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

  const confirm = () => {
    const at = zonedInstant(date, time, ws.timeZone);
    if (!at) return setError("Pick a date and a time");
    if (at.getTime() <= Date.now()) return setError("That time has passed — pick one in the future");
    setError(undefined);
    schedule.mutate({ workspaceId: ws.id, id: item.id, scheduledAt: at });
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
          {item.status === "scheduled" ? "Reschedule" : "Schedule"}
        </>
      }
      description={
        <>
          It publishes automatically at this time in the workspace time zone,{" "}
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
        <FormFooter
          onCancel={() => setOpen(false)}
          submitDisabled={schedule.isPending}
          submitTestId="schedule-confirm"
        >
          {schedule.isPending && <Spinner />}
          {item.status === "scheduled" ? "Reschedule" : "Schedule"}
        </FormFooter>
      </form>
    </DialogShell>
  );
}
