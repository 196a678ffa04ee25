"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, Plus, Save } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { FormProvider, type Path, type Resolver, useFieldArray, useForm, useWatch } from "react-hook-form";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { useUnsavedChangesPrompt } from "@/hooks/use-unsaved-changes";
import type { CampaignType } from "@/lib/enums";
import { toast } from "@/lib/toast";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import type { CampaignWithReach as Campaign } from "@/server/services/email/campaigns";
import { CampaignAbTestCard } from "./campaign-ab-test-card";
import { CampaignStatusPanel, recipientsSentence } from "./campaign-actions";
import { CampaignAudienceCard } from "./campaign-audience-card";
import { CampaignDetailsCard } from "./campaign-details-card";
import {
  type CampaignDraft,
  type CampaignFormOut,
  campaignFormSchema,
  draftFrom,
  EMPTY_STEP,
  newDraft,
} from "./campaign-form";
import { CampaignGoalsCard } from "./campaign-goals-card";
import { legalActions, TYPE_DESCRIPTION, TYPE_LABEL } from "./campaign-meta";
import { CampaignStepCard } from "./campaign-step-card";
import { CampaignTriggerCard } from "./campaign-trigger-card";
import { CampaignEmailPreview } from "./email-preview";
import { SenderMissingBanner } from "./sender-banner";

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
  const form = useForm<CampaignDraft, unknown, CampaignFormOut>({
    resolver: zodResolver(campaignFormSchema) as Resolver<CampaignDraft, unknown, CampaignFormOut>,
    defaultValues: initial,
  });
  const steps = useFieldArray({ control: form.control, name: "steps" });
  const [activeStep, setActiveStep] = useState(0);

  // A saved campaign reloaded after an action (status change) resets the form to what's stored.
  useEffect(() => form.reset(initial), [form, initial]);

  const audience = useWatch({ control: form.control, name: "audience" });
  const audienceSize = useQuery({
    ...trpc.email.campaigns.audienceSize.queryOptions({ workspaceId: ws.id, audience }),
    placeholderData: keepPreviousData,
    retry: false,
  });

  const readOnly = !ws.canWrite || (campaign !== null && !legalActions(campaign.type, campaign.status).edit);
  const dirty = form.formState.isDirty;
  useUnsavedChangesPrompt(dirty && !readOnly);

  const onSaved = async (saved: Campaign, created: boolean) => {
    toast.success(created ? "Campaign created" : "Campaign saved");
    queryClient.setQueryData(
      trpc.email.campaigns.get.queryKey({ workspaceId: ws.id, id: saved.id }),
      (old) => ({ ...saved, recipients: old?.recipients ?? null }),
    );
    await queryClient.invalidateQueries({ queryKey: trpc.email.campaigns.list.queryKey() });
    if (created) router.replace(`/${ws.slug}/email/${saved.id}`);
  };
  const onError = (e: unknown) => {
    for (const [path, message] of Object.entries(fieldErrors(e))) {
      if (message) form.setError(path as Path<CampaignDraft>, { message });
    }
    toast.error(errorMessage(e));
  };
  const create = useMutation(
    trpc.email.campaigns.create.mutationOptions({ onSuccess: (c) => onSaved(c, true), onError }),
  );
  const update = useMutation(
    trpc.email.campaigns.update.mutationOptions({ onSuccess: (c) => onSaved(c, false), onError }),
  );
  const saving = create.isPending || update.isPending;

  const save = form.handleSubmit((values) => {
    if (campaign) update.mutate({ workspaceId: ws.id, id: campaign.id, ...values });
    else create.mutate({ workspaceId: ws.id, type, ...values });
  });

  const watchedSteps = useWatch({ control: form.control, name: "steps" });
  const sender = useWatch({ control: form.control, name: "sender" });
  const shown = Math.min(activeStep, watchedSteps.length - 1);
  const previewStep = watchedSteps[shown] ?? EMPTY_STEP;
  const title = campaign ? campaign.name : `New ${TYPE_LABEL[type].toLowerCase()} campaign`;

  return (
    <FormProvider {...form}>
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
              onClick={() => void save()}
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
          <CampaignDetailsCard readOnly={readOnly} />
          <CampaignAudienceCard
            readOnly={readOnly}
            size={audienceSize.data?.count ?? null}
            sizeError={audienceSize.error}
            reached={
              campaign?.recipients != null ? recipientsSentence(campaign.type, campaign.recipients) : null
            }
          />
          {type === "triggered" && <CampaignTriggerCard readOnly={readOnly} />}
          {type !== "one-time" && campaign && <CampaignGoalsCard campaignId={campaign.id} />}
          {steps.fields.map((field, i) => (
            <CampaignStepCard
              key={field.id}
              index={i}
              count={steps.fields.length}
              type={type}
              readOnly={readOnly}
              campaignId={campaign?.id}
              onFocus={() => setActiveStep(i)}
              onMove={(to) => steps.move(i, to)}
              onRemove={() => steps.remove(i)}
            />
          ))}
          {type === "one-time" && campaign && (
            <CampaignAbTestCard campaignId={campaign.id} readOnly={readOnly} />
          )}
          {type === "sequence" && !readOnly && (
            <Button
              type="button"
              variant="outline"
              className="justify-self-start"
              data-testid="add-step"
              onClick={() => {
                const last = form.getValues("steps").at(-1)?.delayMinutes ?? 0;
                steps.append({ ...EMPTY_STEP, delayMinutes: last + 2 * 1440 }, { shouldFocus: false });
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
              {watchedSteps.length > 1 && (
                <CardDescription>Email {shown + 1} — click into an email to preview it.</CardDescription>
              )}
            </CardHeader>
            <CardContent>
              <CampaignEmailPreview step={previewStep} sender={sender} />
            </CardContent>
          </Card>
        </div>
      </div>
    </FormProvider>
  );
}
