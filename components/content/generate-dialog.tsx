"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Sparkles } from "lucide-react";
import { useRouter } from "next/navigation";
import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { DialogFooter } from "@/components/ui/dialog";
import { DialogShell } from "@/components/ui/dialog-shell";
import { Spinner } from "@/components/ui/spinner";
import { type LiveEvent, recentLiveEvents, useLiveConnected, useLiveEvent } from "@/hooks/use-live-events";
import { toast } from "@/lib/toast";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import { generateContentInput } from "@/server/services/content/schemas";
import { type ContentType, OFFLINE_GENERATOR } from "./content-meta";
import { type FormInput, type FormOutput, GenerateForm, GenerateProgress } from "./generate-form";

/** Product names from `workspace.settings.products`, which may hold strings or `{ name }` objects. */
function productNames(settings: unknown): string[] {
  const products = (settings as { products?: unknown } | null | undefined)?.products;
  if (!Array.isArray(products)) return [];
  const names = products
    .map((p) =>
      typeof p === "string"
        ? p
        : typeof (p as { name?: unknown })?.name === "string"
          ? (p as { name: string }).name
          : "",
    )
    .map((n) => n.trim())
    .filter(Boolean);
  return [...new Set(names)].slice(0, 50);
}

type Run =
  | { phase: "form" }
  | { phase: "running"; jobId: string; progress: number; status: "queued" | "running" }
  | { phase: "failed"; jobId: string; error: string };

