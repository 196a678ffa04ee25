"use client";

import { useQuery } from "@tanstack/react-query";
import { Monitor, Smartphone } from "lucide-react";
import { useMemo, useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { useDebouncedValue } from "@/hooks/use-debounce";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { cn } from "@/lib/utils";
import type { SenderOverrides, StepInput } from "@/server/services/email/campaign-schemas";

type PreviewInput = { workspaceId: string; step: StepInput; sender: SenderOverrides };

const WIDTHS = [
  { value: "desktop", label: "Desktop width", icon: Monitor, testId: undefined },
  { value: "mobile", label: "Mobile width", icon: Smartphone, testId: "preview-mobile" },
] as const;

/**
 * The step as a lead will receive it, rendered by the same code the sender uses (merge tags filled
 * for a real lead of the workspace, footer with the postal address and unsubscribe link).
 */
export function CampaignEmailPreview({ step, sender }: { step: StepInput; sender: SenderOverrides }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const [width, setWidth] = useState<"desktop" | "mobile">("desktop");
  // react-hook-form hands out its live form values and later changes them in place, so the preview
  // works on a frozen copy: the query key and the input it fetches are always the same message.
  const settled = useDebouncedValue(JSON.stringify({ workspaceId: ws.id, step, sender }), 400);
  const input = useMemo(() => JSON.parse(settled) as PreviewInput, [settled]);
  const preview = useQuery({
    ...trpc.email.campaigns.preview.queryOptions(input),
    enabled: input.step.subject.trim().length > 0,
  });
  // The last good render stays on screen (dimmed) while a newer one loads or cannot render, so the
  // frame is never torn down and rebuilt between two renders.
  const [lastGood, setLastGood] = useState(preview.data);
  if (preview.data && preview.data !== lastGood) setLastGood(preview.data);
  const shown = preview.data ?? lastGood;

  return (
    <div className="grid gap-3" data-testid="campaign-preview">
      <div className="flex items-center justify-between gap-2">
        <p className="min-w-0 truncate text-sm">
          <span className="text-muted-foreground">Subject: </span>
          <span className="font-medium">{shown?.subject || step.subject || "(no subject)"}</span>
        </p>
        <div className="flex shrink-0 gap-1" role="group" aria-label="Preview width">
          {WIDTHS.map((w) => (
            <Button
              key={w.value}
              type="button"
              size="icon"
              variant={width === w.value ? "secondary" : "ghost"}
              aria-pressed={width === w.value}
              aria-label={w.label}
              data-testid={w.testId}
              onClick={() => setWidth(w.value)}
            >
              <w.icon aria-hidden />
            </Button>
          ))}
        </div>
      </div>
      <div className="overflow-x-auto rounded-lg border bg-muted/40 p-2">
        {shown ? (
          <iframe
            title="Email preview"
            // No scripts run in the preview; the HTML is the sanitized, rendered message.
            sandbox=""
            srcDoc={shown.html}
            className={cn(
              "mx-auto block h-[560px] rounded-md border bg-white transition-[width,opacity]",
              width === "desktop" ? "w-full min-w-[320px]" : "w-[375px] max-w-full",
              preview.error && "opacity-50",
            )}
          />
        ) : (
          <Skeleton className="h-[560px] w-full" />
        )}
      </div>
      {preview.error && (
        <p role="alert" className="text-destructive text-sm" data-testid="preview-error">
          {errorMessage(preview.error)}
        </p>
      )}
      {shown && (
        <p className="text-xs text-muted-foreground">
          {shown.sampleLead
            ? `Merge tags filled for ${shown.sampleLead}.`
            : "Merge tags filled with sample data (no leads yet)."}
        </p>
      )}
    </div>
  );
}
