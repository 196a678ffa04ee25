"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";

/**
 * DKIM: the workspace's signing domain, selector and private key — the fallback for mail whose From
 * has no sender-domain key checked ok (sender-domain-signing.ts). The key is sealed on the server
 * and never comes back; what comes back is the DNS TXT record to publish.
 */
export function DkimSettingsCard() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const current = useQuery(trpc.email.sender.dkim.queryOptions({ workspaceId: ws.id }));
  const [domain, setDomain] = useState<string | null>(null);
  const [selector, setSelector] = useState<string | null>(null);
  const [privateKey, setPrivateKey] = useState("");
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.email.sender.dkim.queryKey() });
  const save = useMutation(
    trpc.email.sender.updateDkim.mutationOptions({
      onSuccess: async () => {
        toast.success("DKIM signing saved");
        setPrivateKey("");
        await refresh();
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const remove = useMutation(
    trpc.email.sender.removeDkim.mutationOptions({
      onSuccess: async () => {
        toast.success("DKIM signing turned off");
        setDomain(null);
        setSelector(null);
        await refresh();
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  if (current.isPending) return <Skeleton className="h-48 w-full" />;
  const data = current.data ?? null;
  const readOnly = !ws.canAdmin;
  const domainValue = domain ?? data?.domain ?? "";
  const selectorValue = selector ?? data?.selector ?? "organic";

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({
          workspaceId: ws.id,
          domain: domainValue,
          selector: selectorValue,
          privateKey: privateKey.trim() || undefined,
        });
      }}
    >
      <Card>
        <CardHeader>
          <CardTitle>4. Workspace DKIM key (optional, older setup)</CardTitle>
          <CardDescription>
            Sender domains above get their own DKIM key — use those. A domain's own key wins whenever its DKIM
            record checks OK; this pasted key signs only the rest of the mail (a From with no domain key yet).
            The private key is stored encrypted and is never shown again.
            {readOnly && " Only admins can change this."}
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          {data?.dnsValue ? (
            <div className="grid gap-1 rounded-md border bg-muted/40 p-3 text-sm" data-testid="dkim-dns">
              <p className="font-medium">Publish this TXT record</p>
              <p className="break-all font-mono text-xs">{data.dnsName}</p>
              <p className="break-all font-mono text-xs">{data.dnsValue}</p>
            </div>
          ) : data ? (
            <p role="status" className="rounded-md border border-warning/30 bg-warning/10 p-3 text-sm">
              The stored key can't be opened (the encryption key changed). Paste the private key again.
            </p>
          ) : (
            <p className="text-sm text-muted-foreground" data-testid="dkim-off">
              Off: mail is sent unsigned (your SMTP provider may still sign it).
            </p>
          )}
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Signing domain" htmlFor="dkim-domain">
              <Input
                id="dkim-domain"
                data-testid="dkim-domain"
                disabled={readOnly}
                placeholder="yourdomain.com"
                value={domainValue}
                onChange={(e) => setDomain(e.target.value)}
              />
            </Field>
            <Field label="Selector" htmlFor="dkim-selector">
              <Input
                id="dkim-selector"
                data-testid="dkim-selector"
                disabled={readOnly}
                value={selectorValue}
                onChange={(e) => setSelector(e.target.value)}
              />
            </Field>
          </div>
          {!readOnly && (
            <Field
              label="Private key (PEM)"
              htmlFor="dkim-private-key"
              hint={data ? "Leave empty to keep the stored key." : "RSA (2048 bits recommended) or Ed25519."}
            >
              <Textarea
                id="dkim-private-key"
                data-testid="dkim-private-key"
                rows={4}
                autoComplete="off"
                spellCheck={false}
                className="font-mono text-xs"
                placeholder="-----BEGIN PRIVATE KEY-----"
                value={privateKey}
                onChange={(e) => setPrivateKey(e.target.value)}
              />
            </Field>
          )}
        </CardContent>
        {!readOnly && (
          <CardFooter className="justify-end gap-2">
            {data && (
              <Button
                type="button"
                variant="outline"
                disabled={remove.isPending}
                onClick={() => remove.mutate({ workspaceId: ws.id })}
              >
                Turn off
              </Button>
            )}
            <Button type="submit" data-testid="dkim-save" disabled={save.isPending}>
              {save.isPending && <Spinner />}
              Save DKIM
            </Button>
          </CardFooter>
        )}
      </Card>
    </form>
  );
}
