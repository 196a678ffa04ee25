"use client";

import { Badge } from "@/components/ui/badge";
import { Input } from "@/components/ui/input";
import { OptionSelect, optionsOf } from "@/components/ui/option-select";
import { Switch } from "@/components/ui/switch";
import type { CustomFieldType, LeadStatus } from "@/server/db/schema";

export const LEAD_STATUS_LIST: LeadStatus[] = ["active", "pending", "unsubscribed", "bounced", "complained"];

export const LEAD_STATUS_LABEL: Record<LeadStatus, string> = {
  active: "Active",
  pending: "Pending",
  unsubscribed: "Unsubscribed",
  bounced: "Bounced",
  complained: "Complained",
};

export const FIELD_TYPE_LABEL: Record<CustomFieldType, string> = {
  text: "Text",
  number: "Number",
  date: "Date",
  boolean: "Yes / no",
  select: "Select",
};

export function LeadStatusBadge({ status }: { status: LeadStatus }) {
  const variant =
    status === "active"
      ? "success"
      : status === "pending"
        ? "warning"
        : status === "unsubscribed"
          ? "secondary"
          : "destructive";
  return (
    <Badge variant={variant} data-status={status}>
      {LEAD_STATUS_LABEL[status]}
    </Badge>
  );
}

export interface FieldDef {
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
}

export type FieldValue = string | number | boolean | null;

/** Shows a stored custom-field value for reading. */
export function formatFieldValue(def: FieldDef | undefined, value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (def?.type === "boolean") return value ? "Yes" : "No";
  if (def?.type === "number" && typeof value === "number") return value.toLocaleString("en-US");
  return String(value);
}

/** An input that fits the field's type; the server validates again. */
export function CustomFieldInput({
  id,
  def,
  value,
  onChange,
  disabled,
}: {
  id: string;
  def: FieldDef;
  value: FieldValue | undefined;
  onChange: (v: FieldValue) => void;
  disabled?: boolean;
}) {
  switch (def.type) {
    case "boolean":
      return (
        <div className="flex h-9 items-center">
          <Switch id={id} checked={value === true} onCheckedChange={(v) => onChange(v)} disabled={disabled} />
        </div>
      );
    case "select":
      return (
        <OptionSelect
          id={id}
          value={typeof value === "string" && value ? value : undefined}
          onChange={(v) => onChange(v ?? null)}
          none={{ label: "Not set", value: "__none" }}
          options={optionsOf(def.options)}
          disabled={disabled}
        />
      );
    default:
      return (
        <Input
          id={id}
          type={def.type === "number" ? "number" : def.type === "date" ? "date" : "text"}
          step={def.type === "number" ? "any" : undefined}
          value={value === null || value === undefined ? "" : String(value)}
          maxLength={1000}
          disabled={disabled}
          onChange={(e) => {
            const raw = e.target.value;
            if (def.type === "number") onChange(raw === "" ? null : Number(raw));
            else onChange(raw === "" ? null : raw);
          }}
        />
      );
  }
}
