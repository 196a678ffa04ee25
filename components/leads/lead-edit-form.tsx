"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { TagsInput } from "@/components/content/tags-input";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import type { LeadStatus } from "@/server/db/schema";
import { CustomFieldInput, type FieldValue, LEAD_STATUS_LABEL, LEAD_STATUS_LIST } from "./lead-meta";

type LeadData = {
  id: string;
  email: string;
  name: string | null;
  source: string | null;
  status: LeadStatus;
  tags: string[];
  customFields: Record<string, unknown>;
};

export function LeadEditForm({
  lead,
  defs,
  onDone,
}: {
  lead: LeadData;
  defs: {
    key: string;
    label: string;
    type: "text" | "number" | "date" | "boolean" | "select";
    options: string[];
  }[];
  onDone: () => void;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState(lead.email);
  const [name, setName] = useState(lead.name ?? "");
  const [source, setSource] = useState(lead.source ?? "");
  const [status, setStatus] = useState<LeadStatus>(lead.status);
  const [tags, setTags] = useState(lead.tags);
  const [custom, setCustom] = useState<Record<string, FieldValue>>(
    Object.fromEntries(defs.map((d) => [d.key, (lead.customFields[d.key] ?? null) as FieldValue])),
  );
  const update = useMutation(
    trpc.leads.update.mutationOptions({
      onSuccess: () => {
        toast.success("Lead saved");
        void queryClient.invalidateQueries({ queryKey: trpc.leads.pathKey() });
        onDone();
      },
    }),
  );
  const errors = update.error ? fieldErrors(update.error) : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate({
      workspaceId: ws.id,
      id: lead.id,
      email,
      name,
      source,
      status,
      tags,
      customFields: custom,
    });
  };
  return (
    <form onSubmit={submit} className="grid gap-4" noValidate data-testid="lead-edit-form">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Email" htmlFor="edit-email" error={errors.email}>
          <Input
            id="edit-email"
            type="email"
            value={email}
            maxLength={255}
            onChange={(e) => setEmail(e.target.value)}
            data-testid="lead-email-input"
          />
        </Field>
        <Field label="Name" htmlFor="edit-name" error={errors.name}>
          <Input id="edit-name" value={name} maxLength={255} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Status" htmlFor="edit-status">
          <Select value={status} onValueChange={(v) => setStatus(v as LeadStatus)}>
            <SelectTrigger id="edit-status" className="w-full">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {LEAD_STATUS_LIST.map((s) => (
                <SelectItem key={s} value={s}>
                  {LEAD_STATUS_LABEL[s]}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </Field>
        <Field label="Source" htmlFor="edit-source" error={errors.source}>
          <Input
            id="edit-source"
            value={source}
            maxLength={255}
            onChange={(e) => setSource(e.target.value)}
          />
        </Field>
      </div>
      <Field label="Tags" htmlFor="edit-tags" hint="Enter or comma adds a tag.">
        <TagsInput id="edit-tags" value={tags} onChange={setTags} max={50} maxLength={50} />
      </Field>
      {defs.length > 0 && (
        <div className="grid gap-4 sm:grid-cols-2">
          {defs.map((d) => (
            <Field
              key={d.key}
              label={d.label}
              htmlFor={`edit-cf-${d.key}`}
              error={errors[`customFields.${d.key}`]}
            >
              <CustomFieldInput
                id={`edit-cf-${d.key}`}
                def={d}
                value={custom[d.key]}
                onChange={(v) => setCustom((c) => ({ ...c, [d.key]: v }))}
              />
            </Field>
          ))}
        </div>
      )}
      {update.error && Object.keys(errors).length === 0 && (
        <p role="alert" className="text-destructive text-sm">
          {errorMessage(update.error)}
        </p>
      )}
      <div className="flex justify-end gap-2">
        <Button type="button" variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" disabled={update.isPending} data-testid="lead-save">
          {update.isPending ? "Saving…" : "Save"}
        </Button>
      </div>
    </form>
  );
}
