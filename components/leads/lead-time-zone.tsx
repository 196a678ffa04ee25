"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Pencil } from "lucide-react";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { TimeZoneSelect } from "@/components/settings/time-zone-select";
import { Button } from "@/components/ui/button";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";

/**
 * The lead's time zone (campaigns sent at a local time reach it at that hour on its clock), and,
 * for members, a way to set or clear it. Without one the workspace's zone applies.
 */
export function LeadTimeZone({ leadId, timeZone }: { leadId: string; timeZone: string | null }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(timeZone ?? "");
  const save = useMutation(
    trpc.sendTime.setLeadTimeZone.mutationOptions({
      onSuccess: async (next) => {
        toast.success(next.timeZone ? `Time zone set to ${next.timeZone}` : "Time zone cleared");
        setEditing(false);
        await qc.invalidateQueries({ queryKey: trpc.leads.get.queryKey() });
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );

  if (!editing) {
    return (
      <span className="flex items-center gap-2" data-testid="lead-time-zone">
        {timeZone ?? (
          <span className="text-muted-foreground">Not known — the workspace&apos;s ({ws.timeZone})</span>
        )}
        {ws.canWrite && (
          <Button
            variant="ghost"
            size="icon"
            className="size-7"
            aria-label="Change the time zone"
            onClick={() => {
              setValue(timeZone ?? "");
              setEditing(true);
            }}
            data-testid="lead-time-zone-edit"
          >
            <Pencil aria-hidden />
          </Button>
        )}
      </span>
    );
  }
  return (
    <span className="grid gap-2">
      <TimeZoneSelect
        value={value}
        onValueChange={setValue}
        aria-label="Time zone"
        data-testid="lead-time-zone-select"
      />
      <span className="flex flex-wrap gap-2">
        <Button
          size="sm"
          disabled={!value || save.isPending}
          onClick={() => save.mutate({ workspaceId: ws.id, id: leadId, timeZone: value })}
          data-testid="lead-time-zone-save"
        >
          Save
        </Button>
        {timeZone && (
          <Button
            size="sm"
            variant="outline"
            disabled={save.isPending}
            onClick={() => save.mutate({ workspaceId: ws.id, id: leadId, timeZone: null })}
          >
            Clear
          </Button>
        )}
        <Button size="sm" variant="ghost" onClick={() => setEditing(false)}>
          Cancel
        </Button>
      </span>
    </span>
  );
}
