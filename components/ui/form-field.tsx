import type { ComponentProps, ReactNode } from "react";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

type InputFieldProps = Omit<ComponentProps<typeof Input>, "id"> & {
  id: string;
  label: ReactNode;
  error?: string | null;
  hint?: ReactNode;
  /** The class of the field (label, input and messages), not of the input. */
  fieldClassName?: string;
};

/** A labelled input with its hint and error: `Field` around an `Input` that has the field's id. */
export function InputField({ id, label, error, hint, fieldClassName, ...inputProps }: InputFieldProps) {
  return (
    <Field label={label} htmlFor={id} error={error} hint={hint} className={fieldClassName}>
      <Input id={id} {...inputProps} />
    </Field>
  );
}

/** A form's refusal that belongs to no single field; nothing when there is none. */
export function FormError({ id, children }: { id?: string; children: ReactNode }) {
  if (!children) return null;
  return (
    <p id={id} role="alert" className="text-destructive text-sm">
      {children}
    </p>
  );
}
