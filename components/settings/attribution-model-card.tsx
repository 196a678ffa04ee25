"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { CardSection } from "@/components/ui/card-section";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { toast } from "@/lib/toast";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import { cn } from "@/lib/utils";
import type { AttributionModel } from "@/server/services/workspaces/schemas";

const MODELS: { value: AttributionModel; label: string; hint: string }[] = [
  {
    value: "last_touch",
    label: "Last touch",
    hint: "The whole order goes to the last thing the buyer clicked or signed up through before buying.",
  },
  {
    value: "first_touch",
    label: "First touch",
    hint: "The whole order goes to what first brought the buyer in, within the window.",
  },
  {
    value: "linear",
    label: "Linear",
    hint: "The order is shared evenly between every touch in the window, to the cent.",
  },
];

/** The attribution model and window: admins change them, and every order is credited again. */
export function ModelCard() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const saved = useQuery(trpc.attribution.settings.queryOptions({ workspaceId: ws.id }));
  const [model, setModel] = useState<AttributionModel | null>(null);
  const [windowDays, setWindowDays] = useState("");
  useEffect(() => {
    if (saved.data && model === null) {
      setModel(saved.data.model);
      setWindowDays(String(saved.data.windowDays));
    }
  }, [saved.data, model]);
  const save = useMutation(
    trpc.attribution.updateSettings.mutationOptions({
      onSuccess: async (next) => {
        toast.success(
          next.recredited === null
            ? `Saved: the ${next.orders} orders are being credited again in the background (a minute or so)`
            : `Saved: ${next.recredited} order${next.recredited === 1 ? "" : "s"} credited again with the new rule`,
        );
        await qc.invalidateQueries({ queryKey: trpc.attribution.pathKey() });
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const errs = fieldErrors(save.error);
  const readOnly = !ws.canAdmin;

  if (!model) {
    return (
      <CardSection title="How orders are credited">
        <Skeleton className="h-40 w-full" />
      </CardSection>
    );
  }
  const days = Number(windowDays);
  const validDays = Number.isInteger(days) && days >= 1 && days <= 90;
  const dirty = model !== saved.data?.model || days !== saved.data?.windowDays;

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (validDays) save.mutate({ workspaceId: ws.id, model, windowDays: days });
      }}
    >
      <CardSection
        title="How orders are credited"
        description="An order that carries the click id of one of your tracked links goes to that link. Otherwise the buyer's email finds the lead, and their email clicks, link clicks and sign-ups before the purchase share the credit by this rule. Orders with neither stay unattributed and are shown as such."
        contentClassName="grid gap-5"
        footerClassName="flex justify-end border-t pt-6"
        footer={
          readOnly ? undefined : (
            <Button
              type="submit"
              disabled={!validDays || !dirty || save.isPending}
              data-testid="attribution-save"
            >
              {save.isPending && <Spinner />} Save and credit again
            </Button>
          )
        }
      >
        <fieldset className="grid gap-2" disabled={readOnly}>
          <legend className="mb-2 font-medium text-sm">Model</legend>
          <div className="grid gap-2 sm:grid-cols-3">
            {MODELS.map((m) => (
              <label
                key={m.value}
                className={cn(
                  "flex cursor-pointer flex-col gap-1 rounded-lg border p-3 text-sm transition-colors has-[:focus-visible]:ring-[3px] has-[:focus-visible]:ring-ring/50",
                  model === m.value ? "border-primary bg-primary/5" : "hover:bg-accent/50",
                )}
              >
                <span className="flex items-center gap-2 font-medium">
                  <input
                    type="radio"
                    name="attribution-model"
                    value={m.value}
                    checked={model === m.value}
                    onChange={() => setModel(m.value)}
                    className="accent-primary"
                    data-testid={`attribution-model-${m.value}`}
                  />
                  {m.label}
                </span>
                <span className="text-muted-foreground">{m.hint}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="grid max-w-xs gap-2">
          <Label htmlFor="attribution-window">Window (days before the purchase)</Label>
          <Input
            id="attribution-window"
            type="number"
            min={1}
            max={90}
            inputMode="numeric"
            value={windowDays}
            disabled={readOnly}
            onChange={(e) => setWindowDays(e.target.value)}
            aria-invalid={!validDays || errs.windowDays ? true : undefined}
            aria-describedby="attribution-window-hint"
            data-testid="attribution-window"
          />
          <p
            id="attribution-window-hint"
            className={cn("text-sm", validDays ? "text-muted-foreground" : "text-destructive")}
          >
            {validDays ? "Touches older than this before the purchase do not count." : "From 1 to 90 days."}
          </p>
        </div>
      </CardSection>
    </form>
  );
}
