"use client";

import type { Dispatch, SetStateAction } from "react";
import { Field } from "@/components/ui/field";
import { CustomFieldInput, type FieldDef, type FieldValue } from "./lead-meta";

/**
 * One labelled input per custom field, for the lead forms. Ids are `${idPrefix}-${key}`; a field's
 * error is the server's `customFields.<key>` issue.
 */
export function CustomFieldFields({
  defs,
  idPrefix,
  values,
  setValues,
  errors,
}: {
  defs: FieldDef[];
  idPrefix: string;
  values: Record<string, FieldValue>;
  setValues: Dispatch<SetStateAction<Record<string, FieldValue>>>;
  errors: Record<string, string | undefined>;
}) {
  return defs.map((def) => (
    <Field
      key={def.key}
      label={def.label}
      htmlFor={`${idPrefix}-${def.key}`}
      error={errors[`customFields.${def.key}`]}
    >
      <CustomFieldInput
        id={`${idPrefix}-${def.key}`}
        def={def}
        value={values[def.key]}
        onChange={(v) => setValues((c) => ({ ...c, [def.key]: v }))}
      />
    </Field>
  ));
}
