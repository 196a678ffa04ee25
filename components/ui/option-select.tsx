"use client";

import type { ReactNode } from "react";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";

type Option = { value: string; label: ReactNode };

/** The options of a fixed list of strings, each labelled by `label` (itself by default). */
export function optionsOf<T extends string>(values: readonly T[], label: (value: T) => ReactNode = (v) => v) {
  return values.map((value) => ({ value, label: label(value) }));
}

/**
 * A Select over a list of options. `none`, when given, is a first option that means "nothing
 * chosen" (no filter, not set) and is reported as `undefined`.
 */
export function OptionSelect({
  id,
  value,
  onChange,
  options,
  none,
  label,
  testId,
  describedBy,
  placeholder,
  disabled,
  className = "w-full",
}: {
  id?: string;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  options: readonly Option[];
  none?: { label: ReactNode; value: string };
  /** The accessible name when no <label> points at `id`, e.g. "Filter by status". */
  label?: string;
  testId?: string;
  /** The id of a hint that describes the choice (aria-describedby of the trigger). */
  describedBy?: string;
  placeholder?: string;
  disabled?: boolean;
  className?: string;
}) {
  return (
    <Select
      value={value ?? none?.value}
      onValueChange={(v) => onChange(none && v === none.value ? undefined : v)}
      disabled={disabled}
    >
      <SelectTrigger
        id={id}
        className={className}
        aria-label={label}
        aria-describedby={describedBy}
        data-testid={testId}
      >
        <SelectValue placeholder={placeholder} />
      </SelectTrigger>
      <SelectContent>
        {none && <SelectItem value={none.value}>{none.label}</SelectItem>}
        {options.map((o) => (
          <SelectItem key={o.value} value={o.value}>
            {o.label}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
