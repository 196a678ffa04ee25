"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowDown, ArrowLeft, ArrowUp, Plus, Save, Trash2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { toast } from "sonner";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { ConditionRow, defaultCondition } from "@/components/segments/condition-row";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import type { CampaignType } from "@/server/db/schema/email";
import {
  type AudienceInput,
  type CampaignTrigger,
  type SenderOverrides,
  type StepInput,
  TRIGGER_EVENTS,
} from "@/server/services/email/campaign-schemas";
import type { Campaign } from "@/server/services/email/campaigns";
import { CampaignStatusPanel, SendTestDialog } from "./campaign-actions";
import { legalActions, nativeSelect, TYPE_DESCRIPTION, TYPE_LABEL } from "./campaign-meta";
import { CampaignEmailPreview } from "./email-preview";
import { SenderMissingBanner } from "./sender-banner";

interface Draft {
  name: string;
  sender: SenderOverrides;
  audience: AudienceInput;
  trigger: CampaignTrigger | null;
  steps: StepInput[];
}

const EMPTY_STEP: StepInput = { subject: "", preheader: "", body: "", delayMinutes: 0 };
const ALL_ACTIVE: AudienceInput = { segmentId: null, criteria: { match: "all", conditions: [] } };

const TRIGGER_LABEL: Record<CampaignTrigger["event"], string> = {
  "lead.created": "A lead is created",
  "tag.added": "A tag is added to a lead",
  "form.submitted": "A signup form is submitted",
};

function draftFrom(c: Campaign): Draft {
  return {
    name: c.name,
    sender: c.sender,
    audience: c.audience,
    trigger: c.trigger,
    steps: c.steps.map((s) => ({
      subject: s.subject,
      preheader: s.preheader,
      body: s.body,
      delayMinutes: s.delayMinutes,
    })),
  };
}

function newDraft(type: CampaignType): Draft {
  return {
    name: "",
    sender: { fromName: "", fromEmail: "", replyTo: "" },
    audience: ALL_ACTIVE,
    trigger: type === "triggered" ? { event: "lead.created" } : null,
    steps: [{ ...EMPTY_STEP, body: "Hi {{first_name|there}},\n\n" }],
  };
}

/** The editor for a new campaign (`type`) or an existing one (`id`). */
export function CampaignEditor({ id, type: newType }: { id?: string; type?: CampaignType }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const campaign = useQuery({
    ...trpc.email.campaigns.get.queryOptions({ workspaceId: ws.id, id: id ?? "" }),
    enabled: Boolean(id),
  });
  if (id && !campaign.data) {
    if (campaign.error) return <p className="text-destructive">{errorMessage(campaign.error)}</p>;
    return (
      <div className="grid gap-4" aria-busy="true">
        <Skeleton className="h-10 w-1/3" />
        <Skeleton className="h-64 w-full" />
      </div>
    );
  }
  const type = campaign.data?.type ?? newType ?? "one-time";
  return <EditorForm key={campaign.data?.id ?? "new"} type={type} campaign={campaign.data ?? null} />;
}

