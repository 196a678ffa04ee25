"use client";

import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Checkbox } from "@/components/ui/checkbox";
import { Label } from "@/components/ui/label";
import { DateTimeFields } from "./date-time-fields";
import { FormSection } from "./editor-kit";
import { zonedInstant, zoneLabel } from "./zoned-time";

export interface ScheduleDraft {
  enabled: boolean;
  date: string;
  time: string;
}

/** The instant a create-time schedule names, or an error to show. */
export function resolveScheduleDraft(s: ScheduleDraft, timeZone: string): { at?: Date; error?: string } {
  if (!s.enabled) return {};
  const at = zonedInstant(s.date, s.time, timeZone);
  if (!at) return { error: "Pick a date and a time" };
  if (at.getTime() <= Date.now()) return { error: "Pick a time in the future" };
  return { at };
}

/** "Schedule it right away" on the new-content page (a calendar click pre-fills the day). */
export function ScheduleOnCreate({
  value,
  onChange,
  error,
}: {
  value: ScheduleDraft;
  onChange: (v: ScheduleDraft) => void;
  error?: string;
}) {
  const ws = useWorkspace();
  return (
    <FormSection
      title="Schedule"
      description={`Leave it off to save a draft. Times are in the workspace time zone, ${zoneLabel(ws.timeZone)}.`}
    >
      <div className="flex items-center gap-2">
        <Checkbox
          id="create-schedule"
          checked={value.enabled}
          onCheckedChange={(c) => onChange({ ...value, enabled: c === true })}
        />
        <Label htmlFor="create-schedule">Publish automatically at a set time</Label>
      </div>
      {value.enabled && (
        <DateTimeFields
          idPrefix="create-schedule"
          className="grid gap-3 sm:grid-cols-2"
          date={value.date}
          time={value.time}
          onDateChange={(date) => onChange({ ...value, date })}
          onTimeChange={(time) => onChange({ ...value, time })}
          invalid={Boolean(error)}
        />
      )}
      {error && (
        <p role="alert" className="text-destructive text-sm">
          {error}
        </p>
      )}
    </FormSection>
  );
}
