"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { TagsInput } from "@/components/content/tags-input";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError, InputField } from "@/components/ui/form-field";
import { OptionSelect, optionsOf } from "@/components/ui/option-select";
import { toast } from "@/lib/toast";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import type { LeadStatus } from "@/server/db/schema";
import { CustomFieldFields, LeadEmailAndName } from "./lead-form-fields";
import { type FieldValue, LEAD_STATUS_LABEL, LEAD_STATUS_LIST } from "./lead-meta";

const STATUS_OPTIONS = optionsOf(LEAD_STATUS_LIST, (s) => LEAD_STATUS_LABEL[s]);

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
        <LeadEmailAndName
          idPrefix="edit"
          email={email}
          setEmail={setEmail}
          emailError={errors.email}
          name={name}
          setName={setName}
          nameError={errors.name}
        />
        <Field label="Status" htmlFor="edit-status">
          <OptionSelect
            id="edit-status"
            value={status}
            onChange={(v) => v && setStatus(v as LeadStatus)}
            options={STATUS_OPTIONS}
          />
        </Field>
        <InputField
          id="edit-source"
          label="Source"
          error={errors.source}
          value={source}
          maxLength={255}
          onChange={(e) => setSource(e.target.value)}
        />
      </div>
      <Field label="Tags" htmlFor="edit-tags" hint="Enter or comma adds a tag.">
        <TagsInput id="edit-tags" value={tags} onChange={setTags} max={50} maxLength={50} />
      </Field>
      {defs.length > 0 && (
        <div className="grid gap-4 sm:grid-cols-2">
          <CustomFieldFields
            defs={defs}
            idPrefix="edit-cf"
            values={custom}
            setValues={setCustom}
            errors={errors}
          />
        </div>
      )}
      {update.error && Object.keys(errors).length === 0 && (
        <FormError>{errorMessage(update.error)}</FormError>
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
