"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { CardSection } from "@/components/ui/card-section";
import { Label } from "@/components/ui/label";
import { OptionSelect } from "@/components/ui/option-select";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { Switch } from "@/components/ui/switch";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";

const HOURS = Array.from({ length: 24 }, (_, h) => ({
  value: String(h),
  label: `${String(h).padStart(2, "0")}:00`,
}));

/** Settings → Delivery: the hours no campaign or sequence mail leaves (admins change them). */
export function QuietHoursCard() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const saved = useQuery(trpc.sendTime.quietHours.queryOptions({ workspaceId: ws.id }));
  const [form, setForm] = useState<{ on: boolean; from: string; to: string } | null>(null);
  useEffect(() => {
    if (saved.data && form === null) {
      const q = saved.data.quietHours;
      setForm({ on: q !== null, from: String(q?.from ?? 21), to: String(q?.to ?? 8) });
    }
  }, [saved.data, form]);
  const save = useMutation(
    trpc.sendTime.setQuietHours.mutationOptions({
      onSuccess: async (next) => {
        toast.success(next.quietHours ? "Quiet hours saved" : "Quiet hours off");
        await qc.invalidateQueries({ queryKey: trpc.sendTime.quietHours.queryKey() });
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const readOnly = !ws.canAdmin;

  if (!form || !saved.data) {
    return (
      <CardSection title="Quiet hours">
        <Skeleton className="h-24 w-full" />
      </CardSection>
    );
  }
  const same = form.on && form.from === form.to;
  const q = saved.data.quietHours;
  const dirty =
    form.on !== (q !== null) || (form.on && (Number(form.from) !== q?.from || Number(form.to) !== q?.to));

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({
          workspaceId: ws.id,
          quietHours: form.on ? { from: Number(form.from), to: Number(form.to) } : null,
        });
      }}
      data-testid="quiet-hours-card"
    >
      <CardSection
        title="Quiet hours"
        description={`No campaign or sequence email is sent during these hours, read on the workspace's clock (${saved.data.timeZone}). Mail that falls due inside them waits and goes out when they end. Sign-in, invitation and password emails are never held.`}
        contentClassName="grid gap-5"
        footerClassName="flex justify-end border-t pt-6"
        footer={
          readOnly ? undefined : (
            <Button type="submit" disabled={same || !dirty || save.isPending} data-testid="quiet-hours-save">
              {save.isPending && <Spinner />} Save
            </Button>
          )
        }
      >
        <div className="flex items-center gap-3">
          <Switch
            id="quiet-hours-on"
            checked={form.on}
            disabled={readOnly}
            onCheckedChange={(on) => setForm({ ...form, on })}
            data-testid="quiet-hours-on"
          />
          <Label htmlFor="quiet-hours-on">Hold campaign and sequence mail during quiet hours</Label>
        </div>
        {form.on && (
          <div className="grid max-w-md gap-4 sm:grid-cols-2">
            <div className="grid gap-2">
              <Label htmlFor="quiet-hours-from">From</Label>
              <OptionSelect
                id="quiet-hours-from"
                value={form.from}
                onChange={(v) => setForm({ ...form, from: v ?? form.from })}
                options={HOURS}
                disabled={readOnly}
                testId="quiet-hours-from"
              />
            </div>
            <div className="grid gap-2">
              <Label htmlFor="quiet-hours-to">Until</Label>
              <OptionSelect
                id="quiet-hours-to"
                value={form.to}
                onChange={(v) => setForm({ ...form, to: v ?? form.to })}
                options={HOURS}
                disabled={readOnly}
                testId="quiet-hours-to"
              />
            </div>
            <p
              className={
                same
                  ? "text-destructive text-sm sm:col-span-2"
                  : "text-muted-foreground text-sm sm:col-span-2"
              }
            >
              {same
                ? "The start and the end must differ."
                : `Mail due between ${HOURS[Number(form.from)]!.label} and ${HOURS[Number(form.to)]!.label} waits until ${HOURS[Number(form.to)]!.label}.`}
            </p>
          </div>
        )}
      </CardSection>
    </form>
  );
}
