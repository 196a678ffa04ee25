"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { CardSection } from "@/components/ui/card-section";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { OptionSelect, optionsOf } from "@/components/ui/option-select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { keptColumns, planOtherColumns } from "@/lib/import-columns";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import type { ImportMapping, ImportPolicy, KeptFieldType } from "@/server/services/leads-import/schemas";
import { ImportSummary, OtherColumns } from "./other-columns";

const NONE = "__none__";

function ColumnSelect(props: {
  id: string;
  testId?: string;
  headers: string[];
  value: string | undefined;
  onChange: (v: string | undefined) => void;
  allowNone?: boolean;
}) {
  return (
    <OptionSelect
      id={props.id}
      testId={props.testId}
      value={props.value ?? NONE}
      onChange={(v) => props.onChange(v === NONE ? undefined : v)}
      placeholder="Choose a column"
      none={props.allowNone !== false ? { label: "— Don't import —", value: NONE } : undefined}
      options={optionsOf(props.headers)}
    />
  );
}

export function MappingStep(props: {
  uploadId: string;
  filename: string;
  onBack: () => void;
  onStarted: (jobId: string) => void;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const preview = useQuery(
    trpc.leadsImport.preview.queryOptions(
      { workspaceId: ws.id, uploadId: props.uploadId },
      { retry: false, staleTime: Number.POSITIVE_INFINITY },
    ),
  );
  const [mapping, setMapping] = useState<ImportMapping | null>(null);
  const [policy, setPolicy] = useState<ImportPolicy>("skip");
  const [tags, setTags] = useState("");
  const [source, setSource] = useState("");
  // Columns no field takes are kept as custom fields unless ignored here.
  const [ignored, setIgnored] = useState<Set<string>>(new Set());
  const [types, setTypes] = useState<Record<string, KeptFieldType>>({});
  useEffect(() => {
    if (preview.data && !mapping) setMapping(preview.data.suggestedMapping);
  }, [preview.data, mapping]);

  const start = useMutation(
    trpc.leadsImport.start.mutationOptions({
      onSuccess: ({ jobId }) => props.onStarted(jobId),
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );

  if (preview.isPending) return <p className="text-muted-foreground text-sm">Reading the file…</p>;
  if (preview.error || !preview.data)
    return (
      <Card>
        <CardContent className="grid gap-3 pt-6">
          <FormError>{errorMessage(preview.error)}</FormError>
          <Button variant="outline" onClick={props.onBack}>
            Choose another file
          </Button>
        </CardContent>
      </Card>
    );
  if (!mapping) return null;
  const { headers, rows, customFields } = preview.data;
  const nameParts = Array.isArray(mapping.name) ? mapping.name : [mapping.name, undefined];
  const col = (h: string | undefined, row: string[]) => (h ? (row[headers.indexOf(h)] ?? "") : "");
  const set = (patch: Partial<ImportMapping>) => setMapping({ ...mapping, ...patch });
  const setName = (first: string | undefined, last: string | undefined) =>
    set({ name: first && last ? [first, last] : (first ?? last) });
  const others = planOtherColumns({ headers, rows, mapping, fields: customFields, ignored, types });
  const kept = others.filter((c) => c.keep);
  const keepColumn = (header: string, keep: boolean) =>
    setIgnored((prev) => {
      const next = new Set(prev);
      if (keep) next.delete(header);
      else next.add(header);
      return next;
    });

  return (
    <div className="grid gap-6">
      <CardSection
        title="2. Match columns"
        description={`${props.filename}: ${headers.length} columns${rows.length === 0 ? ", no rows (0 rows will be imported)" : ""}.`}
        contentClassName="grid gap-4 sm:grid-cols-2"
      >
        <Field label="Email (required)" htmlFor="map-email">
          <ColumnSelect
            id="map-email"
            testId="import-mapping-email"
            headers={headers}
            value={mapping.email || undefined}
            onChange={(v) => set({ email: v ?? "" })}
            allowNone={false}
          />
        </Field>
        <Field label="Name (or first name)" htmlFor="map-name">
          <ColumnSelect
            id="map-name"
            headers={headers}
            value={nameParts[0]}
            onChange={(v) => setName(v, nameParts[1])}
          />
        </Field>
        <Field label="Last name (joined to the name)" htmlFor="map-last">
          <ColumnSelect
            id="map-last"
            headers={headers}
            value={nameParts[1]}
            onChange={(v) => setName(nameParts[0], v)}
          />
        </Field>
        <Field label="Tags (comma or semicolon separated)" htmlFor="map-tags">
          <ColumnSelect
            id="map-tags"
            headers={headers}
            value={mapping.tags}
            onChange={(v) => set({ tags: v })}
          />
        </Field>
        <Field label="Source" htmlFor="map-source">
          <ColumnSelect
            id="map-source"
            headers={headers}
            value={mapping.source}
            onChange={(v) => set({ source: v })}
          />
        </Field>
        {customFields.map((f) => (
          <Field key={f.key} label={`${f.label} (custom, ${f.type})`} htmlFor={`map-custom-${f.key}`}>
            <ColumnSelect
              id={`map-custom-${f.key}`}
              headers={headers}
              value={mapping.custom?.[f.key]}
              onChange={(v) => {
                const custom = { ...mapping.custom };
                if (v) custom[f.key] = v;
                else delete custom[f.key];
                set({ custom });
              }}
            />
          </Field>
        ))}
      </CardSection>

      <OtherColumns
        columns={others}
        sample={(h) => rows.find((r) => col(h, r).trim())?.[headers.indexOf(h)] ?? ""}
        onKeep={keepColumn}
        onType={(h, type) => setTypes((prev) => ({ ...prev, [h]: type }))}
      />

      <CardSection
        title="Preview"
        description={`The first ${rows.length} rows with this mapping.`}
        contentClassName="overflow-x-auto"
      >
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Email</TableHead>
              <TableHead>Name</TableHead>
              <TableHead>Tags</TableHead>
              <TableHead>Source</TableHead>
              {customFields
                .filter((f) => mapping.custom?.[f.key])
                .map((f) => (
                  <TableHead key={f.key}>{f.label}</TableHead>
                ))}
              {kept.map((c) => (
                <TableHead key={`kept-${c.header}`}>{c.fieldLabel}</TableHead>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.length === 0 && (
              <TableRow>
                <TableCell colSpan={4} className="text-muted-foreground">
                  The file has column names but no rows.
                </TableCell>
              </TableRow>
            )}
            {rows.map((row, i) => (
              <TableRow key={i}>
                <TableCell>{col(mapping.email, row).trim().toLowerCase()}</TableCell>
                <TableCell>
                  {nameParts
                    .map((h) => col(h, row).trim())
                    .filter(Boolean)
                    .join(" ")}
                </TableCell>
                <TableCell>{col(mapping.tags, row)}</TableCell>
                <TableCell>{col(mapping.source, row) || source}</TableCell>
                {customFields
                  .filter((f) => mapping.custom?.[f.key])
                  .map((f) => (
                    <TableCell key={f.key}>{col(mapping.custom?.[f.key], row)}</TableCell>
                  ))}
                {kept.map((c) => (
                  <TableCell key={`kept-${c.header}`}>{col(c.header, row)}</TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardSection>

      <CardSection title="Options" contentClassName="grid gap-4">
        <fieldset className="grid gap-2">
          <legend className="mb-1 font-medium text-sm">Leads that already exist</legend>
          {(
            [
              ["skip", "Skip them (keep what is there)"],
              ["update", "Update them (fill in names, add tags and custom fields)"],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name="policy"
                value={value}
                checked={policy === value}
                onChange={() => setPolicy(value)}
              />
              {label}
            </label>
          ))}
        </fieldset>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Tags to add to every imported lead" htmlFor="import-tags" hint="Separate with commas">
            <Input
              id="import-tags"
              value={tags}
              onChange={(e) => setTags(e.target.value)}
              placeholder="newsletter, 2026 fair"
            />
          </Field>
          <Field label="Source (when the file has none)" htmlFor="import-source">
            <Input
              id="import-source"
              value={source}
              onChange={(e) => setSource(e.target.value)}
              placeholder="CSV import"
            />
          </Field>
        </div>
        <ImportSummary columns={others} />
        <div className="flex gap-2">
          <Button variant="outline" onClick={props.onBack}>
            Back
          </Button>
          <Button
            data-testid="import-start"
            disabled={!mapping.email || start.isPending}
            onClick={() =>
              start.mutate({
                workspaceId: ws.id,
                uploadId: props.uploadId,
                mapping: { ...mapping, keep: keptColumns(others) },
                policy,
                tags: tags
                  .split(",")
                  .map((t) => t.trim())
                  .filter(Boolean),
                source: source.trim() || undefined,
              })
            }
          >
            {start.isPending ? "Starting…" : "Start import"}
          </Button>
        </div>
      </CardSection>
    </div>
  );
}
