"use client";

import { AlertCircle } from "lucide-react";
import type { BaseSyntheticEvent } from "react";
import type { UseFormReturn } from "react-hook-form";
import { Controller } from "react-hook-form";
import type { z } from "zod";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { OptionSelect, optionsOf } from "@/components/ui/option-select";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import {
  GENERATE_CONTENT_TYPES,
  GENERATE_LENGTHS,
  GENERATE_TONES,
  type generateContentInput,
} from "@/server/services/content/schemas";
import { CONTENT_TYPE_LIST, TYPE_META } from "./content-meta";
import { Notice } from "./notice";

export type FormInput = z.input<typeof generateContentInput>;

export type FormOutput = z.output<typeof generateContentInput>;

export const CONTENT_TYPE_LABEL: Record<(typeof GENERATE_CONTENT_TYPES)[number], string> = {
  demo: "Demo",
  tutorial: "Tutorial",
  review: "Review",
  comparison: "Comparison",
  tips: "Tips",
  story: "Story",
};

export const TONE_LABEL: Record<(typeof GENERATE_TONES)[number], string> = {
  casual: "Casual",
  professional: "Professional",
  humorous: "Humorous",
  educational: "Educational",
};

export const LENGTH_LABEL: Record<(typeof GENERATE_LENGTHS)[number], string> = {
  short: "Short",
  medium: "Medium",
  long: "Long",
};

/** The form's fixed-list fields: label, control id and options. */
const CHOICES = {
  platform: {
    id: "gen-platform",
    label: "Platform",
    options: optionsOf(CONTENT_TYPE_LIST, (t) => TYPE_META[t].noun),
  },
  contentType: {
    id: "gen-content-type",
    label: "Content type",
    options: optionsOf(GENERATE_CONTENT_TYPES, (t) => CONTENT_TYPE_LABEL[t]),
  },
  tone: { id: "gen-tone", label: "Tone", options: optionsOf(GENERATE_TONES, (t) => TONE_LABEL[t]) },
  length: { id: "gen-length", label: "Length", options: optionsOf(GENERATE_LENGTHS, (t) => LENGTH_LABEL[t]) },
};

/** A labelled Select bound to one of the form's fixed-list fields. */
function ChoiceField({
  form,
  name,
}: {
  form: UseFormReturn<FormInput, unknown, FormOutput>;
  name: keyof typeof CHOICES;
}) {
  const { id, label, options } = CHOICES[name];
  return (
    <Field label={label} htmlFor={id} error={form.formState.errors[name]?.message}>
      <Controller
        control={form.control}
        name={name}
        render={({ field }) => (
          <OptionSelect
            id={id}
            value={field.value}
            onChange={(v) => v !== undefined && field.onChange(v)}
            options={options}
          />
        )}
      />
    </Field>
  );
}

/** The writing job's progress while the dialog waits for the draft. */
export function GenerateProgress({
  status,
  progress,
  connected,
}: {
  status: "queued" | "running";
  progress: number;
  connected: boolean;
}) {
  return (
    <div className="grid gap-3 py-2" aria-live="polite">
      <div className="flex items-center gap-2 text-sm">
        <Spinner />
        {status === "queued" ? "Waiting for a worker…" : "Writing your draft…"}
        <span className="ml-auto text-muted-foreground tabular-nums">{progress}%</span>
      </div>
      <div
        role="progressbar"
        aria-label="Generation progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={progress}
        className="h-2 overflow-hidden rounded-full bg-muted"
        data-testid="generate-progress"
      >
        <div
          className="h-full rounded-full bg-primary transition-[width] duration-500"
          style={{ width: `${Math.max(4, progress)}%` }}
        />
      </div>
      <p className="text-muted-foreground text-xs">
        {connected
          ? "Live updates are on. The editor opens as soon as the draft is saved."
          : "Live updates are unavailable; checking every 2 seconds."}
      </p>
    </div>
  );
}

/** What to write: platform, content type, product (from the catalogue or any name), tone, length, context. */
export function GenerateForm({
  form,
  onSubmit,
  products,
  error,
}: {
  form: UseFormReturn<FormInput, unknown, FormOutput>;
  onSubmit: (e?: BaseSyntheticEvent) => Promise<void>;
  products: string[];
  /** Why the last attempt failed. */
  error: string | null;
}) {
  const { errors } = form.formState;
  return (
    <form id="generate-form" onSubmit={onSubmit} noValidate className="grid gap-4">
      {error && (
        <Notice tone="error" icon={AlertCircle} role="alert" testId="generate-error">
          <p>
            <span className="font-medium">The draft could not be written.</span> {error}
          </p>
        </Notice>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <ChoiceField form={form} name="platform" />
        <ChoiceField form={form} name="contentType" />
      </div>
      <Field
        label="Product"
        htmlFor="gen-product"
        error={errors.product?.message}
        hint={products.length ? "Pick one from your catalogue or type any name." : undefined}
      >
        <Input
          id="gen-product"
          list={products.length ? "gen-product-options" : undefined}
          placeholder="e.g. Pocket Tarot deck"
          autoComplete="off"
          maxLength={200}
          data-testid="generate-product"
          {...form.register("product")}
        />
      </Field>
      {products.length > 0 && (
        <datalist id="gen-product-options">
          {products.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <ChoiceField form={form} name="tone" />
        <ChoiceField form={form} name="length" />
      </div>
      <Field
        label="Context (optional)"
        htmlFor="gen-context"
        error={errors.context?.message}
        hint="Anything the writer should know: audience, an offer, a launch date."
      >
        <Textarea id="gen-context" rows={3} maxLength={2000} {...form.register("context")} />
      </Field>
    </form>
  );
}
