"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Monitor, Smartphone } from "lucide-react";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { useDebouncedValue } from "@/hooks/use-debounce";
import { useTRPC } from "@/lib/trpc/client";
import { cn } from "@/lib/utils";
import type { SenderOverrides, StepInput } from "@/server/services/email/campaign-schemas";

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
  const input = useDebouncedValue({ workspaceId: ws.id, step, sender }, 400);
  const preview = useQuery({
    ...trpc.email.campaigns.preview.queryOptions(input),
    placeholderData: keepPreviousData,
    enabled: input.step.subject.trim().length > 0,
  });

  return (
    <div className="grid gap-3" data-testid="campaign-preview">
      <div className="flex items-center justify-between gap-2">
        <p className="min-w-0 truncate text-sm">
          <span className="text-muted-foreground">Subject: </span>
          <span className="font-medium">{preview.data?.subject || step.subject || "(no subject)"}</span>
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
        {preview.data ? (
          <iframe
            title="Email preview"
            // No scripts run in the preview; the HTML is the sanitized, rendered message.
            sandbox=""
            srcDoc={preview.data.html}
            className={cn(
              "mx-auto block h-[560px] rounded-md border bg-white transition-[width]",
              width === "desktop" ? "w-full min-w-[320px]" : "w-[375px] max-w-full",
            )}
          />
        ) : (
          <Skeleton className="h-[560px] w-full" />
        )}
      </div>
      {preview.data && (
        <p className="text-xs text-muted-foreground">
          {preview.data.sampleLead
            ? `Merge tags filled for ${preview.data.sampleLead}.`
            : "Merge tags filled with sample data (no leads yet)."}
        </p>
      )}
    </div>
  );
}
