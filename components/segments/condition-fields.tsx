"use client";

import { Input } from "@/components/ui/input";
import type { SegmentCondition } from "@/server/services/segments/criteria-schemas";

export const nativeSelect =
  "h-9 rounded-md border border-input bg-transparent px-2 text-sm shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 dark:bg-input/30";

export type Field = SegmentCondition["field"];

export const FIELD_LABELS: Record<Field, string> = {
  tag: "Tag",
  status: "Status",
  source: "Source",
  created: "Created",
  custom: "Custom field",
  engagement: "Email engagement",
};

export const OPS: Record<Field, [string, string][]> = {
  tag: [
    ["has", "has"],
    ["has_not", "does not have"],
  ],
  status: [
    ["is", "is"],
    ["is_not", "is not"],
  ],
  source: [
    ["is", "is"],
    ["is_not", "is not"],
    ["contains", "contains"],
  ],
  created: [
    ["within_days", "in the last"],
    ["before", "before"],
    ["after", "after"],
  ],
  custom: [
    ["equals", "equals"],
    ["contains", "contains"],
    ["greater_than", "is greater than"],
    ["less_than", "is less than"],
  ],
  engagement: [
    ["opened_campaign", "opened campaign"],
    ["clicked_campaign", "clicked campaign"],
    ["not_opened_in_days", "has not opened in"],
  ],
};

export interface CustomFieldOption {
  key: string;
  label: string;
  type: string;
  options: string[];
}

/** When the operator changes kind (date ↔ days, campaign ↔ days), the value resets to fit it. */
export function withOp(c: SegmentCondition, op: string): SegmentCondition {
  if (c.field === "created") {
    if (op === "within_days") return { ...c, op, value: typeof c.value === "number" ? c.value : 30 };
    return {
      ...c,
      op: op as "before" | "after",
      value: typeof c.value === "string" ? c.value : new Date().toISOString().slice(0, 10),
    };
  }
  if (c.field === "engagement") {
    if (op === "not_opened_in_days") return { ...c, op, value: typeof c.value === "number" ? c.value : 30 };
    return {
      ...c,
      op: op as "opened_campaign" | "clicked_campaign",
      value: typeof c.value === "string" ? c.value : "",
    };
  }
  return { ...c, op } as SegmentCondition;
}

export function DaysInput({
  value,
  onChange,
  label,
}: {
  value: number;
  onChange: (n: number) => void;
  label: string;
}) {
  return (
    <span className="flex items-center gap-2">
      <Input
        type="number"
        min={1}
        max={3650}
        aria-label={label}
        className="w-24"
        value={Number.isFinite(value) ? value : ""}
        onChange={(e) => onChange(Math.max(1, Math.min(3650, Math.trunc(Number(e.target.value) || 1))))}
      />
      <span className="text-muted-foreground text-sm">days</span>
    </span>
  );
}
