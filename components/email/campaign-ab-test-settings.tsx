"use client";

import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import {
  AB_METRICS,
  type AbMetric,
  SHARE_MAX,
  SHARE_MIN,
  WAIT_MAX_MINUTES,
  WAIT_MIN_MINUTES,
} from "@/server/services/email/ab-test-schemas";
import { nativeSelect } from "./campaign-meta";

export interface AbSettingsDraft {
  sharePercent: number;
  metric: AbMetric;
  waitMinutes: number;
}

const METRIC_LABEL: Record<AbMetric, string> = {
  opens: "Most people opening",
  clicks: "Most people clicking",
};

/** "4 hours", "2 days", "1 day 6 hours". */
export function formatWait(minutes: number) {
  const days = Math.floor(minutes / 1440);
  const hours = Math.round((minutes % 1440) / 60);
  const part = (n: number, unit: string) => (n ? `${n} ${unit}${n === 1 ? "" : "s"}` : "");
  return [part(days, "day"), part(hours, "hour")].filter(Boolean).join(" ") || "0 hours";
}

/** Share of the audience tested (slider and number), the winner metric and the wait. */
export function AbTestSettingsFields({
  value,
  onChange,
  disabled,
  errors,
}: {
  value: AbSettingsDraft;
  onChange: (next: AbSettingsDraft) => void;
  disabled: boolean;
  errors: Record<string, string | undefined>;
}) {
  const unit = value.waitMinutes % 1440 === 0 ? "days" : "hours";
  const amount = unit === "days" ? value.waitMinutes / 1440 : Math.round(value.waitMinutes / 60);
  const setWait = (n: number, u: "hours" | "days") => {
    const minutes = Math.round(n) * (u === "days" ? 1440 : 60);
    onChange({ ...value, waitMinutes: Math.min(WAIT_MAX_MINUTES, Math.max(WAIT_MIN_MINUTES, minutes)) });
  };
  return (
    <div className="grid gap-4">
      <Field
        label={`Test share: ${value.sharePercent} %`}
        htmlFor="ab-share"
        hint={`${SHARE_MIN}–${SHARE_MAX} % of the audience, split evenly between the variants.`}
        error={errors["settings.sharePercent"]}
      >
        <div className="flex items-center gap-2">
          <input
            id="ab-share-range"
            type="range"
            aria-label="Test share (slider)"
            className="w-full accent-primary"
            min={SHARE_MIN}
            max={SHARE_MAX}
            step={5}
            disabled={disabled}
            value={value.sharePercent}
            onChange={(e) => onChange({ ...value, sharePercent: Number(e.target.value) })}
          />
          <Input
            id="ab-share"
            data-testid="ab-share"
            type="number"
            className="w-20"
            min={SHARE_MIN}
            max={SHARE_MAX}
            disabled={disabled}
            value={value.sharePercent}
            onChange={(e) => onChange({ ...value, sharePercent: Math.round(Number(e.target.value) || 0) })}
          />
        </div>
      </Field>
      <Field label="Winner" htmlFor="ab-metric" error={errors["settings.metric"]}>
        <select
          id="ab-metric"
          data-testid="ab-metric"
          className={nativeSelect}
          disabled={disabled}
          value={value.metric}
          onChange={(e) => onChange({ ...value, metric: e.target.value as AbMetric })}
        >
          {AB_METRICS.map((m) => (
            <option key={m} value={m}>
              {METRIC_LABEL[m]}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label="Then wait"
        htmlFor="ab-wait"
        hint="1 hour to 7 days before the winner goes to the rest."
        error={errors["settings.waitMinutes"]}
      >
        <div className="flex gap-2">
          <Input
            id="ab-wait"
            data-testid="ab-wait"
            type="number"
            className="w-20"
            min={1}
            disabled={disabled}
            value={amount}
            onChange={(e) => setWait(Number(e.target.value) || 1, unit)}
          />
          <select
            aria-label="Wait unit"
            className={nativeSelect}
            disabled={disabled}
            value={unit}
            onChange={(e) => setWait(amount, e.target.value as "hours" | "days")}
          >
            <option value="hours">hours</option>
            <option value="days">days</option>
          </select>
        </div>
      </Field>
    </div>
  );
}
