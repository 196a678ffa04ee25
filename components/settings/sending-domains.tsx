"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { RefreshCw, Trash2 } from "lucide-react";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
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
import { SenderDomainRecords, type SenderDomainView } from "./sender-domain-records";
import { RotateDkimButton } from "./sender-domain-rotate";

// The domain rule (Zod) loads when the form is first focused, not with the page; the server checks too.
const loadRules = () => import("@/server/services/email/sender-domain-schemas");

const STATUS = {
  verified: { label: "Verified", variant: "success" },
  pending: { label: "Not checked yet", variant: "outline" },
  failed: { label: "Not found", variant: "warning" },
} as const;

/**
 * Settings → Sending → Sender domains: campaigns leave through SMTP or Gmail only from a domain
 * this workspace has proven it controls, with a TXT record at `_organic.<domain>`. Each domain also
 * gets its own DKIM key, and SPF and DMARC advice; "Check records" looks all of them up.
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
        toast.success(`${d.domain} added: publish its DNS records, then press Check records`);
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
        if (d.status === "verified")
          toast.success(
            d.dkim?.signing
              ? `${d.domain} is verified and signs with its DKIM key`
              : `${d.domain} is verified`,
          );
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
          Campaigns go out only from a domain this workspace has verified. Add your domain, publish the DNS
          records it shows at your DNS provider, then press Check records — DNS changes can take from a few
          minutes to an hour to show. Only the verification record is required; the DKIM key (made for each
          domain) signs your mail once its record checks OK, and SPF and DMARC help it reach the inbox.
          Subdomains of a verified domain are covered. Mail kept in the in-app outbox needs no verification.
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
                          Check records
                        </Button>
                        <RotateDkimButton domain={d} onDone={refresh} />
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
                  <DkimStatus domain={d} />
                  <SenderDomainRecords domain={d} />
                  {d.lastCheckedAt && (
                    <p className="text-muted-foreground text-xs">
                      Checked {formatDateTime(d.lastCheckedAt, ws.timeZone)}
                      {d.lastError && d.lastError !== d.records[0]?.check?.message ? ` — ${d.lastError}` : ""}
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

/** Which key signs mail from this domain, in one line. */
function DkimStatus({ domain: d }: { domain: SenderDomainView }) {
  const text = d.dkim?.signing
    ? `Mail from ${d.domain} is DKIM-signed with its own key (selector ${d.dkim.selector}).`
    : d.dkim &&
        d.status !== "verified" &&
        d.records.some((r) => r.kind === "dkim" && r.check?.status === "ok")
      ? "The DKIM record is in place: mail is signed with it once the domain is verified."
      : d.dkim
        ? "Not signed with this domain's key yet: publish the DKIM record, then check records."
        : "No DKIM key for this domain yet: make one.";
  return (
    <p
      className={d.dkim?.signing ? "text-success text-xs" : "text-warning text-xs"}
      data-testid="sender-domain-dkim"
      data-signing={d.dkim?.signing ? "yes" : "no"}
    >
      {text}
      {d.previousDkimSelector &&
        ` After rotating: once the new record checks OK, delete the old one at ${d.previousDkimSelector}._domainkey.${d.domain}.`}
    </p>
  );
}
