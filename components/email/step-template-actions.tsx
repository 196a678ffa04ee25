"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { FileDown, FileUp } from "lucide-react";
import { useState } from "react";
import { useFormContext, useWatch } from "react-hook-form";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { DialogFooter } from "@/components/ui/dialog";
import { DialogShell } from "@/components/ui/dialog-shell";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { starterBlocks } from "@/lib/email-blocks";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { cn } from "@/lib/utils";
import type { CampaignDraft } from "./campaign-form";

/** Markdown | Blocks for one step. Switching to blocks starts an empty step from a starter layout. */
export function StepFormatSwitch({ index: i, readOnly }: { index: number; readOnly: boolean }) {
  const { control, getValues, setValue } = useFormContext<CampaignDraft>();
  const format = useWatch({ control, name: `steps.${i}.format` });
  const pick = (next: "markdown" | "blocks") => {
    if (next === "blocks" && !getValues(`steps.${i}.blocks`)?.length)
      setValue(`steps.${i}.blocks`, starterBlocks(), { shouldDirty: true });
    setValue(`steps.${i}.format`, next, { shouldDirty: true });
  };
  return (
    <div className="inline-flex rounded-md border p-0.5" role="group" aria-label="Email format">
      {(["markdown", "blocks"] as const).map((f) => (
        <button
          key={f}
          type="button"
          disabled={readOnly}
          aria-pressed={format === f}
          data-testid={`step-format-${f}`}
          onClick={() => pick(f)}
          className={cn(
            "rounded px-3 py-1 text-sm",
            format === f ? "bg-secondary font-medium" : "text-muted-foreground hover:text-foreground",
          )}
        >
          {f === "markdown" ? "Markdown" : "Blocks"}
        </button>
      ))}
    </div>
  );
}

/** "Save as template" and "Start from template" for one step. */
export function StepTemplateActions({ index: i, readOnly }: { index: number; readOnly: boolean }) {
  const ws = useWorkspace();
  if (!ws.canWrite) return null;
  return (
    <div className="flex flex-wrap gap-2">
      <SaveTemplateDialog index={i} />
      {!readOnly && <StartFromTemplateDialog index={i} />}
    </div>
  );
}

function SaveTemplateDialog({ index: i }: { index: number }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { getValues } = useFormContext<CampaignDraft>();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const save = useMutation(
    trpc.emailTemplates.create.mutationOptions({
      onSuccess: (t) => {
        toast.success(`Saved as template "${t.name}"`);
        qc.invalidateQueries({ queryKey: trpc.emailTemplates.list.queryKey() });
        setOpen(false);
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const submit = () => {
    const s = getValues(`steps.${i}`);
    save.mutate({
      workspaceId: ws.id,
      name,
      subject: s.subject,
      preheader: s.preheader,
      format: s.format,
      blocks: s.format === "blocks" ? s.blocks : null,
      body: s.format === "markdown" ? s.body : "",
    });
  };
  return (
    <DialogShell
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) setName(getValues(`steps.${i}.subject`) || "");
      }}
      trigger={
        <Button type="button" variant="outline" size="sm" data-testid="save-template">
          <FileDown aria-hidden />
          Save as template
        </Button>
      }
      title="Save as template"
      description="Keeps this email's subject, preheader and content to start new emails from."
      form={{
        onSubmit: (e) => {
          e.preventDefault();
          submit();
        },
      }}
    >
      <Field label="Template name" htmlFor={`template-name-${i}`}>
        <Input
          id={`template-name-${i}`}
          data-testid="template-name"
          value={name}
          maxLength={255}
          onChange={(e) => setName(e.target.value)}
        />
      </Field>
      <DialogFooter>
        <Button type="submit" disabled={save.isPending || !name.trim()} data-testid="save-template-submit">
          {save.isPending && <Spinner />}
          Save template
        </Button>
      </DialogFooter>
    </DialogShell>
  );
}

function StartFromTemplateDialog({ index: i }: { index: number }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const { setValue } = useFormContext<CampaignDraft>();
  const [open, setOpen] = useState(false);
  const list = useQuery({ ...trpc.emailTemplates.list.queryOptions({ workspaceId: ws.id }), enabled: open });
  const templates = list.data ?? [];
  return (
    <DialogShell
      open={open}
      onOpenChange={setOpen}
      trigger={
        <Button type="button" variant="outline" size="sm" data-testid="start-from-template">
          <FileUp aria-hidden />
          Start from template
        </Button>
      }
      title="Start from a template"
      description="Replaces this email's subject, preheader and content with the template's."
      testId="template-picker"
    >
      {list.isPending ? (
        <Skeleton className="h-24 w-full" />
      ) : templates.length === 0 ? (
        <p className="text-muted-foreground text-sm">
          No templates yet: use "Save as template" on an email first.
        </p>
      ) : (
        <ul className="grid max-h-80 gap-1 overflow-y-auto">
          {templates.map((t) => (
            <li key={t.id}>
              <button
                type="button"
                data-testid="template-option"
                className="grid w-full gap-0.5 rounded-md border px-3 py-2 text-left hover:bg-accent"
                onClick={() => {
                  const opts = { shouldDirty: true };
                  if (t.subject) setValue(`steps.${i}.subject`, t.subject, opts);
                  setValue(`steps.${i}.preheader`, t.preheader, opts);
                  setValue(`steps.${i}.format`, t.format, opts);
                  if (t.format === "blocks") setValue(`steps.${i}.blocks`, t.blocks ?? [], opts);
                  else setValue(`steps.${i}.body`, t.body, opts);
                  toast.success(`Started from "${t.name}"`);
                  setOpen(false);
                }}
              >
                <span className="font-medium text-sm">{t.name}</span>
                <span className="truncate text-muted-foreground text-xs">
                  {t.format === "blocks" ? "Blocks" : "Markdown"}
                  {t.subject ? ` · ${t.subject}` : ""}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </DialogShell>
  );
}
