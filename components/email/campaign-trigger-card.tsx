"use client";

import { useFormContext, useWatch } from "react-hook-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { type CampaignTrigger, TRIGGER_EVENTS } from "@/server/services/email/campaign-schemas";
import type { CampaignDraft } from "./campaign-form";
import { nativeSelect } from "./campaign-meta";

const TRIGGER_LABEL: Record<CampaignTrigger["event"], string> = {
  "lead.created": "A lead is created",
  "tag.added": "A tag is added to a lead",
  "form.submitted": "A signup form is submitted",
};

/** What starts a triggered campaign for a lead. */
export function CampaignTriggerCard({ readOnly }: { readOnly: boolean }) {
  const { control, formState, setValue } = useFormContext<CampaignDraft>();
  const trigger = useWatch({ control, name: "trigger" });
  if (!trigger) return null;
  const errors = formState.errors.trigger;
  const set = (next: CampaignTrigger) =>
    setValue("trigger", next, { shouldDirty: true, shouldValidate: formState.isSubmitted });
  return (
    <Card>
      <CardHeader>
        <CardTitle>Trigger</CardTitle>
        <CardDescription>When it starts for a lead. Only new events count once it's active.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4 sm:grid-cols-2">
        <Field label="Starts when" htmlFor="trigger-event" error={errors?.message}>
          <select
            id="trigger-event"
            className={nativeSelect}
            disabled={readOnly}
            value={trigger.event}
            onChange={(e) => set({ event: e.target.value as CampaignTrigger["event"] })}
          >
            {TRIGGER_EVENTS.map((ev) => (
              <option key={ev} value={ev}>
                {TRIGGER_LABEL[ev]}
              </option>
            ))}
          </select>
        </Field>
        {trigger.event === "tag.added" && (
          <Field label="Tag" htmlFor="trigger-tag" error={errors?.tag?.message}>
            <Input
              id="trigger-tag"
              disabled={readOnly}
              value={trigger.tag ?? ""}
              onChange={(e) => set({ event: "tag.added", tag: e.target.value })}
            />
          </Field>
        )}
        {trigger.event === "form.submitted" && (
          <Field label="Form id" htmlFor="trigger-form" error={errors?.formId?.message}>
            <Input
              id="trigger-form"
              disabled={readOnly}
              value={trigger.formId ?? ""}
              onChange={(e) => set({ event: "form.submitted", formId: e.target.value })}
            />
          </Field>
        )}
      </CardContent>
    </Card>
  );
}
