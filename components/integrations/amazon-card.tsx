"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { PackageCheck, RefreshCw, ShoppingCart, Unplug } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { connectAmazonInput, MARKETPLACES, REGION_LABELS } from "@/server/services/amazon/schemas";

export const nativeSelectClass =
  "h-9 w-full rounded-md border border-input bg-transparent px-3 text-base shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 md:text-sm dark:bg-input/30";

const emptyForm = {
  clientId: "",
  clientSecret: "",
  refreshToken: "",
  region: "na",
  marketplaceId: "ATVPDKIKX0DER",
  ordersApiVersion: "v0",
};

function when(d: Date | string | null | undefined) {
  if (!d) return "never";
  return new Date(d).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** Amazon Seller (SP-API) on the integrations page: status, connect form, test, sync, disconnect. */
export default function AmazonCard({
  workspaceSlug,
  canManage,
}: {
  workspaceSlug: string;
  canManage: boolean;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.amazon.status.queryOptions({ workspaceId: ws.id }));
  const [form, setForm] = useState(emptyForm);
  const [showForm, setShowForm] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.amazon.status.queryKey() });

  const connect = useMutation(
    trpc.amazon.connect.mutationOptions({
      onSuccess: async (s) => {
        toast.success(`Connected to ${"accountName" in s ? s.accountName : "Amazon"}`);
        setForm(emptyForm);
        setShowForm(false);
        setSubmitted(false);
        await refresh();
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const test = useMutation(
    trpc.amazon.test.mutationOptions({
      onSuccess: async (r) => {
        if (r.ok) toast.success(r.message);
        else toast.error(r.message);
        await refresh();
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const sync = useMutation(
    trpc.amazon.syncNow.mutationOptions({
      onSuccess: () => {
        toast.success("Orders sync started");
        setTimeout(refresh, 1500);
        setTimeout(refresh, 5000);
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const disconnect = useMutation(
    trpc.amazon.disconnect.mutationOptions({
      onSuccess: async () => {
        toast.success("Amazon disconnected. Synced orders stay in your reports.");
        await refresh();
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );

  const s = status.data;
  const connected = s && "accountName" in s;
  const check = connectAmazonInput.safeParse(form);
  const issues: Record<string, string> =
    submitted && !check.success
      ? Object.fromEntries(check.error.issues.map((i) => [i.path.join("."), i.message]))
      : {};
  const summary = connected ? (s.lastSyncSummary as Record<string, number> | null) : null;

  return (
    <Card data-testid="amazon-card">
      <CardHeader>
        <div className="flex items-start justify-between gap-3">
          <div className="flex items-center gap-3">
            <span className="flex size-9 items-center justify-center rounded-md bg-[#ff9900]/15 text-[#c77700] dark:text-[#ffb84d]">
              <ShoppingCart className="size-5" aria-hidden />
            </span>
            <div>
              <CardTitle>Amazon Seller</CardTitle>
              <CardDescription>Orders for revenue analytics and Multi-Channel Fulfillment.</CardDescription>
            </div>
          </div>
          {status.isLoading ? (
            <Skeleton className="h-5 w-20" />
          ) : connected ? (
            s.status === "connected" ? (
              <Badge variant="success">Connected</Badge>
            ) : (
              <Badge variant="warning">Needs attention</Badge>
            )
          ) : (
            <Badge variant="outline">Not connected</Badge>
          )}
        </div>
      </CardHeader>
      <CardContent className="grid gap-4 text-sm">
        {connected && (
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1.5" data-testid="amazon-details">
            <dt className="text-muted-foreground">Account</dt>
            <dd className="font-medium" data-testid="amazon-account">
              {s.accountName}
            </dd>
            <dt className="text-muted-foreground">Marketplace</dt>
            <dd>
              {s.marketplaceName ?? s.marketplaceId} ·{" "}
              {REGION_LABELS[s.region as keyof typeof REGION_LABELS] ?? s.region}
            </dd>
            <dt className="text-muted-foreground">Orders API</dt>
            <dd>{s.ordersApiVersion}</dd>
            <dt className="text-muted-foreground">Last sync</dt>
            <dd data-testid="amazon-last-sync">
              {when(s.lastSyncAt)}
              {s.lastSyncStatus === "ok" && summary && (
                <span className="text-muted-foreground">
                  {" "}
                  · {summary.fetched ?? 0} fetched, {summary.inserted ?? 0} new, {summary.updated ?? 0}{" "}
                  updated
                </span>
              )}
              {s.lastSyncStatus === "error" && <span className="text-destructive"> · failed</span>}
            </dd>
          </dl>
        )}
        {connected && s.lastError && (
          <p
            role="status"
            className="rounded-md border border-warning/30 bg-warning/10 px-3 py-2 text-warning"
          >
            {s.lastError}
          </p>
        )}
        {!connected && !showForm && (
          <p className="text-muted-foreground">
            {canManage
              ? "Connect your seller account with a Login with Amazon client id, secret and refresh token from Seller Central (Apps & Services → Develop apps)."
              : "An owner or admin can connect your Amazon seller account."}
          </p>
        )}
        {canManage && (showForm || (!connected && status.isSuccess && showForm)) && (
          <form
            className="grid gap-3 sm:grid-cols-2"
            onSubmit={(e) => {
              e.preventDefault();
              setSubmitted(true);
              if (check.success) connect.mutate({ workspaceId: ws.id, ...check.data });
            }}
          >
            <Field
              label="LWA client id"
              htmlFor="amz-client-id"
              error={issues.clientId}
              className="sm:col-span-2"
            >
              <Input
                id="amz-client-id"
                autoComplete="off"
                placeholder="amzn1.application-oa2-client.…"
                value={form.clientId}
                onChange={(e) => setForm({ ...form, clientId: e.target.value })}
              />
            </Field>
            <Field
              label="LWA client secret"
              htmlFor="amz-client-secret"
              error={issues.clientSecret}
              className="sm:col-span-2"
            >
              <Input
                id="amz-client-secret"
                type="password"
                autoComplete="off"
                value={form.clientSecret}
                onChange={(e) => setForm({ ...form, clientSecret: e.target.value })}
              />
            </Field>
            <Field
              label="Refresh token"
              htmlFor="amz-refresh-token"
              error={issues.refreshToken}
              className="sm:col-span-2"
            >
              <Input
                id="amz-refresh-token"
                type="password"
                autoComplete="off"
                placeholder="Atzr|…"
                value={form.refreshToken}
                onChange={(e) => setForm({ ...form, refreshToken: e.target.value })}
              />
            </Field>
            <Field label="Region" htmlFor="amz-region" error={issues.region}>
              <select
                id="amz-region"
                className={nativeSelectClass}
                value={form.region}
                onChange={(e) => setForm({ ...form, region: e.target.value })}
              >
                {Object.entries(REGION_LABELS).map(([k, v]) => (
                  <option key={k} value={k}>
                    {v} ({k})
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Marketplace" htmlFor="amz-marketplace" error={issues.marketplaceId}>
              <select
                id="amz-marketplace"
                className={nativeSelectClass}
                value={form.marketplaceId}
                onChange={(e) => setForm({ ...form, marketplaceId: e.target.value })}
              >
                {MARKETPLACES.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name} ({m.id})
                  </option>
                ))}
              </select>
            </Field>
            <Field
              label="Orders API"
              htmlFor="amz-orders-api"
              className="sm:col-span-2"
              hint="v0 is the long-standing API (about one request a minute); 2026-01-01 is its successor."
            >
              <select
                id="amz-orders-api"
                className={nativeSelectClass}
                value={form.ordersApiVersion}
                onChange={(e) => setForm({ ...form, ordersApiVersion: e.target.value })}
              >
                <option value="v0">Orders v0</option>
                <option value="2026-01-01">Orders 2026-01-01</option>
              </select>
            </Field>
            <div className="flex gap-2 sm:col-span-2">
              <Button type="submit" disabled={connect.isPending}>
                {connect.isPending && <Spinner />}
                {connected ? "Reconnect" : "Connect Amazon"}
              </Button>
              <Button type="button" variant="ghost" onClick={() => setShowForm(false)}>
                Cancel
              </Button>
            </div>
            <p className="text-muted-foreground text-xs sm:col-span-2">
              We check the credentials with Amazon before saving them, encrypted. They are never shown again.
            </p>
          </form>
        )}
      </CardContent>
      {canManage && !showForm && (
        <CardFooter className="flex flex-wrap gap-2">
          {!connected ? (
            <Button onClick={() => setShowForm(true)} disabled={status.isLoading}>
              Connect
            </Button>
          ) : (
            <>
              <Button
                variant="outline"
                onClick={() => test.mutate({ workspaceId: ws.id })}
                disabled={test.isPending}
              >
                {test.isPending ? <Spinner /> : <PackageCheck aria-hidden />}
                Test
              </Button>
              <Button
                variant="outline"
                onClick={() => sync.mutate({ workspaceId: ws.id })}
                disabled={sync.isPending}
              >
                {sync.isPending ? <Spinner /> : <RefreshCw aria-hidden />}
                Sync now
              </Button>
              <Button variant="outline" onClick={() => setShowForm(true)}>
                Reconnect
              </Button>
              <Button
                variant="ghost"
                className="text-destructive"
                onClick={() => {
                  if (
                    window.confirm("Disconnect Amazon? Synced orders stay; syncing and fulfillment stop.")
                  ) {
                    disconnect.mutate({ workspaceId: ws.id });
                  }
                }}
                disabled={disconnect.isPending}
              >
                <Unplug aria-hidden />
                Disconnect
              </Button>
              <Button variant="link" asChild className="ml-auto">
                <Link href={`/${workspaceSlug}/fulfillment`}>Fulfillment →</Link>
              </Button>
            </>
          )}
        </CardFooter>
      )}
    </Card>
  );
}
