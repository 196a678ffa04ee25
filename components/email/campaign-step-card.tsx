"use client";

import { useQuery } from "@tanstack/react-query";
import { ArrowDown, ArrowUp, type LucideIcon, Trash2 } from "lucide-react";
import { useRef } from "react";
import { Controller, useFormContext, useWatch } from "react-hook-form";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { InsertLinkButton } from "@/components/links/insert-link-button";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import type { CampaignType } from "@/lib/enums";
import { useTRPC } from "@/lib/trpc/client";
import { BlockEditor } from "./blocks/block-editor";
import { type CampaignDraft, formatDelay } from "./campaign-form";
import { SendTestDialog } from "./send-test-dialog";
import { StepFormatSwitch, StepTemplateActions } from "./step-template-actions";

const DAY = 1440;

/** One email of a campaign: wait (sequences), subject, preheader, Markdown body with merge tags. */
export function CampaignStepCard({
  index: i,
  count,
  type,
  readOnly,
  campaignId,
  onFocus,
  onMove,
  onRemove,
}: {
  index: number;
  count: number;
  type: CampaignType;
  readOnly: boolean;
  campaignId?: string;
  onFocus: () => void;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const mergeFields = useQuery(trpc.email.campaigns.mergeFields.queryOptions({ workspaceId: ws.id }));
  // A saved step's id (steps keep theirs by position), to tie tracked links to it.
  const linkSteps = useQuery({
    ...trpc.links.steps.queryOptions({ workspaceId: ws.id }),
    enabled: Boolean(campaignId) && !readOnly,
  });
  const stepId = linkSteps.data?.find((s) => s.campaignId === campaignId && s.position === i)?.id;
  const { control, register, formState, getValues, setValue } = useFormContext<CampaignDraft>();
  const step = useWatch({ control, name: `steps.${i}` });
  const errors = formState.errors.steps?.[i];
  const bodyRef = useRef<HTMLTextAreaElement | null>(null);
  const body = register(`steps.${i}.body`);

  const insertTag = (tag: string) => {
    const el = bodyRef.current;
    const text = getValues(`steps.${i}.body`) ?? "";
    const at = el?.selectionStart ?? text.length;
    setValue(`steps.${i}.body`, text.slice(0, at) + tag + text.slice(el?.selectionEnd ?? at), {
      shouldDirty: true,
    });
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + tag.length, at + tag.length);
    });
  };

  return (
    <Card data-testid={`campaign-step-${i}`} onFocusCapture={onFocus}>
      <CardHeader className="flex flex-row items-start justify-between gap-2">
        <div>
          <CardTitle>{type === "one-time" ? "Email" : `Email ${i + 1}`}</CardTitle>
          {type !== "one-time" && (
            <CardDescription>
              {type === "sequence"
                ? step.delayMinutes === 0
                  ? "Sent at enrolment"
                  : `Sent ${formatDelay(step.delayMinutes)} after enrolment`
                : "Sent when the trigger fires"}
            </CardDescription>
          )}
        </div>
        <div className="flex gap-1">
          {type === "sequence" && !readOnly && (
            <>
              <StepButton label="Move up" icon={ArrowUp} disabled={i === 0} onClick={() => onMove(i - 1)} />
              <StepButton
                label="Move down"
                icon={ArrowDown}
                disabled={i === count - 1}
                onClick={() => onMove(i + 1)}
              />
              <StepButton label="Remove email" icon={Trash2} disabled={count === 1} onClick={onRemove} />
            </>
          )}
        </div>
      </CardHeader>
      <CardContent className="grid gap-4">
        {type === "sequence" && (
          <Controller
            control={control}
            name={`steps.${i}.delayMinutes`}
            render={({ field }) => (
              <div className="grid grid-cols-2 gap-4 sm:max-w-sm">
                <Field label="Wait (days)" htmlFor={`delay-days-${i}`} error={errors?.delayMinutes?.message}>
                  <Input
                    id={`delay-days-${i}`}
                    type="number"
                    min={0}
                    disabled={readOnly}
                    value={Math.floor(field.value / DAY)}
                    onChange={(e) =>
                      field.onChange(Math.max(0, Number(e.target.value) || 0) * DAY + (field.value % DAY))
                    }
                  />
                </Field>
                <Field label="and hours" htmlFor={`delay-hours-${i}`}>
                  <Input
                    id={`delay-hours-${i}`}
                    type="number"
                    min={0}
                    max={23}
                    disabled={readOnly}
                    value={Math.floor((field.value % DAY) / 60)}
                    onChange={(e) =>
                      field.onChange(
                        Math.floor(field.value / DAY) * DAY +
                          Math.min(23, Math.max(0, Number(e.target.value) || 0)) * 60,
                      )
                    }
                  />
                </Field>
              </div>
            )}
          />
        )}
        <Field label="Subject" htmlFor={`step-subject-${i}`} error={errors?.subject?.message}>
          <Input
            id={`step-subject-${i}`}
            data-testid="step-subject"
            disabled={readOnly}
            placeholder="Three new decks for November"
            {...register(`steps.${i}.subject`)}
          />
        </Field>
        <Field
          label="Preheader"
          htmlFor={`step-preheader-${i}`}
          hint="The line inboxes show after the subject."
          error={errors?.preheader?.message}
        >
          <Input id={`step-preheader-${i}`} disabled={readOnly} {...register(`steps.${i}.preheader`)} />
        </Field>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <StepFormatSwitch index={i} readOnly={readOnly} />
          <StepTemplateActions index={i} readOnly={readOnly} />
        </div>
        {step.format === "blocks" ? (
          <BlockEditor index={i} readOnly={readOnly} />
        ) : (
          <>
            <Field label="Body (Markdown)" htmlFor={`step-body-${i}`} error={errors?.body?.message}>
              <Textarea
                id={`step-body-${i}`}
                data-testid="step-body"
                rows={12}
                disabled={readOnly}
                className="font-mono text-sm"
                {...body}
                ref={(el) => {
                  body.ref(el);
                  bodyRef.current = el;
                }}
              />
            </Field>
            {!readOnly && (
              <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label="Merge tags">
                <span className="text-xs text-muted-foreground">Insert:</span>
                <InsertLinkButton
                  campaignStepId={stepId}
                  onInsert={(url, label) => {
                    onFocus();
                    requestAnimationFrame(() => insertTag(label ? `[${label}](${url})` : url));
                  }}
                />
                {(mergeFields.data ?? []).map((m) => (
                  <button
                    key={m.tag}
                    type="button"
                    title={m.label}
                    onClick={() => {
                      onFocus();
                      requestAnimationFrame(() => insertTag(m.tag));
                    }}
                    className="rounded border bg-muted/50 px-1.5 py-0.5 font-mono text-xs hover:bg-accent"
                  >
                    {m.tag}
                  </button>
                ))}
              </div>
            )}
          </>
        )}
        {ws.canWrite && (
          <div>
            <SendTestDialog campaignId={campaignId} step={step} />
          </div>
        )}
      </CardContent>
    </Card>
  );
}

/** An icon button of a sequence step's header (move, remove). */
function StepButton({
  label,
  icon: Icon,
  disabled,
  onClick,
}: {
  label: string;
  icon: LucideIcon;
  disabled: boolean;
  onClick: () => void;
}) {
  return (
    <Button
      type="button"
      size="icon"
      variant="ghost"
      aria-label={label}
      disabled={disabled}
      onClick={onClick}
    >
      <Icon aria-hidden />
    </Button>
  );
}
