"use client";

import { type ReactNode, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import type { RangePreset } from "@/server/services/analytics/schemas";
import type { RangeState } from "./use-range";

const LABELS: Record<RangePreset, string> = {
  today: "Today",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  "90d": "Last 90 days",
  mtd: "Month to date",
  custom: "Custom range",
};

/** Presets, a custom from/to (local dates of the workspace) and "compare to previous period". */
export function RangePicker({ value, onChange }: { value: RangeState; onChange: (r: RangeState) => void }) {
  const [from, setFrom] = useState(value.from ?? "");
  const [to, setTo] = useState(value.to ?? "");
  const [custom, setCustom] = useState(value.preset === "custom");
  useEffect(() => {
    setCustom(value.preset === "custom");
    if (value.from) setFrom(value.from);
    if (value.to) setTo(value.to);
  }, [value.preset, value.from, value.to]);
  const invalid = custom && (!from || !to || from > to);
  return (
    <div className="flex flex-wrap items-end gap-3" data-testid="range-picker">
      <PickerField id="range-preset" label="Period">
        <Select
          value={custom ? "custom" : value.preset}
          onValueChange={(v) => {
            if (v === "custom") setCustom(true);
            else {
              setCustom(false);
              onChange({ preset: v as RangePreset, compare: value.compare });
            }
          }}
        >
          <SelectTrigger id="range-preset" className="w-44" aria-label="Period" data-testid="range-preset">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {(Object.keys(LABELS) as RangePreset[]).map((p) => (
              <SelectItem key={p} value={p} data-testid={`range-${p}`}>
                {LABELS[p]}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </PickerField>
      {custom && (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (!invalid) onChange({ preset: "custom", from, to, compare: value.compare });
          }}
        >
          <DateField id="range-from" label="From" value={from} onChange={setFrom} />
          <DateField id="range-to" label="To" value={to} onChange={setTo} />
          <Button type="submit" variant="outline" disabled={invalid}>
            Apply
          </Button>
          {from && to && from > to && (
            <p className="text-xs text-destructive">The end is before the start.</p>
          )}
        </form>
      )}
      <div className="flex items-center gap-2 pb-2">
        <Switch
          id="range-compare"
          checked={value.compare}
          onCheckedChange={(c) => onChange({ ...value, compare: c })}
          data-testid="range-compare"
        />
        <Label htmlFor="range-compare" className="text-sm">
          Compare to previous period
        </Label>
      </div>
    </div>
  );
}

/** A small labelled control of the picker (the label sits above, in muted text). */
function PickerField({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1">
      <Label htmlFor={id} className="text-xs text-muted-foreground">
        {label}
      </Label>
      {children}
    </div>
  );
}

function DateField({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <PickerField id={id} label={label}>
      <Input id={id} type="date" value={value} onChange={(e) => onChange(e.target.value)} className="w-40" />
    </PickerField>
  );
}
