"use client";

import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/**
 * A date input and a time input side by side, each labelled; `idPrefix` names both (`-date`,
 * `-time`) and is their test id too.
 */
export function DateTimeFields({
  idPrefix,
  date,
  time,
  onDateChange,
  onTimeChange,
  minDate,
  invalid,
  className,
}: {
  idPrefix: string;
  date: string;
  time: string;
  onDateChange: (date: string) => void;
  onTimeChange: (time: string) => void;
  minDate?: string;
  invalid: boolean;
  className: string;
}) {
  return (
    <div className={className}>
      {(
        [
          ["date", "Date", date, onDateChange],
          ["time", "Time", time, onTimeChange],
        ] as const
      ).map(([type, label, value, onChange]) => (
        <div key={type} className="grid gap-2">
          <Label htmlFor={`${idPrefix}-${type}`}>{label}</Label>
          <Input
            id={`${idPrefix}-${type}`}
            type={type}
            value={value}
            min={type === "date" ? minDate : undefined}
            onChange={(e) => onChange(e.target.value)}
            aria-invalid={invalid ? true : undefined}
            data-testid={`${idPrefix}-${type}`}
          />
        </div>
      ))}
    </div>
  );
}
