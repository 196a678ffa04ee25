"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Save } from "lucide-react";
import { useRouter } from "next/navigation";
import { type ReactNode, useState, useSyncExternalStore } from "react";
import type { FieldValues, UseFormReturn } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Spinner } from "@/components/ui/spinner";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import { cn, formatDateTime } from "@/lib/utils";
import type { createContentInput, updateContentInput } from "@/server/services/content/schemas";
import type { ContentItem } from "./content-meta";
import { zonedInstant, zoneLabel } from "./zoned-time";

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

export interface ScheduleDraft {
  enabled: boolean;
  date: string;
  time: string;
}

/** The instant a create-time schedule names, or an error to show. */
export function resolveScheduleDraft(s: ScheduleDraft, timeZone: string): { at?: Date; error?: string } {
  if (!s.enabled) return {};
  const at = zonedInstant(s.date, s.time, timeZone);
  if (!at) return { error: "Pick a date and a time" };
  if (at.getTime() <= Date.now()) return { error: "Pick a time in the future" };
  return { at };
}

/** "Schedule it right away" on the new-content page (a calendar click pre-fills the day). */
export function ScheduleOnCreate({
  value,
  onChange,
  error,
}: {
  value: ScheduleDraft;
  onChange: (v: ScheduleDraft) => void;
  error?: string;
}) {
  const ws = useWorkspace();
  return (
    <FormSection
      title="Schedule"
      description={`Leave it off to save a draft. Times are in the workspace time zone, ${zoneLabel(ws.timeZone)}.`}
    >
      <div className="flex items-center gap-2">
        <Checkbox
          id="create-schedule"
          checked={value.enabled}
          onCheckedChange={(c) => onChange({ ...value, enabled: c === true })}
        />
        <Label htmlFor="create-schedule">Publish automatically at a set time</Label>
      </div>
      {value.enabled && (
        <div className="grid gap-3 sm:grid-cols-2">
          <div className="grid gap-2">
            <Label htmlFor="create-schedule-date">Date</Label>
            <Input
              id="create-schedule-date"
              type="date"
              value={value.date}
              onChange={(e) => onChange({ ...value, date: e.target.value })}
              aria-invalid={error ? true : undefined}
              data-testid="create-schedule-date"
            />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="create-schedule-time">Time</Label>
            <Input
              id="create-schedule-time"
              type="time"
              value={value.time}
              onChange={(e) => onChange({ ...value, time: e.target.value })}
              aria-invalid={error ? true : undefined}
              data-testid="create-schedule-time"
            />
          </div>
        </div>
      )}
      {error && (
        <p role="alert" className="text-destructive text-sm">
          {error}
        </p>
      )}
    </FormSection>
  );
}

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

export type CreateInput = z.input<typeof createContentInput>;
type UpdateInput = Omit<z.input<typeof updateContentInput>, "id">;
type SetFieldError = (field: string, message: string) => boolean;

/**
 * Create and update with one set of side effects: toasts, cache refresh, field errors from the
 * server (slug taken, body too long) placed on their inputs.
 */
export function useContentSave({
  item,
  setFieldError,
}: {
  item?: ContentItem;
  setFieldError: SetFieldError;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();

  const onError = (err: unknown) => {
    let placed = false;
    for (const [field, message] of Object.entries(fieldErrors(err))) {
      if (message && setFieldError(field, message)) placed = true;
    }
    toast.error(placed ? "Check the highlighted fields" : errorMessage(err), {
      description: placed ? errorMessage(err) : undefined,
    });
  };
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.content.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.content.calendar.queryKey() });
  };

  const create = useMutation(
    trpc.content.create.mutationOptions({
      onSuccess: (row) => {
        toast.success(
          row.status === "scheduled" && row.scheduledAt
            ? `Scheduled for ${formatDateTime(row.scheduledAt, ws.timeZone)}`
            : "Draft saved",
        );
        refresh();
        router.push(`/${ws.slug}/content/${row.id}`);
      },
      onError,
    }),
  );
  const update = useMutation(
    trpc.content.update.mutationOptions({
      onSuccess: () => {
        toast.success("Changes saved");
        refresh();
        if (item) void queryClient.invalidateQueries({ queryKey: trpc.content.get.queryKey() });
      },
      onError,
    }),
  );

  return {
    pending: create.isPending || update.isPending,
    create: (input: CreateInput, opts?: { onSuccess?: () => void }) =>
      create.mutate({ workspaceId: ws.id, ...input }, { onSuccess: () => opts?.onSuccess?.() }),
    update: (input: UpdateInput, opts?: { onSuccess?: () => void }) => {
      if (!item) return;
      update.mutate({ workspaceId: ws.id, id: item.id, ...input }, { onSuccess: () => opts?.onSuccess?.() });
    },
  };
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
