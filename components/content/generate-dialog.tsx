"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertCircle, Sparkles } from "lucide-react";
import { useRouter } from "next/navigation";
import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { type LiveEvent, recentLiveEvents, useLiveConnected, useLiveEvent } from "@/hooks/use-live-events";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import {
  GENERATE_CONTENT_TYPES,
  GENERATE_LENGTHS,
  GENERATE_TONES,
  generateContentInput,
} from "@/server/services/content/schemas";
import { CONTENT_TYPE_LIST, type ContentType, OFFLINE_GENERATOR, TYPE_META } from "./content-meta";

type FormInput = z.input<typeof generateContentInput>;
type FormOutput = z.output<typeof generateContentInput>;

const CONTENT_TYPE_LABEL: Record<(typeof GENERATE_CONTENT_TYPES)[number], string> = {
  demo: "Demo",
  tutorial: "Tutorial",
  review: "Review",
  comparison: "Comparison",
  tips: "Tips",
  story: "Story",
};
const TONE_LABEL: Record<(typeof GENERATE_TONES)[number], string> = {
  casual: "Casual",
  professional: "Professional",
  humorous: "Humorous",
  educational: "Educational",
};
const LENGTH_LABEL: Record<(typeof GENERATE_LENGTHS)[number], string> = {
  short: "Short",
  medium: "Medium",
  long: "Long",
};

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
}: {
  trigger: ReactNode;
  defaultPlatform?: ContentType;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const connected = useLiveConnected();
  const [open, setOpen] = useState(false);
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
  const { errors } = form.formState;

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
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        // Closing while it runs is fine: the draft still appears in the list when done.
        if (!next && run.phase !== "running") setRun({ phase: "form" });
      }}
    >
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle className="flex items-center gap-2">
            <Sparkles className="size-5 text-primary" aria-hidden />
            Generate a draft
          </DialogTitle>
          <DialogDescription>
            Describe what you want and a draft is written for you to edit. Nothing is published until you say
            so.
          </DialogDescription>
        </DialogHeader>

        {run.phase === "running" ? (
          <div className="grid gap-3 py-2" aria-live="polite">
            <div className="flex items-center gap-2 text-sm">
              <Spinner />
              {run.status === "queued" ? "Waiting for a worker…" : "Writing your draft…"}
              <span className="ml-auto text-muted-foreground tabular-nums">{run.progress}%</span>
            </div>
            <div
              role="progressbar"
              aria-label="Generation progress"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={run.progress}
              className="h-2 overflow-hidden rounded-full bg-muted"
              data-testid="generate-progress"
            >
              <div
                className="h-full rounded-full bg-primary transition-[width] duration-500"
                style={{ width: `${Math.max(4, run.progress)}%` }}
              />
            </div>
            <p className="text-muted-foreground text-xs">
              {connected
                ? "Live updates are on. The editor opens as soon as the draft is saved."
                : "Live updates are unavailable; checking every 2 seconds."}
            </p>
          </div>
        ) : (
          <form id="generate-form" onSubmit={onSubmit} noValidate className="grid gap-4">
            {run.phase === "failed" && (
              <div
                role="alert"
                className="flex gap-2 rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-destructive text-sm"
                data-testid="generate-error"
              >
                <AlertCircle className="mt-0.5 size-4 shrink-0" aria-hidden />
                <p>
                  <span className="font-medium">The draft could not be written.</span> {run.error}
                </p>
              </div>
            )}
            <div className="grid gap-4 sm:grid-cols-2">
              <Field label="Platform" htmlFor="gen-platform" error={errors.platform?.message}>
                <Controller
                  control={form.control}
                  name="platform"
                  render={({ field }) =>
                    choice("gen-platform", CONTENT_TYPE_LIST, (t) => TYPE_META[t].noun, field)
                  }
                />
              </Field>
              <Field label="Content type" htmlFor="gen-content-type" error={errors.contentType?.message}>
                <Controller
                  control={form.control}
                  name="contentType"
                  render={({ field }) =>
                    choice("gen-content-type", GENERATE_CONTENT_TYPES, (t) => CONTENT_TYPE_LABEL[t], field)
                  }
                />
              </Field>
            </div>
            <Field
              label="Product"
              htmlFor="gen-product"
              error={errors.product?.message}
              hint={products.length ? "Pick one from your catalogue or type any name." : undefined}
            >
              <Input
                id="gen-product"
                list={products.length ? "gen-product-options" : undefined}
                placeholder="e.g. Pocket Tarot deck"
                autoComplete="off"
                maxLength={200}
                data-testid="generate-product"
                {...form.register("product")}
              />
            </Field>
            {products.length > 0 && (
              <datalist id="gen-product-options">
                {products.map((p) => (
                  <option key={p} value={p} />
                ))}
              </datalist>
            )}
            <div className="grid gap-4 sm:grid-cols-2">
              <Field label="Tone" htmlFor="gen-tone" error={errors.tone?.message}>
                <Controller
                  control={form.control}
                  name="tone"
                  render={({ field }) => choice("gen-tone", GENERATE_TONES, (t) => TONE_LABEL[t], field)}
                />
              </Field>
              <Field label="Length" htmlFor="gen-length" error={errors.length?.message}>
                <Controller
                  control={form.control}
                  name="length"
                  render={({ field }) =>
                    choice("gen-length", GENERATE_LENGTHS, (t) => LENGTH_LABEL[t], field)
                  }
                />
              </Field>
            </div>
            <Field
              label="Context (optional)"
              htmlFor="gen-context"
              error={errors.context?.message}
              hint="Anything the writer should know: audience, an offer, a launch date."
            >
              <Textarea id="gen-context" rows={3} maxLength={2000} {...form.register("context")} />
            </Field>
          </form>
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
      </DialogContent>
    </Dialog>
  );
}

/** A Select bound to a react-hook-form field, for the dialog's fixed option lists. */
function choice<T extends string>(
  id: string,
  options: readonly T[],
  label: (t: T) => string,
  field: { value: string; onChange: (v: string) => void },
) {
  return (
    <Select value={field.value} onValueChange={field.onChange}>
      <SelectTrigger id={id} className="w-full">
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {options.map((t) => (
          <SelectItem key={t} value={t}>
            {label(t)}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
