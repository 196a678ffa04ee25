"use client";

import { X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { LEAD_STATUSES } from "@/lib/enums";
import type { SegmentCondition } from "@/server/services/segments/criteria-schemas";
import {
  type CustomFieldOption,
  DaysInput,
  FIELD_LABELS,
  type Field,
  nativeSelect,
  OPS,
  withOp,
} from "./condition-fields";

/** A fresh condition for a field, with an operator and value that already make sense together. */
export function defaultCondition(field: Field, customFields: CustomFieldOption[] = []): SegmentCondition {
  switch (field) {
    case "tag":
      return { field, op: "has", value: "" };
    case "status":
      return { field, op: "is", value: "active" };
    case "source":
      return { field, op: "contains", value: "" };
    case "created":
      return { field, op: "within_days", value: 30 };
    case "custom":
      return { field, key: customFields[0]?.key ?? "", op: "equals", value: "" };
    case "engagement":
      return { field, op: "not_opened_in_days", value: 30 };
  }
}

export function ConditionRow({
  index,
  condition: c,
  onChange,
  onRemove,
  tags,
  customFields,
  campaigns,
  disabled,
  error,
}: {
  index: number;
  condition: SegmentCondition;
  onChange: (c: SegmentCondition) => void;
  onRemove: () => void;
  tags: string[];
  customFields: CustomFieldOption[];
  campaigns: { id: string; name: string }[] | null;
  disabled?: boolean;
  /** Why this condition cannot be saved (e.g. a date that does not exist), shown under the row. */
  error?: string | null;
}) {
  const n = index + 1;
  const errorId = error ? `segment-condition-${n}-error` : undefined;
  let valueInput: React.ReactNode;
  switch (c.field) {
    case "tag":
      valueInput = (
        <>
          <Input
            list="segment-tag-options"
            aria-label={`Condition ${n} tag`}
            placeholder="Tag"
            maxLength={50}
            className="min-w-40 flex-1"
            value={c.value}
            onChange={(e) => onChange({ ...c, value: e.target.value })}
          />
          <datalist id="segment-tag-options">
            {tags.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </>
      );
      break;
    case "status":
      valueInput = (
        <select
          aria-label={`Condition ${n} status`}
          className={nativeSelect}
          value={c.value}
          onChange={(e) => onChange({ ...c, value: e.target.value as typeof c.value })}
        >
          {LEAD_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      );
      break;
    case "source":
      valueInput = (
        <Input
          aria-label={`Condition ${n} source`}
          placeholder="e.g. form:newsletter"
          maxLength={255}
          className="min-w-40 flex-1"
          value={c.value}
          onChange={(e) => onChange({ ...c, value: e.target.value })}
        />
      );
      break;
    case "created":
      valueInput =
        c.op === "within_days" ? (
          <DaysInput
            label={`Condition ${n} days`}
            value={Number(c.value)}
            onChange={(v) => onChange({ ...c, value: v })}
          />
        ) : (
          <Input
            type="date"
            aria-label={`Condition ${n} date`}
            aria-invalid={error ? true : undefined}
            aria-describedby={errorId}
            className="w-44"
            value={String(c.value)}
            onChange={(e) => onChange({ ...c, value: e.target.value })}
          />
        );
      break;
    case "custom": {
      const def = customFields.find((d) => d.key === c.key);
      const numeric =
        def?.type === "number" && (c.op === "greater_than" || c.op === "less_than" || c.op === "equals");
      valueInput = (
        <>
          <select
            aria-label={`Condition ${n} custom field`}
            className={nativeSelect}
            value={c.key}
            onChange={(e) => onChange({ ...c, key: e.target.value, value: "" })}
          >
            {customFields.length === 0 && <option value="">No custom fields yet</option>}
            {customFields.map((d) => (
              <option key={d.key} value={d.key}>
                {d.label}
              </option>
            ))}
          </select>
          {def?.type === "select" && c.op === "equals" ? (
            <select
              aria-label={`Condition ${n} value`}
              className={nativeSelect}
              value={String(c.value)}
              onChange={(e) => onChange({ ...c, value: e.target.value })}
            >
              <option value="">Choose…</option>
              {def.options.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          ) : def?.type === "boolean" && c.op === "equals" ? (
            <select
              aria-label={`Condition ${n} value`}
              className={nativeSelect}
              value={String(c.value)}
              onChange={(e) => onChange({ ...c, value: e.target.value === "true" })}
            >
              <option value="true">yes</option>
              <option value="false">no</option>
            </select>
          ) : (
            <Input
              aria-label={`Condition ${n} value`}
              type={def?.type === "date" ? "date" : numeric ? "number" : "text"}
              className="min-w-32 flex-1"
              value={String(c.value)}
              onChange={(e) =>
                onChange({
                  ...c,
                  value: numeric && e.target.value !== "" ? Number(e.target.value) : e.target.value,
                })
              }
            />
          )}
        </>
      );
      break;
    }
    case "engagement":
      valueInput =
        c.op === "not_opened_in_days" ? (
          <DaysInput
            label={`Condition ${n} days`}
            value={Number(c.value)}
            onChange={(v) => onChange({ ...c, value: v })}
          />
        ) : campaigns ? (
          <select
            aria-label={`Condition ${n} campaign`}
            className={`${nativeSelect} min-w-40 flex-1`}
            value={String(c.value)}
            onChange={(e) => onChange({ ...c, value: e.target.value })}
          >
            <option value="">Choose a campaign…</option>
            {campaigns.map((k) => (
              <option key={k.id} value={k.id}>
                {k.name}
              </option>
            ))}
          </select>
        ) : (
          <Input
            aria-label={`Condition ${n} campaign id`}
            placeholder="Campaign id"
            className="min-w-40 flex-1 font-mono"
            value={String(c.value)}
            onChange={(e) => onChange({ ...c, value: e.target.value.trim() })}
          />
        );
      break;
  }

  return (
    <li
      className="flex flex-wrap items-center gap-2 rounded-lg border bg-card p-3"
      data-testid="segment-condition"
    >
      <select
        aria-label={`Condition ${n} field`}
        className={nativeSelect}
        value={c.field}
        disabled={disabled}
        onChange={(e) => onChange(defaultCondition(e.target.value as Field, customFields))}
      >
        {(Object.keys(FIELD_LABELS) as Field[]).map((f) => (
          <option key={f} value={f}>
            {FIELD_LABELS[f]}
          </option>
        ))}
      </select>
      <select
        aria-label={`Condition ${n} operator`}
        className={nativeSelect}
        value={c.op}
        disabled={disabled}
        onChange={(e) => onChange(withOp(c, e.target.value))}
      >
        {OPS[c.field].map(([v, label]) => (
          <option key={v} value={v}>
            {label}
          </option>
        ))}
      </select>
      {valueInput}
      <Button
        type="button"
        variant="ghost"
        size="icon"
        className="ml-auto"
        aria-label={`Remove condition ${n}`}
        onClick={onRemove}
        disabled={disabled}
      >
        <X className="size-4" />
      </Button>
      {error && (
        <p id={errorId} role="alert" className="basis-full text-destructive text-sm">
          {error}
        </p>
      )}
    </li>
  );
}
