"use client";

import { useQuery } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useState } from "react";
import { useFormContext, useWatch } from "react-hook-form";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { ConditionRow, defaultCondition } from "@/components/segments/condition-row";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import type { AudienceInput } from "@/server/services/email/campaign-schemas";
import type { SegmentCondition } from "@/server/services/segments/criteria-schemas";
import { ALL_ACTIVE, type CampaignDraft } from "./campaign-form";
import { nativeSelect } from "./campaign-meta";

/** Who receives the campaign: all active leads, a saved segment (copied on save) or rules of its own. */
export function CampaignAudienceCard({
  readOnly,
  size,
  sizeError,
  reached,
}: {
  readOnly: boolean;
  size: number | null;
  sizeError: unknown;
  /** Once the campaign has started: who it reached. */
  reached: string | null;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const segments = useQuery(trpc.segments.list.queryOptions({ workspaceId: ws.id }));
  const { control, setValue } = useFormContext<CampaignDraft>();
  const audience = useWatch({ control, name: "audience" });
  const setAudience = (next: AudienceInput) => setValue("audience", next, { shouldDirty: true });
  const setConditions = (conditions: SegmentCondition[]) =>
    setAudience({ ...audience, criteria: { ...audience.criteria, conditions } });

  const mode: "all" | "segment" | "rules" = audience.segmentId
    ? "segment"
    : audience.criteria.conditions.length > 0
      ? "rules"
      : "all";
  // "Rules of its own" with every condition removed stays in rules mode until another choice.
  const [rulesMode, setRulesMode] = useState(mode === "rules");
  const audienceMode = rulesMode && mode === "all" ? "rules" : mode;
  const conditions = audience.criteria.conditions;

  return (
    <Card>
      <CardHeader>
        <CardTitle>Audience</CardTitle>
        <CardDescription>
          {reached ??
            (size !== null
              ? `${size.toLocaleString()} active ${size === 1 ? "lead matches" : "leads match"} now.`
              : "Unsubscribed, bounced and complained leads are never sent to.")}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <Field label="Send to" htmlFor="audience-mode">
          <select
            id="audience-mode"
            data-testid="campaign-audience"
            className={nativeSelect}
            disabled={readOnly}
            value={audienceMode === "segment" ? `segment:${audience.segmentId}` : audienceMode}
            onChange={(e) => {
              const v = e.target.value;
              setRulesMode(v === "rules");
              if (v.startsWith("segment:"))
                setAudience({ ...ALL_ACTIVE, segmentId: v.slice("segment:".length) });
              else if (v === "rules")
                setAudience({
                  segmentId: null,
                  criteria: { match: "all", conditions: [defaultCondition("tag")] },
                });
              else setAudience(ALL_ACTIVE);
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
                value={audience.criteria.match}
                onChange={(e) =>
                  setAudience({
                    ...audience,
                    criteria: { ...audience.criteria, match: e.target.value as "all" | "any" },
                  })
                }
              >
                <option value="all">all</option>
                <option value="any">any</option>
              </select>
              of these conditions
            </div>
            {conditions.map((c, i) => (
              <ConditionRow
                key={i}
                index={i}
                condition={c}
                tags={[]}
                customFields={[]}
                campaigns={null}
                disabled={readOnly}
                onChange={(next) => setConditions(conditions.map((x, j) => (j === i ? next : x)))}
                onRemove={() => setConditions(conditions.filter((_, j) => j !== i))}
              />
            ))}
            {!readOnly && (
              <Button
                type="button"
                variant="outline"
                size="sm"
                className="justify-self-start"
                onClick={() => setConditions([...conditions, defaultCondition("tag")])}
              >
                <Plus aria-hidden />
                Add condition
              </Button>
            )}
            {sizeError ? <p className="text-sm text-destructive">{errorMessage(sizeError)}</p> : null}
          </div>
        )}
      </CardContent>
    </Card>
  );
}
