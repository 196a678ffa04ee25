"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus, Users } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CardSection } from "@/components/ui/card-section";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { useDebouncedValue } from "@/hooks/use-debounce";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { cn } from "@/lib/utils";
import {
  type SegmentCondition,
  type SegmentCriteria,
  segmentConditionSchema,
} from "@/server/services/segments/criteria-schemas";
import { conditionProblems, criteriaProblems } from "@/server/services/segments/schemas";
import { ConditionRow, defaultCondition } from "./condition-row";

/** Only complete conditions count toward the live preview; half-typed rows are ignored until finished. */
function completeConditions(conditions: SegmentCondition[]) {
  return conditions.filter(
    (c) =>
      segmentConditionSchema.safeParse(c).success &&
      criteriaProblems({ match: "all", conditions: [c] }).length === 0,
  );
}

/** The message under each condition that cannot be saved as it is (a stored 2026-02-30, say). */
function problemsByCondition(criteria: SegmentCriteria) {
  return new Map(conditionProblems(criteria).map((p) => [p.index, p.message]));
}

export function SegmentEditor({ segmentId }: { segmentId?: string }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const existing = useQuery({
    ...trpc.segments.get.queryOptions({ workspaceId: ws.id, id: segmentId ?? "" }),
    enabled: Boolean(segmentId),
  });
  const tags = useQuery(trpc.leads.tags.queryOptions({ workspaceId: ws.id }));
  const fields = useQuery(trpc.leads.fields.list.queryOptions({ workspaceId: ws.id }));
  const campaigns = useQuery(trpc.email.campaigns.list.queryOptions({ workspaceId: ws.id }));

  const [name, setName] = useState("");
  const [criteria, setCriteria] = useState<SegmentCriteria>({ match: "all", conditions: [] });
  const [loaded, setLoaded] = useState(!segmentId);
  useEffect(() => {
    if (existing.data && !loaded) {
      setName(existing.data.name);
      setCriteria(existing.data.criteria);
      setLoaded(true);
    }
  }, [existing.data, loaded]);

  const customFields = useMemo(
    () => (fields.data ?? []).map((d) => ({ key: d.key, label: d.label, type: d.type, options: d.options })),
    [fields.data],
  );
  const complete = completeConditions(criteria.conditions);
  const problems = problemsByCondition(criteria);
  const previewCriteria = useDebouncedValue<SegmentCriteria>(
    { match: criteria.match, conditions: complete },
    350,
  );
  const preview = useQuery({
    ...trpc.segments.preview.queryOptions({ workspaceId: ws.id, criteria: previewCriteria }),
    placeholderData: keepPreviousData,
    enabled: loaded,
  });

  const onSaved = async (id: string) => {
    toast.success("Segment saved");
    await queryClient.invalidateQueries({ queryKey: trpc.segments.list.queryKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.segments.get.queryKey() });
    if (!segmentId) router.push(`/${ws.slug}/leads/segments/${id}`);
  };
  const create = useMutation(
    trpc.segments.create.mutationOptions({
      onSuccess: (s) => onSaved(s.id),
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const update = useMutation(
    trpc.segments.update.mutationOptions({
      onSuccess: (s) => onSaved(s.id),
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const saving = create.isPending || update.isPending;
  const incomplete = criteria.conditions.length - complete.length;

  if (segmentId && existing.isError) {
    return <p className="text-destructive text-sm">{errorMessage(existing.error)}</p>;
  }
  if (!loaded) return <Skeleton className="h-64 w-full" />;

  const setCondition = (i: number, c: SegmentCondition) =>
    setCriteria((prev) => ({ ...prev, conditions: prev.conditions.map((x, j) => (j === i ? c : x)) }));

  const save = (e: React.FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return toast.error("Give the segment a name");
    if (incomplete > 0) return toast.error("Finish or remove the incomplete conditions first");
    const payload = { workspaceId: ws.id, name: name.trim(), criteria };
    if (segmentId) update.mutate({ ...payload, id: segmentId });
    else create.mutate(payload);
  };

  return (
    <form onSubmit={save} className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_320px]">
      <CardSection
        title={segmentId ? "Edit segment" : "New segment"}
        description="Leads that match these rules. Campaigns and exports use the live result."
        contentClassName="grid gap-5"
      >
        {existing.data?.needsFixing && (
          <p
            role="alert"
            data-testid="segment-needs-fixing"
            className="rounded-lg border border-warning/30 bg-warning/10 p-3 text-sm"
          >
            These rules need fixing before the segment can be counted, exported or used in a campaign:{" "}
            {existing.data.problems.join("; ")}.
          </p>
        )}
        <Field label="Name" htmlFor="segment-name">
          <Input
            id="segment-name"
            data-testid="segment-name"
            value={name}
            maxLength={255}
            placeholder="e.g. Engaged VIPs"
            onChange={(e) => setName(e.target.value)}
            disabled={!ws.canWrite}
          />
        </Field>
        <fieldset className="grid gap-3">
          <legend className="mb-2 flex flex-wrap items-center gap-2 text-sm">
            Leads matching
            <span className="inline-flex rounded-md border p-0.5" role="radiogroup" aria-label="Match">
              {(["all", "any"] as const).map((m) => (
                <button
                  key={m}
                  type="button"
                  role="radio"
                  aria-checked={criteria.match === m}
                  data-testid={`segment-match-${m}`}
                  onClick={() => setCriteria((p) => ({ ...p, match: m }))}
                  className={cn(
                    "rounded px-2.5 py-1 font-medium text-xs transition-colors",
                    criteria.match === m
                      ? "bg-primary text-primary-foreground"
                      : "text-muted-foreground hover:text-foreground",
                  )}
                >
                  {m}
                </button>
              ))}
            </span>
            of these conditions
          </legend>
          {criteria.conditions.length === 0 ? (
            <p className="rounded-lg border border-dashed p-4 text-center text-muted-foreground text-sm">
              No conditions: every lead matches. Add one to narrow it down.
            </p>
          ) : (
            <ul className="grid gap-2">
              {criteria.conditions.map((c, i) => (
                <ConditionRow
                  key={i}
                  index={i}
                  condition={c}
                  onChange={(next) => setCondition(i, next)}
                  onRemove={() =>
                    setCriteria((p) => ({ ...p, conditions: p.conditions.filter((_, j) => j !== i) }))
                  }
                  tags={(tags.data ?? []).map((t) => t.tag)}
                  customFields={customFields}
                  campaigns={campaigns.data ? campaigns.data.campaigns : null}
                  disabled={!ws.canWrite}
                  error={problems.get(i)}
                />
              ))}
            </ul>
          )}
          <div>
            <Button
              type="button"
              variant="outline"
              size="sm"
              data-testid="segment-add-condition"
              disabled={!ws.canWrite || criteria.conditions.length >= 50}
              onClick={() =>
                setCriteria((p) => ({
                  ...p,
                  conditions: [...p.conditions, defaultCondition("tag", customFields)],
                }))
              }
            >
              <Plus className="size-4" /> Add condition
            </Button>
          </div>
        </fieldset>
      </CardSection>

      <div className="grid content-start gap-4">
        <Card>
          <CardHeader>
            <CardDescription>Matching leads</CardDescription>
            <CardTitle className="flex items-center gap-2 text-3xl tabular-nums" aria-live="polite">
              <span data-testid="segment-count">
                {preview.data ? preview.data.count.toLocaleString() : "…"}
              </span>
              {preview.isFetching && <Spinner className="size-4 text-muted-foreground" />}
            </CardTitle>
            {incomplete > 0 && (
              <p className="text-muted-foreground text-xs">
                {incomplete} incomplete condition{incomplete > 1 ? "s" : ""} not counted yet.
              </p>
            )}
          </CardHeader>
          <CardContent className="grid gap-2">
            {preview.data?.sample.length ? (
              <ul className="grid gap-1.5 text-sm">
                {preview.data.sample.map((l) => (
                  <li key={l.id} className="flex items-center justify-between gap-2">
                    <span className="truncate">{l.name || l.email}</span>
                    {l.status !== "active" && <Badge variant="secondary">{l.status}</Badge>}
                  </li>
                ))}
              </ul>
            ) : preview.data ? (
              <p className="flex items-center gap-2 text-muted-foreground text-sm">
                <Users className="size-4" aria-hidden /> No leads match yet.
              </p>
            ) : null}
          </CardContent>
        </Card>
        <div className="flex gap-2">
          <Button
            type="submit"
            data-testid="segment-save"
            disabled={saving || !ws.canWrite}
            className="flex-1"
          >
            {saving && <Spinner />} Save segment
          </Button>
          <Link href={`/${ws.slug}/leads/segments`} className={buttonVariants({ variant: "outline" })}>
            Cancel
          </Link>
        </div>
      </div>
    </form>
  );
}