export function GenerateDialog({
  trigger,
  defaultPlatform = "tiktok",
  defaultOpen = false,
}: {
  trigger: ReactNode;
  defaultPlatform?: ContentType;
  /** Open at once: the lazy button (generate-dialog-button.tsx) mounts it on the first click. */
  defaultOpen?: boolean;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const connected = useLiveConnected();
  const [open, setOpen] = useState(defaultOpen);
  const [run, setRun] = useState<Run>({ phase: "form" });
  const finished = useRef<string | null>(null);
  const openRef = useRef(open);
  openRef.current = open;

  const workspace = useQuery({ ...trpc.workspace.get.queryOptions({ id: ws.id }), enabled: open });
  const products = productNames(workspace.data?.settings);

  const form = useForm<FormInput, unknown, FormOutput>({
    resolver: zodResolver(generateContentInput),
    mode: "onChange",
    defaultValues: {
      platform: defaultPlatform,
      product: "",
      contentType: "tips",
      tone: "casual",
      length: "medium",
      context: "",
    },
  });

  const jobId = run.phase === "form" ? null : run.jobId;
  const job = useQuery({
    ...trpc.jobs.get.queryOptions({ workspaceId: ws.id, id: jobId ?? "" }),
    enabled: run.phase === "running",
    // Live events drive the bar; polling is the fallback when the stream is down (and a slow
    // safety net when it is up but an event went missing).
    refetchInterval: connected ? 15_000 : 2_000,
    staleTime: 0,
  });

  const finish = useCallback(
    async (id: string, outcome: { status: string; error?: string | null; contentId?: string | null }) => {
      if (finished.current === id) return;
      finished.current = id;
      if (outcome.status !== "succeeded" || !outcome.contentId) {
        const error = outcome.error || "The draft could not be written. Try again in a moment.";
        setRun({ phase: "failed", jobId: id, error });
        if (!openRef.current) toast.error("The draft could not be written", { description: error });
        return;
      }
      let generator: string | null = null;
      try {
        const full = await queryClient.fetchQuery(
          trpc.jobs.get.queryOptions({ workspaceId: ws.id, id }, { staleTime: 0 }),
        );
        const result = (full.result ?? {}) as { generator?: unknown };
        generator = typeof result.generator === "string" ? result.generator : null;
      } catch {
        // the editor says which writer made it anyway
      }
      const href = `/${ws.slug}/content/${outcome.contentId}`;
      const stillWatching = openRef.current;
      // Someone who closed the dialog has moved on: offer the draft instead of pulling them away.
      const action = stillWatching ? undefined : { label: "Open draft", onClick: () => router.push(href) };
      if (generator === OFFLINE_GENERATOR) {
        toast.info("Draft written by the offline template writer", {
          description: "No AI endpoint is configured, so this is a template to edit — not AI output.",
          action,
        });
      } else {
        toast.success("Your AI draft is ready", { action });
      }
      void queryClient.invalidateQueries({ queryKey: trpc.content.list.queryKey() });
      setOpen(false);
      setRun({ phase: "form" });
      form.reset();
      if (stillWatching) router.push(href);
    },
    [queryClient, router, trpc, ws.id, ws.slug, form],
  );

  const onEvent = useCallback(
    (e: LiveEvent, id: string) => {
      if (e.data.jobId !== id) return;
      if (e.type === "job.progress") {
        const progress = Number(e.data.progress);
        setRun((r) =>
          r.phase === "running" && r.jobId === id && Number.isFinite(progress)
            ? { ...r, status: "running", progress: Math.max(r.progress, progress) }
            : r,
        );
      } else if (e.type === "job.finished") {
        void finish(id, {
          status: String(e.data.status),
          error: typeof e.data.error === "string" ? e.data.error : null,
          contentId: typeof e.data.contentId === "string" ? e.data.contentId : null,
        });
      }
    },
    [finish],
  );

  useLiveEvent((e) => {
    if (run.phase === "running") onEvent(e, run.jobId);
  });

  // The job may report before we learn its id: replay what already arrived.
  const runningJobId = run.phase === "running" ? run.jobId : null;
  useEffect(() => {
    if (!runningJobId) return;
    for (const e of recentLiveEvents()) onEvent(e, runningJobId);
  }, [runningJobId, onEvent]);

  useEffect(() => {
    const data = job.data;
    if (!data || run.phase !== "running" || data.id !== run.jobId) return;
    if (data.status === "succeeded" || data.status === "failed") {
      const result = (data.result ?? {}) as { contentId?: unknown };
      void finish(data.id, {
        status: data.status,
        error: data.error,
        contentId: typeof result.contentId === "string" ? result.contentId : null,
      });
    } else {
      setRun((r) =>
        r.phase === "running" && r.jobId === data.id
          ? {
              ...r,
              status: data.status === "running" ? "running" : r.status,
              progress: Math.max(r.progress, data.progress),
            }
          : r,
      );
    }
  }, [job.data, run, finish]);

  const generate = useMutation(
    trpc.content.generate.mutationOptions({
      onSuccess: ({ jobId: id }) => {
        finished.current = null;
        setRun({ phase: "running", jobId: id, progress: 0, status: "queued" });
      },
      onError: (err) => {
        const fields = fieldErrors(err);
        for (const [name, message] of Object.entries(fields)) {
          if (message && name in form.getValues()) form.setError(name as keyof FormInput, { message });
        }
        toast.error(errorMessage(err));
      },
    }),
  );

  const onSubmit = form.handleSubmit((values) => {
    generate.mutate({
      workspaceId: ws.id,
      ...values,
      context: values.context?.trim() ? values.context.trim() : undefined,
    });
  });

  const busy = generate.isPending || run.phase === "running";

  return (
    <DialogShell
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        // Closing while it runs is fine: the draft still appears in the list when done.
        if (!next && run.phase !== "running") setRun({ phase: "form" });
      }}
      trigger={trigger}
      className="sm:max-w-xl"
      titleClassName="flex items-center gap-2"
      title={
        <>
          <Sparkles className="size-5 text-primary" aria-hidden />
          Generate a draft
        </>
      }
      description="Describe what you want and a draft is written for you to edit. Nothing is published until you say so."
    >
      {run.phase === "running" ? (
        <GenerateProgress status={run.status} progress={run.progress} connected={connected} />
      ) : (
        <GenerateForm
          form={form}
          onSubmit={onSubmit}
          products={products}
          error={run.phase === "failed" ? run.error : null}
        />
      )}

      <DialogFooter>
        {run.phase === "running" ? (
          <Button variant="outline" onClick={() => setOpen(false)}>
            Close — keep writing in the background
          </Button>
        ) : (
          <Button type="submit" form="generate-form" disabled={busy} data-testid="generate-submit">
            {generate.isPending ? <Spinner /> : <Sparkles aria-hidden />}
            {run.phase === "failed" ? "Try again" : "Generate draft"}
          </Button>
        )}
      </DialogFooter>
    </DialogShell>
  );
}
