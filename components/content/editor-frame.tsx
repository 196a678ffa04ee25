"use client";

import { Save } from "lucide-react";
import { type ReactNode, useState } from "react";
import type { FieldValues, UseFormReturn } from "react-hook-form";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { EditorColumns } from "./editor-kit";
import { resolveScheduleDraft, type ScheduleDraft, ScheduleOnCreate } from "./editor-schedule";

export function SaveBar({
  mode,
  pending,
  dirty,
  scheduled,
}: {
  mode: "create" | "edit";
  pending: boolean;
  dirty: boolean;
  scheduled?: boolean;
}) {
  return (
    <div className="sticky bottom-0 z-10 -mx-1 flex items-center justify-end gap-3 border-t bg-background/95 px-1 py-3 backdrop-blur">
      {mode === "edit" && (
        <span className="mr-auto text-muted-foreground text-xs" aria-live="polite">
          {dirty ? "Unsaved changes" : "All changes saved"}
        </span>
      )}
      <Button type="submit" disabled={pending || (mode === "edit" && !dirty)} data-testid="save-content">
        {pending ? <Spinner /> : <Save aria-hidden />}
        {mode === "create" ? (scheduled ? "Save and schedule" : "Save draft") : "Save changes"}
      </Button>
    </div>
  );
}

/**
 * The shared frame of the three editors: fields (disabled for viewers), the create-time schedule,
 * the save bar and the live preview.
 */
export function EditorFrame<TIn extends FieldValues, TOut>({
  form,
  mode,
  readOnly,
  pending,
  initialSchedule,
  onSave,
  fields,
  preview,
  notice,
}: {
  form: UseFormReturn<TIn, unknown, TOut>;
  mode: "create" | "edit";
  readOnly: boolean;
  pending: boolean;
  initialSchedule?: ScheduleDraft;
  onSave: (values: TOut, scheduledAt: Date | undefined) => void;
  fields: ReactNode;
  preview: ReactNode;
  notice?: ReactNode;
}) {
  const ws = useWorkspace();
  const [schedule, setSchedule] = useState<ScheduleDraft>(
    initialSchedule ?? { enabled: false, date: "", time: "09:00" },
  );
  const [scheduleError, setScheduleError] = useState<string>();

  const submit = form.handleSubmit((values) => {
    if (readOnly) return;
    const resolved = mode === "create" ? resolveScheduleDraft(schedule, ws.timeZone) : {};
    if (resolved.error) {
      setScheduleError(resolved.error);
      return;
    }
    onSave(values, resolved.at);
  });

  return (
    <EditorColumns
      form={
        <form onSubmit={submit} noValidate aria-label="Content editor">
          {notice}
          <fieldset disabled={readOnly} className="grid min-w-0 gap-4">
            {fields}
            {mode === "create" && !readOnly && (
              <ScheduleOnCreate
                value={schedule}
                onChange={(v) => {
                  setSchedule(v);
                  setScheduleError(undefined);
                }}
                error={scheduleError}
              />
            )}
          </fieldset>
          {!readOnly && (
            <SaveBar
              mode={mode}
              pending={pending}
              dirty={form.formState.isDirty}
              scheduled={mode === "create" && schedule.enabled}
            />
          )}
        </form>
      }
      preview={preview}
    />
  );
}