function EditorForm({ type, campaign }: { type: CampaignType; campaign: Campaign | null }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const initial = useMemo(() => (campaign ? draftFrom(campaign) : newDraft(type)), [campaign, type]);
  const [draft, setDraft] = useState<Draft>(initial);
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [activeStep, setActiveStep] = useState(0);
  const bodyRefs = useRef<(HTMLTextAreaElement | null)[]>([]);

  // A saved campaign reloaded after an action (status change) resets the form to what's stored.
  useEffect(() => setDraft(initial), [initial]);

  const sender = useQuery(trpc.email.sender.get.queryOptions({ workspaceId: ws.id }));
  const segments = useQuery(trpc.segments.list.queryOptions({ workspaceId: ws.id }));
  const mergeFields = useQuery(trpc.email.campaigns.mergeFields.queryOptions({ workspaceId: ws.id }));
  const audienceSize = useQuery({
    ...trpc.email.campaigns.audienceSize.queryOptions({ workspaceId: ws.id, audience: draft.audience }),
    placeholderData: keepPreviousData,
    retry: false,
  });

  const readOnly = !ws.canWrite || (campaign !== null && !legalActions(campaign.type, campaign.status).edit);
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial);
  const mode: "all" | "segment" | "rules" = draft.audience.segmentId
    ? "segment"
    : draft.audience.criteria.conditions.length > 0
      ? "rules"
      : "all";
  const [rulesMode, setRulesMode] = useState(mode === "rules");
  const audienceMode = rulesMode && mode === "all" ? "rules" : mode;

  const onSaved = async (saved: Campaign, created: boolean) => {
    setErrors({});
    toast.success(created ? "Campaign created" : "Campaign saved");
    queryClient.setQueryData(trpc.email.campaigns.get.queryKey({ workspaceId: ws.id, id: saved.id }), saved);
    await queryClient.invalidateQueries({ queryKey: trpc.email.campaigns.list.queryKey() });
    if (created) router.replace(`/${ws.slug}/email/${saved.id}`);
  };
  const onError = (e: unknown) => {
    setErrors(fieldErrors(e));
    toast.error(errorMessage(e));
  };
  const create = useMutation(
    trpc.email.campaigns.create.mutationOptions({ onSuccess: (c) => onSaved(c, true), onError }),
  );
  const update = useMutation(
    trpc.email.campaigns.update.mutationOptions({ onSuccess: (c) => onSaved(c, false), onError }),
  );
  const saving = create.isPending || update.isPending;

  const save = () => {
    const body = {
      name: draft.name,
      sender: draft.sender,
      audience: draft.audience,
      steps: draft.steps,
      trigger: draft.trigger,
    };
    if (campaign) update.mutate({ workspaceId: ws.id, id: campaign.id, ...body });
    else create.mutate({ workspaceId: ws.id, type, ...body });
  };

  const setStep = (i: number, patch: Partial<StepInput>) =>
    setDraft((d) => ({ ...d, steps: d.steps.map((s, j) => (j === i ? { ...s, ...patch } : s)) }));
  const moveStep = (i: number, dir: -1 | 1) =>
    setDraft((d) => {
      const steps = [...d.steps];
      const [s] = steps.splice(i, 1);
      steps.splice(i + dir, 0, s!);
      return { ...d, steps };
    });
  const insertTag = (tag: string) => {
    const el = bodyRefs.current[activeStep];
    const body = draft.steps[activeStep]?.body ?? "";
    const at = el?.selectionStart ?? body.length;
    setStep(activeStep, { body: body.slice(0, at) + tag + body.slice(el?.selectionEnd ?? at) });
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + tag.length, at + tag.length);
    });
  };

  const previewStep = draft.steps[Math.min(activeStep, draft.steps.length - 1)] ?? EMPTY_STEP;
  const title = campaign ? campaign.name : `New ${TYPE_LABEL[type].toLowerCase()} campaign`;

  return (
    <>
      <Button variant="ghost" size="sm" className="mb-2 -ml-2" asChild>
        <Link href={`/${ws.slug}/email`}>
          <ArrowLeft aria-hidden />
          Campaigns
        </Link>
      </Button>
      <PageHeader
        title={title}
        description={TYPE_DESCRIPTION[type]}
        actions={
          !readOnly && (
            <Button
              data-testid="campaign-save"
              onClick={save}
              disabled={saving || (campaign !== null && !dirty)}
            >
              {saving ? <Spinner /> : <Save aria-hidden />}
              {campaign ? "Save changes" : "Create campaign"}
            </Button>
          )
        }
      />
      <SenderMissingBanner />
      {campaign && readOnly && ws.canWrite && (
        <p className="mb-4 rounded-lg border bg-muted/40 p-3 text-sm text-muted-foreground">
          This campaign is {campaign.status}.{" "}
          {campaign.status === "active" || campaign.status === "sending"
            ? "Pause it to edit."
            : "It can no longer be edited — duplicate it to reuse its content."}
        </p>
      )}
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,26rem)] lg:grid-rows-[auto_1fr]">
        {campaign && (
          <div className="min-w-0 lg:col-start-2 lg:row-start-1">
            <CampaignStatusPanel
              campaign={campaign}
              audienceSize={audienceSize.data?.count ?? null}
              dirty={dirty}
            />
          </div>
        )}
        <div className="grid min-w-0 content-start gap-6 lg:col-start-1 lg:row-span-2 lg:row-start-1">
          <Card>
            <CardHeader>
              <CardTitle>Details</CardTitle>
            </CardHeader>
            <CardContent className="grid gap-4">
              <Field label="Campaign name" htmlFor="campaign-name" error={errors.name}>
                <Input
                  id="campaign-name"
                  data-testid="campaign-name"
                  disabled={readOnly}
                  value={draft.name}
                  placeholder="November newsletter"
                  onChange={(e) => setDraft({ ...draft, name: e.target.value })}
                />
              </Field>
              <div className="grid gap-4 sm:grid-cols-3">
                <Field label="From name" htmlFor="from-name" error={errors["sender.fromName"]}>
                  <Input
                    id="from-name"
                    disabled={readOnly}
                    value={draft.sender.fromName}
                    placeholder={sender.data?.fromName ?? "Workspace default"}
                    onChange={(e) =>
                      setDraft({ ...draft, sender: { ...draft.sender, fromName: e.target.value } })
                    }
                  />
                </Field>
                <Field label="From address" htmlFor="from-email" error={errors["sender.fromEmail"]}>
                  <Input
                    id="from-email"
                    type="email"
                    disabled={readOnly}
                    value={draft.sender.fromEmail}
                    placeholder={sender.data?.fromEmail ?? "Workspace default"}
                    onChange={(e) =>
                      setDraft({ ...draft, sender: { ...draft.sender, fromEmail: e.target.value } })
                    }
                  />
                </Field>
                <Field label="Reply-to" htmlFor="reply-to" error={errors["sender.replyTo"]}>
                  <Input
                    id="reply-to"
                    type="email"
                    disabled={readOnly}
                    value={draft.sender.replyTo}
                    placeholder={sender.data?.replyTo || "Same as from"}
                    onChange={(e) =>
                      setDraft({ ...draft, sender: { ...draft.sender, replyTo: e.target.value } })
                    }
                  />
                </Field>
              </div>
              <p className="text-xs text-muted-foreground">
                Leave the sender fields empty to use the workspace's{" "}
                <Link href={`/${ws.slug}/settings/sending`} className="underline">
                  sending settings
                </Link>
                .
              </p>
            </CardContent>
          </Card>

          <Card>
            <CardHeader>
              <CardTitle>Audience</CardTitle>
              <CardDescription>
                {audienceSize.data
                  ? `${audienceSize.data.count.toLocaleString()} active ${audienceSize.data.count === 1 ? "lead matches" : "leads match"} now.`
                  : "Unsubscribed, bounced and complained leads are never sent to."}
              </CardDescription>
            </CardHeader>
            <CardContent className="grid gap-4">
              <Field label="Send to" htmlFor="audience-mode">
                <select
                  id="audience-mode"
                  data-testid="campaign-audience"
                  className={nativeSelect}
                  disabled={readOnly}
                  value={audienceMode === "segment" ? `segment:${draft.audience.segmentId}` : audienceMode}
                  onChange={(e) => {
                    const v = e.target.value;
                    setRulesMode(v === "rules");
                    if (v.startsWith("segment:"))
                      setDraft({
                        ...draft,
                        audience: { ...ALL_ACTIVE, segmentId: v.slice("segment:".length) },
                      });
                    else if (v === "rules")
                      setDraft({
                        ...draft,
                        audience: {
                          segmentId: null,
                          criteria: { match: "all", conditions: [defaultCondition("tag")] },
                        },
                      });
                    else setDraft({ ...draft, audience: ALL_ACTIVE });
                  }}
                >
                  <option value="all">All active leads</option>
                  {(segments.data ?? []).map((s) => (
                    <option key={s.id} value={`segment:${s.id}`}>
                      Segment: {s.name}
                    </option>
                  ))}
                  <option value="rules">Rules of its own…</option>
                </select>
              </Field>
              {audienceMode === "segment" && (
                <p className="text-xs text-muted-foreground">
                  The segment's rules are copied when you save; later edits to the segment don't change this
                  campaign until you pick it again.
                </p>
              )}
              {audienceMode === "rules" && (
                <div className="grid gap-3">
                  <div className="flex items-center gap-2 text-sm">
                    Match
                    <select
                      aria-label="Match all or any"
                      className={`${nativeSelect} w-auto`}
                      disabled={readOnly}
                      value={draft.audience.criteria.match}
                      onChange={(e) =>
                        setDraft({
                          ...draft,
                          audience: {
                            ...draft.audience,
                            criteria: { ...draft.audience.criteria, match: e.target.value as "all" | "any" },
                          },
                        })
                      }
                    >
                      <option value="all">all</option>
                      <option value="any">any</option>
                    </select>
                    of these conditions
                  </div>
                  {draft.audience.criteria.conditions.map((c, i) => (
                    <ConditionRow
                      key={i}
                      index={i}
                      condition={c}
                      tags={[]}
                      customFields={[]}
                      campaigns={null}
                      disabled={readOnly}
                      onChange={(next) =>
                        setDraft({
                          ...draft,
                          audience: {
                            ...draft.audience,
                            criteria: {
                              ...draft.audience.criteria,
                              conditions: draft.audience.criteria.conditions.map((x, j) =>
                                j === i ? next : x,
                              ),
                            },
                          },
                        })
                      }
                      onRemove={() =>
                        setDraft({
                          ...draft,
                          audience: {
                            ...draft.audience,
                            criteria: {
                              ...draft.audience.criteria,
                              conditions: draft.audience.criteria.conditions.filter((_, j) => j !== i),
                            },
                          },
                        })
                      }
                    />
                  ))}
                  {!readOnly && (
                    <Button
                      type="button"
                      variant="outline"
                      size="sm"
                      className="justify-self-start"
                      onClick={() =>
                        setDraft({
                          ...draft,
                          audience: {
                            ...draft.audience,
                            criteria: {
                              ...draft.audience.criteria,
                              conditions: [...draft.audience.criteria.conditions, defaultCondition("tag")],
                            },
                          },
                        })
                      }
                    >
                      <Plus aria-hidden />
                      Add condition
                    </Button>
                  )}
                  {audienceSize.error && (
                    <p className="text-sm text-destructive">{errorMessage(audienceSize.error)}</p>
                  )}
                </div>
              )}
            </CardContent>
          </Card>

          {type === "triggered" && draft.trigger && (
            <Card>
              <CardHeader>
                <CardTitle>Trigger</CardTitle>
                <CardDescription>
                  When it starts for a lead. Only new events count once it's active.
                </CardDescription>
              </CardHeader>
              <CardContent className="grid gap-4 sm:grid-cols-2">
                <Field label="Starts when" htmlFor="trigger-event" error={errors.trigger}>
                  <select
                    id="trigger-event"
                    className={nativeSelect}
                    disabled={readOnly}
                    value={draft.trigger.event}
                    onChange={(e) =>
                      setDraft({ ...draft, trigger: { event: e.target.value as CampaignTrigger["event"] } })
                    }
                  >
                    {TRIGGER_EVENTS.map((ev) => (
                      <option key={ev} value={ev}>
                        {TRIGGER_LABEL[ev]}
                      </option>
                    ))}
                  </select>
                </Field>
                {draft.trigger.event === "tag.added" && (
                  <Field label="Tag" htmlFor="trigger-tag" error={errors["trigger.tag"]}>
                    <Input
                      id="trigger-tag"
                      disabled={readOnly}
                      value={draft.trigger.tag ?? ""}
                      onChange={(e) =>
                        setDraft({ ...draft, trigger: { event: "tag.added", tag: e.target.value } })
                      }
                    />
                  </Field>
                )}
                {draft.trigger.event === "form.submitted" && (
                  <Field label="Form id" htmlFor="trigger-form" error={errors["trigger.formId"]}>
                    <Input
                      id="trigger-form"
                      disabled={readOnly}
                      value={draft.trigger.formId ?? ""}
                      onChange={(e) =>
                        setDraft({ ...draft, trigger: { event: "form.submitted", formId: e.target.value } })
                      }
                    />
                  </Field>
                )}
              </CardContent>
            </Card>
          )}

          {draft.steps.map((step, i) => (
            <Card key={i} data-testid={`campaign-step-${i}`} onFocusCapture={() => setActiveStep(i)}>
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
                      <Button
                        type="button"
                        size="icon"
                        variant="ghost"
                        aria-label="Move up"
                        disabled={i === 0}
                        onClick={() => moveStep(i, -1)}
                      >
                        <ArrowUp aria-hidden />
                      </Button>
                      <Button
                        type="button"
                        size="icon"
                        variant="ghost"
                        aria-label="Move down"
                        disabled={i === draft.steps.length - 1}
                        onClick={() => moveStep(i, 1)}
                      >
                        <ArrowDown aria-hidden />
                      </Button>
                      <Button
                        type="button"
                        size="icon"
                        variant="ghost"
                        aria-label="Remove email"
                        disabled={draft.steps.length === 1}
                        onClick={() => setDraft({ ...draft, steps: draft.steps.filter((_, j) => j !== i) })}
                      >
                        <Trash2 aria-hidden />
                      </Button>
                    </>
                  )}
                </div>
              </CardHeader>
              <CardContent className="grid gap-4">
                {type === "sequence" && (
                  <div className="grid grid-cols-2 gap-4 sm:max-w-sm">
                    <Field
                      label="Wait (days)"
                      htmlFor={`delay-days-${i}`}
                      error={errors[`steps.${i}.delayMinutes`]}
                    >
                      <Input
                        id={`delay-days-${i}`}
                        type="number"
                        min={0}
                        disabled={readOnly}
                        value={Math.floor(step.delayMinutes / 1440)}
                        onChange={(e) =>
                          setStep(i, {
                            delayMinutes:
                              Math.max(0, Number(e.target.value) || 0) * 1440 + (step.delayMinutes % 1440),
                          })
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
                        value={Math.floor((step.delayMinutes % 1440) / 60)}
                        onChange={(e) =>
                          setStep(i, {
                            delayMinutes:
                              Math.floor(step.delayMinutes / 1440) * 1440 +
                              Math.min(23, Math.max(0, Number(e.target.value) || 0)) * 60,
                          })
                        }
                      />
                    </Field>
                  </div>
                )}
                <Field label="Subject" htmlFor={`step-subject-${i}`} error={errors[`steps.${i}.subject`]}>
                  <Input
                    id={`step-subject-${i}`}
                    data-testid="step-subject"
                    disabled={readOnly}
                    value={step.subject}
                    placeholder="Three new decks for November"
                    onChange={(e) => setStep(i, { subject: e.target.value })}
                  />
                </Field>
                <Field
                  label="Preheader"
                  htmlFor={`step-preheader-${i}`}
                  hint="The line inboxes show after the subject."
                  error={errors[`steps.${i}.preheader`]}
                >
                  <Input
                    id={`step-preheader-${i}`}
                    disabled={readOnly}
                    value={step.preheader}
                    onChange={(e) => setStep(i, { preheader: e.target.value })}
                  />
                </Field>
                <Field label="Body (Markdown)" htmlFor={`step-body-${i}`} error={errors[`steps.${i}.body`]}>
                  <Textarea
                    id={`step-body-${i}`}
                    data-testid="step-body"
                    ref={(el) => {
                      bodyRefs.current[i] = el;
                    }}
                    rows={12}
                    disabled={readOnly}
                    className="font-mono text-sm"
                    value={step.body}
                    onChange={(e) => setStep(i, { body: e.target.value })}
                  />
                </Field>
                {!readOnly && (
                  <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label="Merge tags">
                    <span className="text-xs text-muted-foreground">Insert:</span>
                    {(mergeFields.data ?? []).map((m) => (
                      <button
                        key={m.tag}
                        type="button"
                        title={m.label}
                        onClick={() => {
                          setActiveStep(i);
                          requestAnimationFrame(() => insertTag(m.tag));
                        }}
                        className="rounded border bg-muted/50 px-1.5 py-0.5 font-mono text-xs hover:bg-accent"
                      >
                        {m.tag}
                      </button>
                    ))}
                  </div>
                )}
                {ws.canWrite && (
                  <div>
                    <SendTestDialog campaignId={campaign?.id} step={step} />
                  </div>
                )}
              </CardContent>
            </Card>
          ))}
          {type === "sequence" && !readOnly && (
            <Button
              type="button"
              variant="outline"
              className="justify-self-start"
              data-testid="add-step"
              onClick={() => {
                const last = draft.steps.at(-1)?.delayMinutes ?? 0;
                setDraft({
                  ...draft,
                  steps: [...draft.steps, { ...EMPTY_STEP, delayMinutes: last + 2 * 1440 }],
                });
              }}
            >
              <Plus aria-hidden />
              Add email
            </Button>
          )}
        </div>

        <div className="min-w-0 lg:col-start-2 lg:row-start-2">
          <Card className="lg:sticky lg:top-20">
            <CardHeader>
              <CardTitle>Preview</CardTitle>
              {draft.steps.length > 1 && (
                <CardDescription>
                  Email {Math.min(activeStep, draft.steps.length - 1) + 1} — click into an email to preview
                  it.
                </CardDescription>
              )}
            </CardHeader>
            <CardContent>
              <CampaignEmailPreview step={previewStep} sender={draft.sender} />
            </CardContent>
          </Card>
        </div>
      </div>
    </>
  );
}

function formatDelay(minutes: number) {
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  return (
    [d && `${d} day${d === 1 ? "" : "s"}`, h && `${h} hour${h === 1 ? "" : "s"}`].filter(Boolean).join(" ") ||
    "0 hours"
  );
}
