"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { type DefaultValues, type FieldValues, type Path, useForm, useWatch } from "react-hook-form";
import type { z } from "zod";
import { useUnsavedChangesPrompt } from "@/hooks/use-unsaved-changes";
import type { ContentItem } from "./content-meta";
import type { ScheduleDraft } from "./editor-schedule";
import { type CreateInput, type UpdateInput, useContentSave } from "./use-content-save";

/** What the editor page hands each content editor. */
export type ContentEditorProps = {
  item?: ContentItem;
  readOnly: boolean;
  initialSchedule?: ScheduleDraft;
};

/**
 * The form every content editor runs: validated on change by its schema, server field errors placed
 * on their inputs, and one `persist` that creates a new item or updates this one (then marks it clean).
 */
export function useContentForm<TIn extends FieldValues, TOut>({
  item,
  readOnly,
  initialSchedule,
  schema,
  defaultValues,
  fieldName = (field) => field,
  onFieldError,
}: ContentEditorProps & {
  schema: z.ZodType<TOut, TIn> & { shape: object };
  defaultValues: TIn;
  /** The form field that shows a server error reported for `field`. */
  fieldName?: (field: string) => string;
  onFieldError?: (name: string) => void;
}) {
  const form = useForm<TIn, unknown, TOut>({
    resolver: zodResolver(schema),
    mode: "onChange",
    defaultValues: defaultValues as DefaultValues<TIn>,
  });
  const values = useWatch({ control: form.control }) as TIn;
  useUnsavedChangesPrompt(!readOnly && form.formState.isDirty);
  const save = useContentSave({
    item,
    setFieldError: (field, message) => {
      const name = fieldName(field);
      if (!(name in schema.shape)) return false;
      form.setError(name as Path<TIn>, { message });
      onFieldError?.(name);
      return true;
    },
  });
  const persist = (input: { create: CreateInput; update: UpdateInput }) => {
    if (!item) save.create(input.create);
    else save.update(input.update, { onSuccess: () => form.reset(form.getValues()) });
  };
  return {
    form,
    errors: form.formState.errors,
    live: values,
    persist,
    /** The props of `EditorFrame` that come from the form. */
    frame: {
      form,
      mode: item ? ("edit" as const) : ("create" as const),
      pending: save.pending,
      readOnly,
      initialSchedule,
    },
  };
}
