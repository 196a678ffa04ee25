import type { ComponentProps, ReactNode } from "react";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

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

/** A fieldset of checkboxes that picks any number of `options`; `value` lists the checked ones. */
export function CheckboxGroup<T extends string>({
  legend,
  options,
  value,
  onChange,
  error,
}: {
  legend: ReactNode;
  options: readonly { value: T; label: ReactNode }[];
  value: readonly T[];
  onChange: (next: T[]) => void;
  error?: string;
}) {
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-1 font-medium text-sm">{legend}</legend>
      {options.map((o) => (
        <Label key={o.value} className="flex items-center gap-2 font-normal text-sm">
          <Checkbox
            checked={value.includes(o.value)}
            onCheckedChange={(v) => onChange(v ? [...value, o.value] : value.filter((x) => x !== o.value))}
          />
          {o.label}
        </Label>
      ))}
      {error ? <p className="text-destructive text-sm">{error}</p> : null}
    </fieldset>
  );
}
