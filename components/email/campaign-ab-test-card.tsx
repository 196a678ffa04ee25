"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { BarChart3, FlaskConical, Plus, Save } from "lucide-react";
import Link from "next/link";
import { useEffect, useState } from "react";
import { useFormContext, useWatch } from "react-hook-form";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { Spinner } from "@/components/ui/spinner";
import { Switch } from "@/components/ui/switch";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import type { AbTestView } from "@/server/services/email/ab-test";
import { EXTRA_LABELS, saveAbTestInput } from "@/server/services/email/ab-test-schemas";
import { AbVariantFields, type VariantDraft } from "./ab-variant-fields";
import { type AbSettingsDraft, AbTestSettingsFields, formatWait } from "./campaign-ab-test-settings";
import type { CampaignDraft } from "./campaign-form";

interface Draft {
  enabled: boolean;
  settings: AbSettingsDraft;
  variants: VariantDraft[];
}

const DEFAULT_SETTINGS: AbSettingsDraft = { sharePercent: 20, metric: "opens", waitMinutes: 4 * 60 };

function draftFrom(view: AbTestView | undefined): Draft {
  const test = view?.test;
  return {
    enabled: Boolean(test),
    settings: test
      ? { sharePercent: test.sharePercent, metric: test.metric, waitMinutes: test.waitMinutes }
      : DEFAULT_SETTINGS,
    variants: (view?.variants ?? [])
      .filter((v): v is typeof v & { label: VariantDraft["label"] } => v.label !== "A")
      .map((v) => ({ label: v.label, subject: v.subject, preheader: v.preheader, body: v.body })),
  };
}

/** Zod issues of the whole input, keyed by their dotted path ("variants.0.subject"). */
function issuesOf(input: unknown): Record<string, string> | null {
  const parsed = saveAbTestInput.safeParse(input);
  if (parsed.success) return null;
  const out: Record<string, string> = {};
  for (const issue of parsed.error.issues) out[issue.path.join(".")] ??= issue.message;
  return out;
}

/**
 * One-time campaigns: variants B–D of the email (A is the email above), the share of the audience
 * they are tested on, how the winner is chosen and how long to wait. Saved on its own button.
 */
export function CampaignAbTestCard({ campaignId, readOnly }: { campaignId: string; readOnly: boolean }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const view = useQuery(trpc.emailAbTest.get.queryOptions({ workspaceId: ws.id, campaignId }));
  const [draft, setDraft] = useState<Draft>(() => draftFrom(undefined));
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const { control } = useFormContext<CampaignDraft>();
  const subjectA = useWatch({ control, name: "steps.0.subject" });

  useEffect(() => {
    if (view.data) {
      setDraft(draftFrom(view.data));
      setDirty(false);
    }
  }, [view.data]);

  const save = useMutation(
    trpc.emailAbTest.save.mutationOptions({
      onSuccess: (saved) => {
        toast.success(saved.test ? "A/B test saved" : "A/B test removed");
        queryClient.setQueryData(trpc.emailAbTest.get.queryKey({ workspaceId: ws.id, campaignId }), saved);
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );

  const started = view.data?.test?.phase !== undefined;
  const editable =
    !readOnly &&
    ws.canWrite &&
    !started &&
    (view.data?.status === "draft" || view.data?.status === "scheduled");
  const update = (next: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...next }));
    setDirty(true);
  };
  const setVariant = (i: number, v: VariantDraft) =>
    update({ variants: draft.variants.map((old, j) => (j === i ? v : old)) });

  const submit = () => {
    const input = {
      workspaceId: ws.id,
      campaignId,
      settings: draft.enabled ? draft.settings : null,
      variants: draft.enabled ? draft.variants : [],
    };
    const problems = issuesOf(input);
    setErrors(problems ?? {});
    if (problems) return toast.error(Object.values(problems)[0] ?? "Check the A/B test");
    save.mutate(input);
  };

  return (
    <Card data-testid="ab-test-card">
      <CardHeader className="flex flex-row items-start justify-between gap-4">
        <div className="grid gap-1.5">
          <CardTitle className="flex items-center gap-2">
            <FlaskConical aria-hidden className="size-4" />
            A/B test
          </CardTitle>
          <CardDescription>
            Try up to four versions on a share of the audience; the one more people open (or click) goes to
            everyone else.
          </CardDescription>
        </div>
        <div className="flex shrink-0 items-center gap-2 whitespace-nowrap">
          <Switch
            id="ab-enabled"
            data-testid="ab-enabled"
            checked={draft.enabled}
            disabled={!editable}
            onCheckedChange={(on) =>
              update({
                enabled: on,
                variants: on && draft.variants.length === 0 ? [newVariant("B")] : draft.variants,
              })
            }
          />
          <Label htmlFor="ab-enabled">Run a test</Label>
        </div>
      </CardHeader>
      {draft.enabled && (
        <CardContent className="grid gap-4">
          {started && view.data?.test && (
            <p className="rounded-lg border bg-muted/40 p-3 text-sm" data-testid="ab-started">
              {view.data.test.phase === "testing"
                ? `Testing on ${view.data.test.testSize ?? 0} people; the winner is chosen after ${formatWait(view.data.test.waitMinutes)}.`
                : "The winner has been chosen."}{" "}
              <Link className="underline" href={`/${ws.slug}/email/${campaignId}/report`}>
                <BarChart3 aria-hidden className="inline size-3.5" /> See the report
              </Link>
            </p>
          )}
          <AbTestSettingsFields
            value={draft.settings}
            onChange={(settings) => update({ settings })}
            disabled={!editable}
            errors={errors}
          />
          <div className="rounded-lg border border-dashed p-4 text-sm">
            <span className="font-semibold">Variant A</span> is the email above
            {subjectA ? (
              <>
                : <span className="text-muted-foreground">“{subjectA}”</span>
              </>
            ) : (
              "."
            )}
          </div>
          {draft.variants.map((v, i) => (
            <AbVariantFields
              key={v.label}
              index={i}
              value={v}
              disabled={!editable}
              errors={errors}
              onChange={(next) => setVariant(i, next)}
              onRemove={
                i === draft.variants.length - 1 && i > 0
                  ? () => update({ variants: draft.variants.slice(0, -1) })
                  : undefined
              }
            />
          ))}
          {errors.variants && <p className="text-sm text-destructive">{errors.variants}</p>}
          {editable && (
            <div className="flex flex-wrap gap-2">
              {draft.variants.length < EXTRA_LABELS.length && (
                <Button
                  type="button"
                  variant="outline"
                  data-testid="ab-add-variant"
                  onClick={() =>
                    update({
                      variants: [...draft.variants, newVariant(EXTRA_LABELS[draft.variants.length]!)],
                    })
                  }
                >
                  <Plus aria-hidden />
                  Add variant {EXTRA_LABELS[draft.variants.length]}
                </Button>
              )}
            </div>
          )}
        </CardContent>
      )}
      {editable && (dirty || draft.enabled) && (
        <CardContent>
          <Button type="button" data-testid="ab-save" onClick={submit} disabled={save.isPending || !dirty}>
            {save.isPending ? <Spinner /> : <Save aria-hidden />}
            {draft.enabled ? "Save A/B test" : "Remove A/B test"}
          </Button>
        </CardContent>
      )}
    </Card>
  );
}

function newVariant(label: VariantDraft["label"]): VariantDraft {
  return { label, subject: "", preheader: "", body: "" };
}
