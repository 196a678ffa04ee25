"use client";

import { type ComponentProps, type ReactNode, useSyncExternalStore } from "react";
import type { UseFormReturn } from "react-hook-form";
import { z } from "zod";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";

/** Form beside its live preview; stacked on narrow screens. */
export function EditorColumns({ form, preview }: { form: ReactNode; preview: ReactNode }) {
  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,26rem)] xl:grid-cols-[minmax(0,1fr)_minmax(0,30rem)]">
      <div className="min-w-0">{form}</div>
      <aside aria-label="Preview" className="min-w-0 lg:sticky lg:top-20 lg:self-start">
        <p className="mb-2 font-medium text-muted-foreground text-xs uppercase tracking-wide">Preview</p>
        {preview}
      </aside>
    </div>
  );
}

/** "n / max" that turns red past the limit. */
export function CharCounter({
  value,
  max,
  testId,
  className,
}: {
  value: number;
  max: number;
  testId?: string;
  className?: string;
}) {
  const over = value > max;
  return (
    <span
      className={cn(
        "text-xs tabular-nums",
        over ? "font-medium text-destructive" : value > max * 0.9 ? "text-warning" : "text-muted-foreground",
        className,
      )}
      data-testid={testId}
      data-over={over || undefined}
      aria-live="polite"
    >
      {value.toLocaleString("en-US")} / {max.toLocaleString("en-US")}
    </span>
  );
}

/** A short text field whose label carries a "n / max" counter of the trimmed text. */
export function CountedField({
  id,
  label,
  text,
  max,
  counterTestId,
  error,
  hint,
  children,
}: {
  id: string;
  label: string;
  text: string;
  max: number;
  counterTestId?: string;
  error?: string;
  hint?: string;
  children: ReactNode;
}) {
  return (
    <Field
      label={
        <span className="flex w-full items-center justify-between gap-2">
          {label}
          <CharCounter value={text.trim().length} max={max} testId={counterTestId} />
        </span>
      }
      htmlFor={id}
      error={error}
      hint={hint}
    >
      {children}
    </Field>
  );
}

export function FormSection({
  title,
  description,
  children,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="grid gap-4 rounded-lg border bg-card p-4 sm:p-5">
      <div>
        <h2 className="font-medium text-sm">{title}</h2>
        {description && <p className="mt-0.5 text-muted-foreground text-xs">{description}</p>}
      </div>
      {children}
    </section>
  );
}

/**
 * A string checked by one of the server's own schemas (so the form and the API agree), with the
 * empty string allowed when `optional` — the form's "not set".
 */
export function checkedBy(schema: z.ZodType, opts: { optional?: boolean } = {}) {
  return z.string().superRefine((value, ctx) => {
    if (opts.optional && value.trim() === "") return;
    const result = schema.safeParse(value);
    if (!result.success)
      ctx.addIssue({ code: "custom", message: result.error.issues[0]?.message ?? "Invalid" });
  });
}

/** The page's origin on the client ("" while rendering on the server). */
export function useOrigin(): string {
  return useSyncExternalStore(
    () => () => {},
    () => window.location.origin,
    () => "",
  );
}

/** A long text field (body, caption): label with something on its right, the control, then its error. */
export function BodyField({
  id,
  label,
  aside,
  error,
  children,
}: {
  id: string;
  label: string;
  aside: ReactNode;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className="grid gap-2">
      <div className="flex items-center justify-between gap-2">
        <Label htmlFor={id}>{label}</Label>
        {aside}
      </div>
      {children}
      {error && (
        <p role="alert" className="text-destructive text-sm">
          {error}
        </p>
      )}
    </div>
  );
}

/** Every editor's Title input (what the team sees in lists), with the editor's own hint. */
export function TitleField({
  id,
  hint,
  error,
  ...input
}: { id: string; hint?: string; error?: string } & ComponentProps<typeof Input>) {
  return (
    <Field label="Title" htmlFor={id} error={error} hint={hint}>
      <Input id={id} maxLength={500} data-testid="title-input" {...input} />
    </Field>
  );
}

/**
 * Adds `text` at the end of the form's `body` (after `separator` when there is text already), as a
 * change the user saves like any other.
 */
export function appendToBody(
  // biome-ignore lint/suspicious/noExplicitAny: every editor's form has a string `body`, typed per editor
  form: UseFormReturn<any, any, any>,
  text: string,
  separator: string,
) {
  const body = String(form.getValues("body") ?? "");
  form.setValue("body", body.trim() ? `${body.replace(/\s+$/, "")}${separator}${text}` : text, {
    shouldDirty: true,
    shouldValidate: true,
  });
}
