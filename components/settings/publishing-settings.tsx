"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus, X } from "lucide-react";
import { useEffect, useState } from "react";
import { zoneLabel } from "@/components/content/zoned-time";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { CardSection } from "@/components/ui/card-section";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { Switch } from "@/components/ui/switch";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import {
  type PublishingSettings,
  publishingSettingsInput,
  WEEKDAYS,
} from "@/server/services/workspaces/publishing-schemas";

const selectClass =
  "h-9 rounded-md border border-input bg-transparent px-3 text-sm shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 disabled:opacity-50";

/** The posting queue's weekly slots and the approval rule. Admins edit; everyone else reads. */
export function PublishingSettingsForm() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const saved = useQuery(trpc.workspace.publishing.get.queryOptions({ workspaceId: ws.id }));
  const [draft, setDraft] = useState<PublishingSettings | null>(null);
  const [day, setDay] = useState(0);
  const [time, setTime] = useState("09:00");
  useEffect(() => {
    if (saved.data && !draft) setDraft(saved.data);
  }, [saved.data, draft]);

  const save = useMutation(
    trpc.workspace.publishing.update.mutationOptions({
      onSuccess: async (next) => {
        toast.success("Posting queue saved");
        setDraft(next);
        await queryClient.invalidateQueries({ queryKey: trpc.workspace.publishing.get.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.approvals.required.queryKey() });
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );

  if (!draft) {
    return (
      <Card aria-busy="true">
        <CardContent className="grid gap-4">
          <Skeleton className="h-40 w-full" />
        </CardContent>
      </Card>
    );
  }

  const readOnly = !ws.canAdmin;
  const check = publishingSettingsInput.safeParse(draft);
  const duplicate = draft.slots.some((s) => s.day === day && s.time === time);
  const addSlot = () => {
    if (!/^\d{2}:\d{2}$/.test(time) || duplicate) return;
    setDraft({ ...draft, slots: publishingSettingsInput.shape.slots.parse([...draft.slots, { day, time }]) });
  };

  return (
    <form
      className="grid gap-6"
      onSubmit={(e) => {
        e.preventDefault();
        if (check.success) save.mutate({ workspaceId: ws.id, ...check.data });
      }}
    >
      <CardSection
        title="Posting queue"
        description={
          <>
            Weekly time slots in the workspace time zone,{" "}
            <span className="font-medium text-foreground">{zoneLabel(ws.timeZone)}</span>. “Add to queue” on a
            post schedules it at the next slot no other post of this workspace takes.
          </>
        }
        contentClassName="grid gap-4"
      >
        <ul className="grid gap-2" aria-label="Slots by weekday" data-testid="queue-slots">
          {WEEKDAYS.map((name, d) => {
            const times = draft.slots.filter((s) => s.day === d);
            return (
              <li
                key={name}
                className="flex min-h-9 flex-wrap items-center gap-2 border-b pb-2 last:border-b-0"
              >
                <span className="w-28 text-sm font-medium">{name}</span>
                {times.length === 0 && <span className="text-sm text-muted-foreground">No slots</span>}
                {times.map((s) => (
                  <span
                    key={s.time}
                    className="inline-flex items-center gap-1 rounded-full border bg-muted px-2.5 py-0.5 text-sm tabular-nums"
                    data-testid={`slot-${d}-${s.time}`}
                  >
                    {s.time}
                    {!readOnly && (
                      <button
                        type="button"
                        className="rounded-full p-0.5 text-muted-foreground hover:bg-background hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                        aria-label={`Remove ${name} ${s.time}`}
                        onClick={() => setDraft({ ...draft, slots: draft.slots.filter((x) => x !== s) })}
                      >
                        <X className="size-3.5" aria-hidden />
                      </button>
                    )}
                  </span>
                ))}
              </li>
            );
          })}
        </ul>
        {!readOnly && (
          <div className="flex flex-wrap items-end gap-3">
            <div className="grid gap-2">
              <Label htmlFor="slot-day">Day</Label>
              <select
                id="slot-day"
                data-testid="slot-day"
                className={selectClass}
                value={day}
                onChange={(e) => setDay(Number(e.target.value))}
              >
                {WEEKDAYS.map((name, d) => (
                  <option key={name} value={d}>
                    {name}
                  </option>
                ))}
              </select>
            </div>
            <div className="grid gap-2">
              <Label htmlFor="slot-time">Time</Label>
              <Input
                id="slot-time"
                data-testid="slot-time"
                type="time"
                className="w-32"
                value={time}
                onChange={(e) => setTime(e.target.value)}
              />
            </div>
            <Button
              type="button"
              variant="outline"
              onClick={addSlot}
              disabled={duplicate}
              data-testid="add-slot"
            >
              <Plus aria-hidden /> Add slot
            </Button>
          </div>
        )}
      </CardSection>

      <CardSection
        title="Approval"
        description="Who may publish, schedule and send without a second pair of eyes."
        footerClassName="flex justify-end border-t pt-6"
        footer={
          readOnly ? undefined : (
            <Button type="submit" data-testid="publishing-save" disabled={!check.success || save.isPending}>
              {save.isPending && <Spinner />} Save changes
            </Button>
          )
        }
      >
        <div className="flex items-start justify-between gap-4">
          <div className="grid gap-1">
            <Label htmlFor="require-approval">Require approval</Label>
            <p className="text-sm text-muted-foreground" id="require-approval-hint">
              Members submit posts and campaigns for approval instead of publishing, scheduling or sending
              them. Admins and owners approve or reject (with a reason) and are not asked themselves.
            </p>
          </div>
          <Switch
            id="require-approval"
            data-testid="require-approval"
            aria-describedby="require-approval-hint"
            disabled={readOnly}
            checked={draft.requireApproval}
            onCheckedChange={(v) => setDraft({ ...draft, requireApproval: v })}
          />
        </div>
      </CardSection>
    </form>
  );
}
