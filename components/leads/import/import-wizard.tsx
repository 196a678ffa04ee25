"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { CheckCircle2, Download, FileUp, XCircle } from "lucide-react";
import { useCallback, useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { type LiveEvent, recentLiveEvents, useLiveConnected, useLiveEvent } from "@/hooks/use-live-events";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import type { ImportMapping, ImportPolicy, ImportResult } from "@/server/services/leads-import/schemas";

const NONE = "__none__";

type Step =
  | { step: "upload" }
  | { step: "map"; uploadId: string; filename: string }
  | { step: "run"; jobId: string; progress: number }
  | { step: "done"; jobId: string; result: ImportResult | null; error: string | null };

/** Uploads the raw bytes (streamed to storage, never buffered) with upload progress. */
function uploadFile(workspaceId: string, file: File, onProgress: (pct: number) => void) {
  return new Promise<{ uploadId: string }>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const qs = new URLSearchParams({ workspaceId, filename: file.name });
    xhr.open("POST", `/api/leads/import/upload?${qs}`);
    xhr.setRequestHeader("content-type", "text/csv");
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      let body: { uploadId?: string; error?: string } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // fall through to the generic message
      }
      if (xhr.status === 201 && body.uploadId) resolve({ uploadId: body.uploadId });
      else reject(new Error(body.error ?? `The upload failed (HTTP ${xhr.status}).`));
    };
    xhr.onerror = () => reject(new Error("The upload failed: the connection dropped."));
    xhr.send(file);
  });
}

export function ImportWizard() {
  const ws = useWorkspace();
  const [state, setState] = useState<Step>({ step: "upload" });
  return (
    <div className="mx-auto grid max-w-5xl gap-6 p-6">
      <div>
        <h1 className="font-semibold text-2xl">Import leads</h1>
        <p className="text-muted-foreground text-sm">
          Upload a CSV (comma, semicolon or tab separated), match its columns, and import.
        </p>
      </div>
      <ol className="flex gap-4 text-sm" aria-label="Steps">
        {["Upload", "Match columns", "Import"].map((label, i) => {
          const current = { upload: 0, map: 1, run: 2, done: 2 }[state.step];
          return (
            <li key={label} className={i === current ? "font-medium" : "text-muted-foreground"}>
              {i + 1}. {label}
            </li>
          );
        })}
      </ol>
      {state.step === "upload" && (
        <UploadStep
          workspaceId={ws.id}
          onUploaded={(uploadId, filename) => setState({ step: "map", uploadId, filename })}
        />
      )}
      {state.step === "map" && (
        <MappingStep
          uploadId={state.uploadId}
          filename={state.filename}
          onBack={() => setState({ step: "upload" })}
          onStarted={(jobId) => setState({ step: "run", jobId, progress: 0 })}
        />
      )}
      {(state.step === "run" || state.step === "done") && (
        <ProgressStep state={state} setState={setState} onAgain={() => setState({ step: "upload" })} />
      )}
    </div>
  );
}

function UploadStep(props: {
  workspaceId: string;
  onUploaded: (uploadId: string, filename: string) => void;
}) {
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const send = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    setProgress(0);
    try {
      const { uploadId } = await uploadFile(props.workspaceId, file, setProgress);
      props.onUploaded(uploadId, file.name);
    } catch (err) {
      setError((err as Error).message);
      setProgress(null);
    }
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>1. Upload a CSV file</CardTitle>
        <CardDescription>The first line must hold the column names. Up to 200 MB.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        <label
          htmlFor="import-file"
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            void send(e.dataTransfer.files[0]);
          }}
          className={`flex cursor-pointer flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed p-10 text-center ${
            dragging ? "border-primary bg-muted" : "border-muted-foreground/30"
          }`}
        >
          <FileUp className="size-8 text-muted-foreground" aria-hidden />
          <span className="font-medium">Drop a CSV file here, or click to choose one</span>
          <span className="text-muted-foreground text-xs">
            Exports from Mailchimp, HubSpot, Google Contacts or a spreadsheet
          </span>
          <input
            ref={input}
            id="import-file"
            data-testid="import-file"
            type="file"
            accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values"
            className="sr-only"
            disabled={progress !== null}
            onChange={(e) => void send(e.target.files?.[0])}
          />
        </label>
        {progress !== null && (
          <div className="grid gap-1" aria-live="polite">
            <progress className="h-2 w-full" max={100} value={progress} />
            <span className="text-muted-foreground text-xs">Uploading… {progress}%</span>
          </div>
        )}
        {error && (
          <p role="alert" className="text-destructive text-sm">
            {error}
          </p>
        )}
      </CardContent>
    </Card>
  );
}

