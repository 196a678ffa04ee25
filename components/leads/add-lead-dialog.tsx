"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { TagsInput } from "@/components/content/tags-input";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { DialogShell, FormFooter } from "@/components/ui/dialog-shell";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-field";
import { normalizeEmail } from "@/lib/email-address";
import { toast } from "@/lib/toast";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import { CustomFieldFields, LeadEmailAndName } from "./lead-form-fields";
import type { FieldValue } from "./lead-meta";

export function AddLeadDialog({
  label = "Add lead",
  testId = "add-lead",
}: {
  label?: string;
  testId?: string;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [tags, setTags] = useState<string[]>([]);
  const [custom, setCustom] = useState<Record<string, FieldValue>>({});
  const [clientError, setClientError] = useState<string | null>(null);
  const fields = useQuery({ ...trpc.leads.fields.list.queryOptions({ workspaceId: ws.id }), enabled: open });

  const create = useMutation(
    trpc.leads.create.mutationOptions({
      onSuccess: (lead) => {
        toast.success(`Added ${lead.email}`);
        void queryClient.invalidateQueries({ queryKey: trpc.leads.pathKey() });
        setOpen(false);
        setEmail("");
        setName("");
        setTags([]);
        setCustom({});
        router.push(`/${ws.slug}/leads/${lead.id}`);
      },
    }),
  );
  const errors = create.error ? fieldErrors(create.error) : {};

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const check = normalizeEmail(email);
    if (!check.ok) {
      setClientError(check.reason);
      return;
    }
    setClientError(null);
    create.mutate({ workspaceId: ws.id, email, name, tags, customFields: custom, source: "manual" });
  };

  return (
    <DialogShell
      open={open}
      onOpenChange={(v) => {
        setOpen(v);
        if (!v) create.reset();
      }}
      trigger={
        <Button data-testid={testId}>
          <Plus aria-hidden />
          {label}
        </Button>
      }
      className="max-h-[90vh] overflow-y-auto sm:max-w-lg"
      form={{ onSubmit: submit, className: "grid gap-4", noValidate: true }}
      title="Add a lead"
      description="The email is trimmed and lower-cased; each address appears once."
    >
      <LeadEmailAndName
        idPrefix="lead"
        isNew
        email={email}
        setEmail={setEmail}
        emailError={clientError ?? errors.email}
        name={name}
        setName={setName}
        nameError={errors.name}
      />
      <Field label="Tags" htmlFor="lead-tags" hint="Enter or comma adds a tag.">
        <TagsInput id="lead-tags" value={tags} onChange={setTags} max={50} maxLength={50} />
      </Field>
      <CustomFieldFields
        defs={fields.data ?? []}
        idPrefix="lead-cf"
        values={custom}
        setValues={setCustom}
        errors={errors}
      />
      {create.error && !errors.email && !Object.keys(errors).some((k) => k.startsWith("customFields.")) && (
        <FormError>{errorMessage(create.error)}</FormError>
      )}
      <FormFooter onCancel={() => setOpen(false)} submitDisabled={create.isPending} submitTestId="lead-save">
        {create.isPending ? "Saving…" : "Save lead"}
      </FormFooter>
    </DialogShell>
  );
}
