"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRound, Plus } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";
import { CopyButton } from "./copy-button";

const EXPIRY_OPTIONS = [
  { label: "Never", days: 0 },
  { label: "30 days", days: 30 },
  { label: "90 days", days: 90 },
  { label: "1 year", days: 365 },
] as const;

export function ApiKeysSettings() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const keys = useQuery({ ...trpc.apiKeys.list.queryOptions({ workspaceId: ws.id }), enabled: ws.canAdmin });
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<{ key: string; name: string } | null>(null);
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<("read" | "write")[]>(["read", "write"]);
  const [expiryDays, setExpiryDays] = useState<number>(90);

  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: (res) => {
        setCreated({ key: res.key, name: res.apiKey.name });
        setName("");
        void invalidate();
      },
    }),
  );
  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: (k) => {
        toast.success(`Revoked “${k.name}”. It stops working immediately.`);
        void invalidate();
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );

  if (!ws.canAdmin) {
    return (
      <Card>
        <CardHeader>
          <CardTitle>API keys</CardTitle>
          <CardDescription>Only owners and admins can see and manage API keys.</CardDescription>
        </CardHeader>
      </Card>
    );
  }

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
    setOpen(next);
    if (!next) {
      setCreated(null);
      create.reset();
    }
  };

  return (
    <Card>
      <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-3">
        <div className="grid gap-1.5">
          <CardTitle>API keys</CardTitle>
          <CardDescription>
            Keys let other tools use the REST API as {ws.name}. A key is shown once; we keep only its hash.{" "}
            <Link href={`/${ws.slug}/settings/api-docs`} className="underline underline-offset-2">
              REST API reference
            </Link>
          </CardDescription>
        </div>
        <Button onClick={() => setOpen(true)} data-testid="new-api-key">
          <Plus aria-hidden /> New key
        </Button>
      </CardHeader>
      <CardContent className="px-0 sm:px-6">
        {keys.isError ? (
          <p role="alert" className="mx-6 text-destructive text-sm sm:mx-0">
            {errorMessage(keys.error)}
          </p>
        ) : !keys.data ? (
          <div className="grid gap-2 px-6 sm:px-0">
            <Skeleton className="h-10" />
            <Skeleton className="h-10" />
          </div>
        ) : keys.data.length === 0 ? (
          <EmptyState
            className="mx-6 sm:mx-0"
            icon={KeyRound}
            title="No API keys yet"
            description="Create one for Zapier, a script or your own backend."
          />
        ) : (
          <div className="overflow-x-auto">
            <Table aria-label="API keys" data-testid="api-keys-table">
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead>Key</TableHead>
                  <TableHead>Scopes</TableHead>
                  <TableHead className="hidden md:table-cell">Created</TableHead>
                  <TableHead className="hidden md:table-cell">Last used</TableHead>
                  <TableHead>Expires</TableHead>
                  <TableHead className="text-right">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {keys.data.map((k) => {
                  const expired = k.expiresAt && new Date(k.expiresAt).getTime() < Date.now();
                  return (
                    <TableRow
                      key={k.id}
                      className={k.revokedAt || expired ? "text-muted-foreground" : undefined}
                    >
                      <TableCell className="font-medium">{k.name}</TableCell>
                      <TableCell>
                        <code className="rounded bg-muted px-1.5 py-0.5 text-xs">{k.prefix}…</code>
                      </TableCell>
                      <TableCell>
                        <div className="flex gap-1">
                          {k.scopes.map((s) => (
                            <Badge key={s} variant="secondary">
                              {s}
                            </Badge>
                          ))}
                        </div>
                      </TableCell>
                      <TableCell className="hidden whitespace-nowrap md:table-cell">
                        {formatDateTime(k.createdAt, ws.timeZone)}
                        <div className="text-muted-foreground text-xs">
                          {k.creator?.name ?? k.creator?.email ?? "—"}
                        </div>
                      </TableCell>
                      <TableCell className="hidden whitespace-nowrap md:table-cell">
                        {k.lastUsedAt ? formatDateTime(k.lastUsedAt, ws.timeZone) : "Never"}
                      </TableCell>
                      <TableCell className="whitespace-nowrap">
                        {k.revokedAt ? (
                          <Badge variant="outline">Revoked</Badge>
                        ) : expired ? (
                          <Badge variant="outline">Expired</Badge>
                        ) : k.expiresAt ? (
                          formatDateTime(k.expiresAt, ws.timeZone)
                        ) : (
                          "Never"
                        )}
                      </TableCell>
                      <TableCell className="text-right">
                        {!k.revokedAt ? (
                          <Button
                            variant="ghost"
                            size="sm"
                            className="text-destructive"
                            disabled={revoke.isPending}
                            onClick={() => {
                              if (
                                window.confirm(`Revoke “${k.name}”? Anything using it stops working at once.`)
                              ) {
                                revoke.mutate({ workspaceId: ws.id, apiKeyId: k.id });
                              }
                            }}
                          >
                            Revoke
                          </Button>
                        ) : null}
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </div>
        )}
      </CardContent>

      <Dialog open={open} onOpenChange={closeDialog}>
        <DialogContent>
          {created ? (
            <>
              <DialogHeader>
                <DialogTitle>Copy your new key</DialogTitle>
                <DialogDescription>
                  This is the only time “{created.name}” is shown. Store it somewhere safe, like a password
                  manager.
                </DialogDescription>
              </DialogHeader>
              <div className="flex items-center gap-2">
                <code
                  data-testid="new-api-key-value"
                  className="min-w-0 flex-1 break-all rounded-md border bg-muted px-3 py-2 text-sm"
                >
                  {created.key}
                </code>
                <CopyButton value={created.key} />
              </div>
              <DialogFooter>
                <Button onClick={() => closeDialog(false)}>Done</Button>
              </DialogFooter>
            </>
          ) : (
            <form onSubmit={submit} className="grid gap-4" noValidate>
              <DialogHeader>
                <DialogTitle>New API key</DialogTitle>
                <DialogDescription>
                  Name it after what will use it, so you know what to revoke later.
                </DialogDescription>
              </DialogHeader>
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
              <fieldset className="grid gap-2">
                <legend className="mb-1 font-medium text-sm">Scopes</legend>
                {(["read", "write"] as const).map((s) => (
                  <Label key={s} className="flex items-center gap-2 font-normal text-sm">
                    <Checkbox
                      checked={scopes.includes(s)}
                      onCheckedChange={(v) =>
                        setScopes((cur) => (v ? [...cur, s] : cur.filter((x) => x !== s)))
                      }
                    />
                    {s === "read" ? "Read — list and get" : "Write — create, update, delete, send"}
                  </Label>
                ))}
                {errs.scopes ? <p className="text-destructive text-sm">{errs.scopes}</p> : null}
              </fieldset>
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
                <p role="alert" className="text-destructive text-sm">
                  {errorMessage(create.error)}
                </p>
              ) : null}
              <DialogFooter>
                <Button type="button" variant="outline" onClick={() => closeDialog(false)}>
                  Cancel
                </Button>
                <Button type="submit" disabled={create.isPending}>
                  Create key
                </Button>
              </DialogFooter>
            </form>
          )}
        </DialogContent>
      </Dialog>
    </Card>
  );
}
