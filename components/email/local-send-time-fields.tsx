"use client";

import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { cn } from "@/lib/utils";

type Mode = "exact" | "local";

const MODES: { value: Mode; label: string; hint: string }[] = [
  { value: "exact", label: "At one moment", hint: "Everyone gets it at the same time." },
  {
    value: "local",
    label: "At a local time",
    hint: "Each lead gets it at this hour in their own time zone.",
  },
];

/** How a campaign is scheduled: one instant for everyone, or a wall-clock hour in each lead's zone. */
export function SendTimeModePicker({ mode, onChange }: { mode: Mode; onChange: (mode: Mode) => void }) {
  return (
    <fieldset className="grid gap-2 sm:grid-cols-2">
      <legend className="sr-only">When it is sent</legend>
      {MODES.map((m) => (
        <label
          key={m.value}
          className={cn(
            "flex cursor-pointer flex-col gap-1 rounded-lg border p-3 text-sm transition-colors has-[:focus-visible]:ring-[3px] has-[:focus-visible]:ring-ring/50",
            mode === m.value ? "border-primary bg-primary/5" : "hover:bg-accent/50",
          )}
        >
          <span className="flex items-center gap-2 font-medium">
            <input
              type="radio"
              name="send-time-mode"
              value={m.value}
              checked={mode === m.value}
              onChange={() => onChange(m.value)}
              className="accent-primary"
              data-testid={`send-time-mode-${m.value}`}
            />
            {m.label}
          </span>
          <span className="text-muted-foreground">{m.hint}</span>
        </label>
      ))}
    </fieldset>
  );
}

/** The date and hour of a local send time, and what they mean for leads in different zones. */
export function LocalSendTimeFields({
  date,
  time,
  onDate,
  onTime,
  workspaceZone,
}: {
  date: string;
  time: string;
  onDate: (v: string) => void;
  onTime: (v: string) => void;
  workspaceZone: string;
}) {
  return (
    <div className="grid gap-3">
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Date" htmlFor="campaign-local-date">
          <Input
            id="campaign-local-date"
            type="date"
            value={date}
            onChange={(e) => onDate(e.target.value)}
            data-testid="campaign-local-date"
          />
        </Field>
        <Field label="Local time" htmlFor="campaign-local-time">
          <Input
            id="campaign-local-time"
            type="time"
            step={60}
            value={time}
            onChange={(e) => onTime(e.target.value)}
            data-testid="campaign-local-time"
          />
        </Field>
      </div>
      <p className="text-muted-foreground text-sm" data-testid="local-send-time-hint">
        Delivered at {time || "this hour"} in each lead&apos;s own time zone (from their sign-up form, their
        timezone or country field, or set on their page); leads without one use the workspace&apos;s zone,{" "}
        {workspaceZone}. Sending starts when that hour first comes anywhere in the world; leads whose local
        hour has already passed by then get it at once. Quiet hours still apply.
      </p>
    </div>
  );
}
