"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { DialogShell, FormFooter } from "@/components/ui/dialog-shell";
import { CheckboxGroup, FormError } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import { SecretOnce } from "./copy-button";

const SCOPE_OPTIONS = [
  { value: "read", label: "Read — list and get" },
  { value: "write", label: "Write — create, update, delete, send" },
] as const;

const EXPIRY_OPTIONS = [
  { label: "Never", days: 0 },
  { label: "30 days", days: 30 },
  { label: "90 days", days: 90 },
  { label: "1 year", days: 365 },
] as const;

/** A new key: name, scopes and expiry; the key itself is shown once, with a copy button. */
export function NewApiKeyDialog({
  open,
  onOpenChange,
  onCreated,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: () => void;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const [created, setCreated] = useState<{ key: string; name: string } | null>(null);
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<("read" | "write")[]>(["read", "write"]);
  const [expiryDays, setExpiryDays] = useState<number>(90);
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: (res) => {
        setCreated({ key: res.key, name: res.apiKey.name });
        setName("");
        onCreated();
      },
    }),
  );
  const errs = fieldErrors(create.error);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    create.mutate({
      workspaceId: ws.id,
      name,
      scopes,
      expiresAt: expiryDays ? new Date(Date.now() + expiryDays * 86_400_000) : null,
    });
  };
  const closeDialog = (next: boolean) => {
    onOpenChange(next);
    if (!next) {
      setCreated(null);
      create.reset();
    }
  };

  return (
    <DialogShell
      open={open}
      onOpenChange={closeDialog}
      title={created ? "Copy your new key" : "New API key"}
      description={
        created ? (
          <>
            This is the only time “{created.name}” is shown. Store it somewhere safe, like a password manager.
          </>
        ) : (
          "Name it after what will use it, so you know what to revoke later."
        )
      }
      form={created ? undefined : { onSubmit: submit, className: "grid gap-4", noValidate: true }}
    >
      {created ? (
        <SecretOnce value={created.key} testId="new-api-key-value" onDone={() => closeDialog(false)} />
      ) : (
        <>
          <div className="grid gap-2">
            <Label htmlFor="api-key-name">Name</Label>
            <Input
              id="api-key-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="e.g. Zapier"
              aria-invalid={errs.name ? true : undefined}
            />
            {errs.name ? <p className="text-destructive text-sm">{errs.name}</p> : null}
          </div>
          <CheckboxGroup
            legend="Scopes"
            options={SCOPE_OPTIONS}
            value={scopes}
            onChange={setScopes}
            error={errs.scopes}
          />
          <div className="grid gap-2">
            <Label htmlFor="api-key-expiry">Expires</Label>
            <select
              id="api-key-expiry"
              className="h-9 rounded-md border bg-background px-3 text-sm"
              value={expiryDays}
              onChange={(e) => setExpiryDays(Number(e.target.value))}
            >
              {EXPIRY_OPTIONS.map((o) => (
                <option key={o.label} value={o.days}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          {create.error && !errs.name && !errs.scopes ? (
            <FormError>{errorMessage(create.error)}</FormError>
          ) : null}
          <FormFooter onCancel={() => closeDialog(false)} submitDisabled={create.isPending}>
            Create key
          </FormFooter>
        </>
      )}
    </DialogShell>
  );
}
