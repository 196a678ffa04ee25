"use client";

import { useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { InsertLinkButton } from "@/components/links/insert-link-button";
import { nativeSelect } from "@/components/segments/condition-fields";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { useTRPC } from "@/lib/trpc/client";
import { BODY_MAX, emailFieldsSchema, titleSchema } from "@/server/services/content/schemas";
import { type ContentItem, readMeta } from "./content-meta";
import { EditorFrame } from "./editor-frame";
import { appendToBody, BodyField, CountedField, checkedBy, FormSection, TitleField } from "./editor-kit";
import { EmailPreview } from "./previews";
import { type ContentEditorProps, useContentForm } from "./use-content-form";

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

export function EmailEditor({ item, readOnly, initialSchedule }: ContentEditorProps) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const segments = useQuery(trpc.segments.list.queryOptions({ workspaceId: ws.id }));
  const { form, errors, live, persist, frame } = useContentForm({
    item,
    readOnly,
    initialSchedule,
    schema: formSchema,
    defaultValues: defaults(item),
    fieldName: (field) => (field === "email" ? "subject" : field === "email.segmentId" ? "segmentId" : field),
  });

  const onSave = (values: FormOut, scheduledAt: Date | undefined) => {
    const email = {
      subject: values.subject.trim(),
      preheader: values.preheader.trim(),
      segmentId: values.segmentId || null,
    };
    persist({
      create: { type: "email", title: values.title, body: values.body, scheduledAt, email },
      update: { title: values.title, body: values.body, email },
    });
  };

  const subject = live.subject ?? "";
  const preheader = live.preheader ?? "";
  return (
    <EditorFrame
      {...frame}
      onSave={onSave}
      fields={
        <FormSection title="Email">
          <TitleField
            id="email-title"
            hint="For your team; recipients see the subject."
            error={errors.title?.message}
            {...form.register("title")}
          />
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
          <CountedField
            id="email-subject"
            label="Subject"
            text={subject}
            max={200}
            error={errors.subject?.message}
          >
            <Input id="email-subject" data-testid="subject-input" {...form.register("subject")} />
          </CountedField>
          <CountedField
            id="email-preheader"
            label="Preheader"
            text={preheader}
            max={200}
            error={errors.preheader?.message}
            hint="The grey line after the subject in most inboxes. Around 40–100 characters works best."
          >
            <Input id="email-preheader" data-testid="preheader-input" {...form.register("preheader")} />
          </CountedField>
          <BodyField
            id="email-body"
            label="Body"
            aside={
              <div className="flex items-center gap-2">
                <InsertLinkButton
                  contentId={item?.id}
                  disabled={readOnly}
                  onInsert={(url, label) => appendToBody(form, label ? `[${label}](${url})` : url, "\n\n")}
                />
                <span className="text-muted-foreground text-xs">Markdown, as in email campaigns</span>
              </div>
            }
            error={errors.body?.message}
          >
            <Textarea
              id="email-body"
              rows={14}
              className="min-h-64 font-mono text-[13px] leading-relaxed"
              placeholder={"Hi there,\n\nWrite in **Markdown**…"}
              aria-invalid={errors.body ? true : undefined}
              data-testid="body-input"
              {...form.register("body")}
            />
          </BodyField>
        </FormSection>
      }
      preview={<EmailPreview from={ws.name} subject={subject} preheader={preheader} body={live.body ?? ""} />}
    />
  );
}
