"use client";

import { useQuery } from "@tanstack/react-query";
import { CheckCircle2, Download, XCircle } from "lucide-react";
import { useCallback, useEffect } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { type LiveEvent, recentLiveEvents, useLiveConnected, useLiveEvent } from "@/hooks/use-live-events";
import { useTRPC } from "@/lib/trpc/client";
import type { ImportResult } from "@/server/services/leads-import/schemas";

export type Step =
  | { step: "upload" }
  | { step: "map"; uploadId: string; filename: string }
  | { step: "run"; jobId: string; progress: number }
  | { step: "done"; jobId: string; result: ImportResult | null; error: string | null };

export function ProgressStep(props: {
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
