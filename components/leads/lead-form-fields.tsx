"use client";

import type { Dispatch, SetStateAction } from "react";
import { Field } from "@/components/ui/field";
import { InputField } from "@/components/ui/form-field";
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

/**
 * The email and name inputs both lead forms start with. A new lead's email is required and takes
 * the focus; browsers should not fill in the user's own address.
 */
export function LeadEmailAndName({
  idPrefix,
  email,
  setEmail,
  name,
  setName,
  emailError,
  nameError,
  isNew = false,
}: {
  idPrefix: string;
  email: string;
  setEmail: (email: string) => void;
  name: string;
  setName: (name: string) => void;
  emailError?: string | null;
  nameError?: string;
  isNew?: boolean;
}) {
  return (
    <>
      <InputField
        id={`${idPrefix}-email`}
        label="Email"
        error={emailError}
        type="email"
        value={email}
        maxLength={255}
        onChange={(e) => setEmail(e.target.value)}
        data-testid="lead-email-input"
        {...(isNew && { autoComplete: "off", required: true, autoFocus: true })}
      />
      <InputField
        id={`${idPrefix}-name`}
        label="Name"
        error={nameError}
        value={name}
        maxLength={255}
        onChange={(e) => setName(e.target.value)}
      />
    </>
  );
}
