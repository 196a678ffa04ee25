"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type DragEvent, useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";
import { canDrag, DRAG_TYPE, whenOf } from "./calendar-parts";
import { type CalendarItem, STATUS_LABEL } from "./content-meta";
import { timeKey, zonedInstant } from "./zoned-time";

/**
 * Moving items by drag and drop: which item is dragged and which cell it is over, the drop
 * handlers of a cell, and the reschedule (shown at once, undone if the server refuses).
 */
export function useCalendarDrag(
  input: { workspaceId: string; from: Date; to: Date },
  calendar: { data?: CalendarItem[] },
) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queryOptions = trpc.content.calendar.queryOptions(input);
  const reschedule = useMutation(
    trpc.content.schedule.mutationOptions({
      onMutate: async ({ id, scheduledAt }) => {
        await queryClient.cancelQueries({ queryKey: queryOptions.queryKey });
        const previous = queryClient.getQueryData(queryOptions.queryKey);
        queryClient.setQueryData(queryOptions.queryKey, (old) =>
          old?.map((i) => (i.id === id ? { ...i, scheduledAt, status: "scheduled" as const } : i)),
        );
        return { previous };
      },
      onError: (err, _vars, context) => {
        if (context?.previous) queryClient.setQueryData(queryOptions.queryKey, context.previous);
        toast.error("Could not move it", { description: errorMessage(err) });
      },
      onSuccess: (row) => {
        toast.success(`Moved “${row.title}”`, {
          description: `Now publishes ${formatDateTime(row.scheduledAt ?? new Date(), ws.timeZone)}`,
        });
      },
      onSettled: () => {
        for (const queryKey of [
          trpc.content.calendar.queryKey(),
          trpc.content.list.queryKey(),
          trpc.content.get.queryKey(),
        ])
          void queryClient.invalidateQueries({ queryKey });
      },
    }),
  );

  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);

  const moveTo = (id: string, targetDay: string, hour?: number) => {
    const item = calendar.data?.find((i) => i.id === id);
    const from = item ? whenOf(item) : null;
    if (!item || !from) return;
    if (!canDrag(item)) {
      toast.error(
        item.status === "sent_to_inbox"
          ? "An item sent to the TikTok inbox cannot be moved"
          : `A ${STATUS_LABEL[item.status].toLowerCase()} item cannot be moved`,
      );
      return;
    }
    // Month view keeps the time of day; the week view takes the hour of the slot (and keeps minutes).
    const [hh, mm] = timeKey(from, ws.timeZone).split(":");
    const time = hour === undefined ? `${hh}:${mm}` : `${String(hour).padStart(2, "0")}:${mm}`;
    const at = zonedInstant(targetDay, time, ws.timeZone);
    if (!at || at.getTime() === from.getTime()) return;
    if (at.getTime() <= Date.now()) {
      toast.error("That time has passed", { description: "Drop it on a day and time in the future." });
      return;
    }
    reschedule.mutate({ workspaceId: ws.id, id, scheduledAt: at });
  };

  const dropHandlers = (target: string, day: string, hour?: number) =>
    ws.canWrite
      ? {
          onDragOver: (e: DragEvent) => {
            if (!dragging && !e.dataTransfer.types.includes(DRAG_TYPE)) return;
            e.preventDefault();
            e.dataTransfer.dropEffect = "move";
            if (over !== target) setOver(target);
          },
          onDragLeave: (e: DragEvent) => {
            if (!(e.currentTarget as Node).contains(e.relatedTarget as Node | null)) setOver(null);
          },
          onDrop: (e: DragEvent) => {
            e.preventDefault();
            const id = e.dataTransfer.getData(DRAG_TYPE) || dragging;
            setOver(null);
            setDragging(null);
            if (id) moveTo(id, day, hour);
          },
        }
      : {};

  return { dragging, setDragging, over, setOver, dropHandlers, reschedule };
}
