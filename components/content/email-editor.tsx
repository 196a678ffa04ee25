"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { nativeSelect } from "@/components/segments/condition-fields";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { useTRPC } from "@/lib/trpc/client";
import { BODY_MAX, emailFieldsSchema, titleSchema } from "@/server/services/content/schemas";
import { type ContentItem, readMeta } from "./content-meta";
import { EditorFrame } from "./editor-frame";
import { CharCounter, checkedBy, FormSection } from "./editor-kit";
import type { ScheduleDraft } from "./editor-schedule";
import { EmailPreview } from "./previews";
import { useContentSave } from "./use-content-save";

const formSchema = z.object({
  title: titleSchema,
  subject: checkedBy(emailFieldsSchema.shape.subject),
  preheader: checkedBy(emailFieldsSchema.shape.preheader),
  body: z.string().max(BODY_MAX, "Body is too long"),
  /** "" = not chosen yet: saving is fine, publishing or scheduling asks for one. */
  segmentId: z.string(),
});
type FormIn = z.input<typeof formSchema>;
type FormOut = z.output<typeof formSchema>;

function defaults(item?: ContentItem): FormIn {
  const e = readMeta(item?.metadata).email;
  return {
    title: item?.title ?? "",
    subject: e.subject ?? "",
    preheader: e.preheader ?? "",
    body: item?.body ?? "",
    segmentId: e.segmentId ?? "",
  };
}

export function EmailEditor({
  item,
  readOnly,
  initialSchedule,
}: {
  item?: ContentItem;
  readOnly: boolean;
  initialSchedule?: ScheduleDraft;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const segments = useQuery(trpc.segments.list.queryOptions({ workspaceId: ws.id }));
  const form = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(formSchema),
    mode: "onChange",
    defaultValues: defaults(item),
  });
  const { errors } = form.formState;
  const v = useWatch({ control: form.control }) as FormIn;
  const save = useContentSave({
    item,
    setFieldError: (field, message) => {
      const name = field === "email" ? "subject" : field === "email.segmentId" ? "segmentId" : field;
      if (!(name in formSchema.shape)) return false;
      form.setError(name as keyof FormIn, { message });
      return true;
    },
  });

  const onSave = (values: FormOut, scheduledAt: Date | undefined) => {
    const email = {
      subject: values.subject.trim(),
      preheader: values.preheader.trim(),
      segmentId: values.segmentId || null,
    };
    if (!item) save.create({ type: "email", title: values.title, body: values.body, scheduledAt, email });
    else
      save.update(
        { title: values.title, body: values.body, email },
        { onSuccess: () => form.reset(form.getValues()) },
      );
  };

  const subject = v.subject ?? "";
  const preheader = v.preheader ?? "";
  return (
    <EditorFrame
      form={form}
      mode={item ? "edit" : "create"}
      readOnly={readOnly}
      pending={save.pending}
      initialSchedule={initialSchedule}
      onSave={onSave}
      fields={
        <FormSection title="Email">
          <Field
            label="Title"
            htmlFor="email-title"
            error={errors.title?.message}
            hint="For your team; recipients see the subject."
          >
            <Input id="email-title" maxLength={500} data-testid="title-input" {...form.register("title")} />
          </Field>
          <Field
            label="Send to"
            htmlFor="email-segment"
            error={errors.segmentId?.message}
            hint="Publishing sends it once, as a one-time campaign, to the active leads of this segment (from Settings → Sending)."
          >
            <select
              id="email-segment"
              data-testid="segment-select"
              className={nativeSelect}
              disabled={readOnly}
              {...form.register("segmentId")}
            >
              <option value="">Choose a segment…</option>
              {(segments.data ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                  {s.count === null ? "" : ` (${s.count.toLocaleString()})`}
                </option>
              ))}
            </select>
          </Field>
          <Field
            label={
              <span className="flex w-full items-center justify-between gap-2">
                Subject
                <CharCounter value={subject.trim().length} max={200} />
              </span>
            }
            htmlFor="email-subject"
            error={errors.subject?.message}
          >
            <Input id="email-subject" data-testid="subject-input" {...form.register("subject")} />
          </Field>
          <Field
            label={
              <span className="flex w-full items-center justify-between gap-2">
                Preheader
                <CharCounter value={preheader.trim().length} max={200} />
              </span>
            }
            htmlFor="email-preheader"
            error={errors.preheader?.message}
            hint="The grey line after the subject in most inboxes. Around 40–100 characters works best."
          >
            <Input id="email-preheader" data-testid="preheader-input" {...form.register("preheader")} />
          </Field>
          <div className="grid gap-2">
            <div className="flex items-center justify-between gap-2">
              <Label htmlFor="email-body">Body</Label>
              <span className="text-muted-foreground text-xs">Markdown, as in email campaigns</span>
            </div>
            <Textarea
              id="email-body"
              rows={14}
              className="min-h-64 font-mono text-[13px] leading-relaxed"
              placeholder={"Hi there,\n\nWrite in **Markdown**…"}
              aria-invalid={errors.body ? true : undefined}
              data-testid="body-input"
              {...form.register("body")}
            />
            {errors.body && (
              <p role="alert" className="text-destructive text-sm">
                {errors.body.message}
              </p>
            )}
          </div>
        </FormSection>
      }
      preview={<EmailPreview from={ws.name} subject={subject} preheader={preheader} body={v.body ?? ""} />}
    />
  );
}
