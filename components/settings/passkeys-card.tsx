"use client";

import { KeyRound, Pencil, Trash2 } from "lucide-react";
import { useCallback, useEffect, useState } from "react";
import { passkeyUnavailableReason } from "@/components/auth/passkey-support";
import { useAuthRequest } from "@/components/auth/use-auth-request";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CardContent, CardFooter } from "@/components/ui/card";
import { CardSection } from "@/components/ui/card-section";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormError } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { authClient } from "@/lib/auth-client";
import { toast } from "@/lib/toast";
import { formatDateTime } from "@/lib/utils";

interface PasskeyRow {
  id: string;
  name?: string | null;
  createdAt: Date | string;
  deviceType: string;
  backedUp: boolean;
}

type AuthError = { code?: string; message?: string } | null;

/** better-auth's and the browser's refusals, as the person adding a passkey should read them. */
function addError(error: AuthError): string {
  switch (error?.code) {
    case "SESSION_NOT_FRESH":
      return "For your security, sign out and sign in again (within the last day) before adding a passkey.";
    case "ERROR_CEREMONY_ABORTED":
    case "NotAllowedError":
      return "No passkey was added: the request was cancelled or timed out.";
    case "ERROR_INVALID_DOMAIN":
    case "ERROR_INVALID_RP_ID":
      return "This address cannot hold passkeys: open Organic at its https:// address (or on localhost).";
    case "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED":
      return "This device or password manager already holds a passkey for your account.";
    default:
      return error?.message || "Could not add the passkey";
  }
}

function PasskeyItem({ pk, onChanged }: { pk: PasskeyRow; onChanged: () => void }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(pk.name ?? "");
  const [confirming, setConfirming] = useState(false);
  const { error, busy, run } = useAuthRequest();
  const label = pk.name || "Unnamed passkey";

  async function rename(e: React.FormEvent) {
    e.preventDefault();
    const res = await run(
      () => authClient.passkey.updatePasskey({ id: pk.id, name: name.trim() }),
      "Could not rename the passkey",
    );
    if (!res) return;
    setEditing(false);
    onChanged();
  }
  async function remove() {
    const res = await run(() => authClient.passkey.deletePasskey({ id: pk.id }), "Could not delete it");
    if (!res) return;
    setConfirming(false);
    toast.success(`Passkey “${label}” deleted`);
    onChanged();
  }

  return (
    <li className="grid gap-2 p-3 text-sm" data-testid="passkey-row">
      {editing ? (
        <form onSubmit={rename} className="flex flex-wrap items-center gap-2" noValidate>
          <Label htmlFor={`passkey-name-${pk.id}`} className="sr-only">
            Passkey name
          </Label>
          <Input
            id={`passkey-name-${pk.id}`}
            className="h-8 max-w-xs"
            value={name}
            maxLength={100}
            autoFocus
            onChange={(e) => setName(e.target.value)}
          />
          <Button type="submit" size="sm" disabled={busy || !name.trim()}>
            Save
          </Button>
          <Button type="button" size="sm" variant="ghost" onClick={() => setEditing(false)}>
            Cancel
          </Button>
        </form>
      ) : (
        <div className="flex flex-wrap items-center justify-between gap-2">
          <div className="flex min-w-0 items-center gap-3">
            <KeyRound aria-hidden className="size-4 shrink-0 text-muted-foreground" />
            <div className="min-w-0">
              <p className="truncate font-medium" data-testid="passkey-name">
                {label}
              </p>
              <p className="text-muted-foreground text-xs">Added {formatDateTime(pk.createdAt)}</p>
            </div>
            <Badge variant="outline">
              {pk.deviceType === "multiDevice" ? "Synced" : "This device only"}
              {pk.backedUp ? " · backed up" : ""}
            </Badge>
          </div>
          <div className="flex gap-1">
            <Button
              variant="ghost"
              size="icon-sm"
              aria-label={`Rename ${label}`}
              onClick={() => {
                setName(pk.name ?? "");
                setEditing(true);
              }}
            >
              <Pencil aria-hidden />
            </Button>
            <ConfirmDialog
              open={confirming}
              onOpenChange={setConfirming}
              trigger={
                <Button
                  variant="ghost"
                  size="icon-sm"
                  className="text-muted-foreground hover:text-destructive"
                  aria-label={`Delete ${label}`}
                >
                  <Trash2 aria-hidden />
                </Button>
              }
              title={`Delete the passkey “${label}”?`}
              description="You will no longer be able to sign in with it. It stays on your device until you remove it there too."
              confirmLabel="Delete passkey"
              confirmTestId="confirm-delete-passkey"
              destructive
              pending={busy}
              keepOpen
              onConfirm={remove}
            >
              <FormError>{confirming ? error : null}</FormError>
            </ConfirmDialog>
          </div>
        </div>
      )}
      {editing && <FormError>{error}</FormError>}
    </li>
  );
}

/** Settings → Security: the account's passkeys (WebAuthn), to sign in without a password. */
export function PasskeysCard() {
  const [list, setList] = useState<PasskeyRow[] | null>(null);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [unavailable, setUnavailable] = useState<string | null>(null);

  const load = useCallback(async () => {
    const res = await authClient.passkey.listUserPasskeys();
    if (!res.error) setList(res.data as PasskeyRow[]);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => setUnavailable(passkeyUnavailableReason()), []);

  async function add(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    const res = await authClient.passkey.addPasskey({ name: name.trim() || undefined });
    setBusy(false);
    if (res?.error) return setError(addError(res.error as AuthError));
    toast.success("Passkey added");
    setName("");
    void load();
  }

  return (
    <CardSection
      title="Passkeys"
      description="Sign in with your fingerprint, face or device PIN instead of a password. A passkey sign-in needs no two-factor code: the passkey is both factors."
      bare
    >
      <CardContent className="grid gap-4">
        {list && list.length === 0 ? (
          <p className="text-muted-foreground text-sm" data-testid="passkeys-empty">
            No passkeys yet.
          </p>
        ) : (
          <ul className="divide-y rounded-md border" data-testid="passkeys-list">
            {(list ?? []).map((pk) => (
              <PasskeyItem key={pk.id} pk={pk} onChanged={load} />
            ))}
          </ul>
        )}
      </CardContent>
      {unavailable ? (
        <CardContent>
          <p className="rounded-md bg-muted px-3 py-2 text-sm" data-testid="passkeys-unavailable">
            {unavailable}
          </p>
        </CardContent>
      ) : (
        <form onSubmit={add} noValidate>
          <CardContent className="grid max-w-sm gap-2">
            <Label htmlFor="new-passkey-name">Name for a new passkey</Label>
            <Input
              id="new-passkey-name"
              placeholder="e.g. MacBook Touch ID"
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
            <FormError>{error}</FormError>
          </CardContent>
          <CardFooter className="mt-4">
            <Button type="submit" disabled={busy}>
              Add passkey
            </Button>
          </CardFooter>
        </form>
      )}
    </CardSection>
  );
}
