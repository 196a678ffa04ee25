"use client";

import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

/** A tracked link's destination and label fields (the Links dialog, "Add tracked link"). */
export function LinkFields({
  idPrefix,
  destination,
  label,
  errors,
  onDestination,
  onLabel,
}: {
  idPrefix: string;
  destination: string;
  label: string;
  errors: Record<string, string | undefined>;
  onDestination: (value: string) => void;
  onLabel: (value: string) => void;
}) {
  return (
    <>
      <Field label="Destination" htmlFor={`${idPrefix}-destination`} error={errors.destination}>
        <Input
          id={`${idPrefix}-destination`}
          type="url"
          placeholder="https://www.amazon.com/dp/…"
          value={destination}
          onChange={(e) => onDestination(e.target.value)}
          autoFocus
        />
      </Field>
      <Field
        label="Label"
        htmlFor={`${idPrefix}-label`}
        error={errors.label}
        hint="For you: where the link is used."
      >
        <Input
          id={`${idPrefix}-label`}
          value={label}
          maxLength={255}
          onChange={(e) => onLabel(e.target.value)}
        />
      </Field>
    </>
  );
}
