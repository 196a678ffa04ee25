"use client";

import { Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";

export interface VariantDraft {
  label: "B" | "C" | "D";
  subject: string;
  preheader: string;
  body: string;
}

/** One A/B variant's subject, preheader and Markdown body (the step editor's fields). */
export function AbVariantFields({
  index,
  value,
  onChange,
  onRemove,
  disabled,
  errors,
}: {
  index: number;
  value: VariantDraft;
  onChange: (next: VariantDraft) => void;
  onRemove?: () => void;
  disabled: boolean;
  errors: Record<string, string | undefined>;
}) {
  const id = `ab-variant-${value.label}`;
  const error = (field: string) => errors[`variants.${index}.${field}`];
  return (
    <fieldset className="grid gap-3 rounded-lg border p-4" data-testid={id}>
      <div className="flex items-center justify-between">
        <legend className="text-sm font-semibold">Variant {value.label}</legend>
        {onRemove && !disabled && (
          <Button
            type="button"
            size="sm"
            variant="ghost"
            onClick={onRemove}
            aria-label={`Remove variant ${value.label}`}
          >
            <Trash2 aria-hidden />
            Remove
          </Button>
        )}
      </div>
      <Field label="Subject" htmlFor={`${id}-subject`} error={error("subject")}>
        <Input
          id={`${id}-subject`}
          data-testid="ab-variant-subject"
          disabled={disabled}
          value={value.subject}
          onChange={(e) => onChange({ ...value, subject: e.target.value })}
        />
      </Field>
      <Field label="Preheader" htmlFor={`${id}-preheader`} error={error("preheader")}>
        <Input
          id={`${id}-preheader`}
          disabled={disabled}
          value={value.preheader}
          onChange={(e) => onChange({ ...value, preheader: e.target.value })}
        />
      </Field>
      <Field label="Body (Markdown)" htmlFor={`${id}-body`} error={error("body")}>
        <Textarea
          id={`${id}-body`}
          data-testid="ab-variant-body"
          rows={6}
          className="font-mono text-sm"
          disabled={disabled}
          value={value.body}
          onChange={(e) => onChange({ ...value, body: e.target.value })}
        />
      </Field>
    </fieldset>
  );
}
