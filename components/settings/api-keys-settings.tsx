"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRound, Plus } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CardSection } from "@/components/ui/card-section";
import { HiddenHead } from "@/components/ui/data-table-parts";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";
import { CardListStates } from "./card-list-states";
import { NewApiKeyDialog } from "./new-api-key-dialog";

export function ApiKeysSettings() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const keys = useQuery({ ...trpc.apiKeys.list.queryOptions({ workspaceId: ws.id }), enabled: ws.canAdmin });
  const [open, setOpen] = useState(false);

  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
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
    return <CardSection title="API keys" description="Only owners and admins can see and manage API keys." />;
  }

  return (
    <CardSection
      title="API keys"
      description={
        <>
          Keys let other tools use the REST API as {ws.name}. A key is shown once; we keep only its hash.{" "}
          <Link href={`/${ws.slug}/settings/api-docs`} className="underline underline-offset-2">
            REST API reference
          </Link>
        </>
      }
      action={
        <Button onClick={() => setOpen(true)} data-testid="new-api-key">
          <Plus aria-hidden /> New key
        </Button>
      }
      contentClassName="px-0 sm:px-6"
    >
      <CardListStates
        query={keys}
        skeletonRows={2}
        icon={KeyRound}
        emptyTitle="No API keys yet"
        emptyDescription="Create one for Zapier, a script or your own backend."
      >
        {(rows) => (
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
                  <HiddenHead label="Actions" className="text-right" />
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((k) => {
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
      </CardListStates>
      <NewApiKeyDialog open={open} onOpenChange={setOpen} onCreated={invalidate} />
    </CardSection>
  );
}
