"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { RefreshCw, Trash2 } from "lucide-react";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { CopyButton } from "@/components/settings/copy-button";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { useOnDemand } from "@/hooks/use-on-demand";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";

// The domain rule (Zod) loads when the form is first focused, not with the page; the server checks too.
const loadRules = () => import("@/server/services/email/sender-domain-schemas");

const STATUS = {
  verified: { label: "Verified", variant: "success" },
  pending: { label: "Not checked yet", variant: "outline" },
  failed: { label: "Not found", variant: "warning" },
} as const;

/**
 * Settings → Sending → Sender domains: campaigns leave through SMTP or Gmail only from a domain
 * this workspace has proven it controls, with a TXT record at `_organic.<domain>`.
 */
export function SenderDomainsCard() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const domains = useQuery(trpc.email.sender.domains.queryOptions({ workspaceId: ws.id }));
  const [domain, setDomain] = useState("");
  const [touched, setTouched] = useState(false);
  const [rules, requestRules] = useOnDemand(loadRules);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.email.sender.domains.queryKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.email.sender.readiness.queryKey() });
  };
  const add = useMutation(
    trpc.email.sender.addDomain.mutationOptions({
      onSuccess: async (d) => {
        toast.success(`${d.domain} added: publish its TXT record, then press Verify`);
        setDomain("");
        setTouched(false);
        await refresh();
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const verify = useMutation(
    trpc.email.sender.verifyDomain.mutationOptions({
      onSuccess: async (d) => {
        if (d.status === "verified") toast.success(`${d.domain} is verified`);
        else toast.error(d.lastError ?? `${d.domain} is not verified yet`);
        await refresh();
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const remove = useMutation(
    trpc.email.sender.removeDomain.mutationOptions({
      onSuccess: async () => {
        toast.success("Domain removed");
        await refresh();
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const parsed = rules?.senderDomainSchema.safeParse(domain);
  const error = touched && parsed && !parsed.success ? parsed.error.issues[0]?.message : undefined;

  return (
    <Card data-testid="sender-domains">
      <CardHeader>
        <CardTitle>3. Sender domains</CardTitle>
        <CardDescription>
          Campaigns go out only from a domain this workspace has verified. Add your domain, publish the TXT
          record it shows at your DNS provider, then press Verify — DNS changes can take from a few minutes to
          an hour to show. Subdomains of a verified domain are covered. Mail kept in the in-app outbox needs
          no verification.
          {!ws.canAdmin && " Only admins can change these."}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {domains.isPending ? (
          <Skeleton className="h-16 w-full" />
        ) : domains.data?.length ? (
          <ul className="grid gap-3">
            {domains.data.map((d) => {
              const status = STATUS[d.status];
              return (
                <li
                  key={d.id}
                  className="grid gap-2 rounded-md border p-3 text-sm"
                  data-testid="sender-domain"
                  data-domain={d.domain}
                >
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <span className="flex items-center gap-2">
                      <span className="font-medium font-mono">{d.domain}</span>
                      <Badge variant={status.variant} data-testid="sender-domain-status">
                        {status.label}
                      </Badge>
                    </span>
                    {ws.canAdmin && (
                      <span className="flex gap-2">
                        <Button
                          size="sm"
                          data-testid="sender-domain-verify"
                          disabled={verify.isPending}
                          onClick={() => verify.mutate({ workspaceId: ws.id, id: d.id })}
                        >
                          {verify.isPending && verify.variables?.id === d.id ? (
                            <Spinner />
                          ) : (
                            <RefreshCw aria-hidden />
                          )}
                          {d.status === "verified" ? "Check again" : "Verify"}
                        </Button>
                        <Button
                          size="sm"
                          variant="ghost"
                          aria-label={`Remove ${d.domain}`}
                          disabled={remove.isPending}
                          onClick={() => remove.mutate({ workspaceId: ws.id, id: d.id })}
                        >
                          <Trash2 aria-hidden />
                        </Button>
                      </span>
                    )}
                  </div>
                  {d.status !== "verified" && (
                    <div className="grid gap-1 rounded-md bg-muted/40 p-2" data-testid="sender-domain-record">
                      <p>Add this TXT record at your DNS provider:</p>
                      <dl className="grid grid-cols-[auto_1fr_auto] items-center gap-x-3 gap-y-1 text-xs">
                        <dt className="text-muted-foreground">Name</dt>
                        <dd className="break-all font-mono">{d.record.name}</dd>
                        <CopyButton value={d.record.name} size="sm" label="Copy name" />
                        <dt className="text-muted-foreground">Value</dt>
                        <dd className="break-all font-mono" data-testid="sender-domain-value">
                          {d.record.value}
                        </dd>
                        <CopyButton value={d.record.value} size="sm" label="Copy value" />
                      </dl>
                    </div>
                  )}
                  {d.lastCheckedAt && (
                    <p className="text-muted-foreground text-xs">
                      Checked {formatDateTime(d.lastCheckedAt, ws.timeZone)}
                      {d.lastError ? ` — ${d.lastError}` : ""}
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
        ) : (
          <p className="text-muted-foreground text-sm" data-testid="sender-domains-empty">
            No domains yet.
          </p>
        )}
        {ws.canAdmin && (
          <form
            className="flex flex-wrap items-end gap-2"
            onFocusCapture={() => void requestRules()}
            onSubmit={(e) => {
              e.preventDefault();
              setTouched(true);
              void requestRules().then(({ senderDomainSchema }) => {
                const valid = senderDomainSchema.safeParse(domain);
                if (valid.success) add.mutate({ workspaceId: ws.id, domain: valid.data });
              });
            }}
          >
            <Field label="Domain" htmlFor="sender-domain-input" error={error} className="min-w-64 flex-1">
              <Input
                id="sender-domain-input"
                data-testid="sender-domain-input"
                placeholder="yourdomain.com"
                value={domain}
                onChange={(e) => setDomain(e.target.value)}
              />
            </Field>
            <Button type="submit" variant="outline" data-testid="sender-domain-add" disabled={add.isPending}>
              {add.isPending && <Spinner />}
              Add domain
            </Button>
          </form>
        )}
      </CardContent>
    </Card>
  );
}
