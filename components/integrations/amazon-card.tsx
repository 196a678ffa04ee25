"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type LucideIcon, PackageCheck, RefreshCw, ShoppingCart, Unplug } from "lucide-react";
import Link from "next/link";
import { type ReactNode, useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { REGION_LABELS } from "@/lib/enums";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { AmazonConnectForm, useConnectDraft } from "./amazon-connect-form";

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
  const [showForm, setShowForm] = useState(false);
  // Kept here, not in the form: what was typed survives Cancel and reopening.
  const draft = useConnectDraft();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.amazon.status.queryKey() });

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
          <AmazonConnectForm
            draft={draft}
            connected={Boolean(connected)}
            onCancel={() => setShowForm(false)}
            onConnected={async () => {
              setShowForm(false);
              await refresh();
            }}
          />
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
              <RunButton run={test} workspaceId={ws.id} icon={PackageCheck}>
                Test
              </RunButton>
              <RunButton run={sync} workspaceId={ws.id} icon={RefreshCw}>
                Sync now
              </RunButton>
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

/** An outline button that runs a workspace-wide mutation, with a spinner in place of its icon meanwhile. */
function RunButton({
  run,
  workspaceId,
  icon: Icon,
  children,
}: {
  run: { mutate: (input: { workspaceId: string }) => void; isPending: boolean };
  workspaceId: string;
  icon: LucideIcon;
  children: ReactNode;
}) {
  return (
    <Button variant="outline" onClick={() => run.mutate({ workspaceId })} disabled={run.isPending}>
      {run.isPending ? <Spinner /> : <Icon aria-hidden />}
      {children}
    </Button>
  );
}