function ColumnSelect(props: {
  id: string;
  testId?: string;
  headers: string[];
  value: string | undefined;
  onChange: (v: string | undefined) => void;
  allowNone?: boolean;
}) {
  return (
    <Select value={props.value ?? NONE} onValueChange={(v) => props.onChange(v === NONE ? undefined : v)}>
      <SelectTrigger id={props.id} data-testid={props.testId} className="w-full">
        <SelectValue placeholder="Choose a column" />
      </SelectTrigger>
      <SelectContent>
        {props.allowNone !== false && <SelectItem value={NONE}>— Don't import —</SelectItem>}
        {props.headers.map((h) => (
          <SelectItem key={h} value={h}>
            {h}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}

function MappingStep(props: {
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
          <p role="alert" className="text-destructive text-sm">
            {errorMessage(preview.error)}
          </p>
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

  return (
    <div className="grid gap-6">
      <Card>
        <CardHeader>
          <CardTitle>2. Match columns</CardTitle>
          <CardDescription>
            {props.filename}: {headers.length} columns
            {rows.length === 0 ? ", no rows (0 rows will be imported)" : ""}.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 sm:grid-cols-2">
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
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Preview</CardTitle>
          <CardDescription>The first {rows.length} rows with this mapping.</CardDescription>
        </CardHeader>
        <CardContent className="overflow-x-auto">
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
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Options</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4">
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
            <Field
              label="Tags to add to every imported lead"
              htmlFor="import-tags"
              hint="Separate with commas"
            >
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
                  mapping,
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
        </CardContent>
      </Card>
    </div>
  );
}

function ProgressStep(props: {
  state: Extract<Step, { step: "run" | "done" }>;
  setState: (s: Step) => void;
  onAgain: () => void;
}) {
  const { state, setState } = props;
  const ws = useWorkspace();
  const trpc = useTRPC();
  const connected = useLiveConnected();
  const running = state.step === "run";
  const job = useQuery({
    ...trpc.jobs.get.queryOptions({ workspaceId: ws.id, id: state.jobId }),
    enabled: running,
    // SSE drives the bar; polling every 2 s is the fallback when the stream is down.
    refetchInterval: connected ? 15_000 : 2_000,
    staleTime: 0,
  });

  const onEvent = useCallback(
    (e: LiveEvent) => {
      if (state.step !== "run" || e.data.jobId !== state.jobId) return;
      if (e.type === "job.progress") {
        const p = Number(e.data.progress);
        if (Number.isFinite(p) && p > state.progress) setState({ ...state, progress: p });
      } else if (e.type === "job.finished") {
        void job.refetch();
      }
    },
    [state, setState, job],
  );
  useLiveEvent(onEvent);
  useEffect(() => {
    for (const e of recentLiveEvents()) onEvent(e);
  }, [onEvent]);

  useEffect(() => {
    const d = job.data;
    if (!d || state.step !== "run" || d.id !== state.jobId) return;
    if (d.status === "succeeded" || d.status === "failed") {
      setState({
        step: "done",
        jobId: d.id,
        result: d.status === "succeeded" ? (d.result as unknown as ImportResult) : null,
        error: d.error,
      });
    } else if (d.progress > state.progress) setState({ ...state, progress: d.progress });
  }, [job.data, state, setState]);

  if (state.step === "run")
    return (
      <Card>
        <CardHeader>
          <CardTitle>3. Importing…</CardTitle>
          <CardDescription>You can leave this page; the import keeps running.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-2" aria-live="polite">
          <div
            data-testid="import-progress"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={state.progress}
            className="h-3 w-full overflow-hidden rounded-full bg-muted"
          >
            <div className="h-full bg-primary transition-all" style={{ width: `${state.progress}%` }} />
          </div>
          <span className="text-muted-foreground text-sm">{state.progress}%</span>
        </CardContent>
      </Card>
    );

  const r = state.result;
  return (
    <Card data-testid="import-result">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          {r ? (
            <CheckCircle2 className="size-5 text-green-600" aria-hidden />
          ) : (
            <XCircle className="size-5 text-destructive" aria-hidden />
          )}
          {r ? "Import finished" : "Import failed"}
        </CardTitle>
        {!r && <CardDescription role="alert">{state.error}</CardDescription>}
      </CardHeader>
      {r && (
        <CardContent className="grid gap-4">
          {r.total === 0 && <p className="text-sm">The file had 0 rows.</p>}
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
            {(
              [
                ["Imported", r.imported, "import-imported"],
                ["Updated", r.updated, "import-updated"],
                ["Skipped (already there)", r.skipped, "import-skipped"],
                ["Invalid", r.invalid, "import-invalid"],
                ["Rows in file", r.total, "import-total"],
              ] as const
            ).map(([label, value, testId]) => (
              <div key={label} className="rounded-md border p-3">
                <dt className="text-muted-foreground text-xs">{label}</dt>
                <dd className="font-semibold text-2xl tabular-nums" data-testid={testId}>
                  {value.toLocaleString()}
                </dd>
              </div>
            ))}
          </dl>
          <div className="flex flex-wrap gap-2">
            {r.rejectedUrl && (
              <Button asChild variant="outline">
                <a href={r.rejectedUrl} data-testid="download-rejected" download>
                  <Download aria-hidden /> Download rejected rows
                </a>
              </Button>
            )}
            <Button asChild variant="outline">
              <a href={`/${ws.slug}/leads`}>Go to leads</a>
            </Button>
            <Button variant="ghost" onClick={props.onAgain}>
              Import another file
            </Button>
          </div>
        </CardContent>
      )}
    </Card>
  );
}
