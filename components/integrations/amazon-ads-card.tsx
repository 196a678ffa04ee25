"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { RefreshCw, Tag, Target, Unplug } from "lucide-react";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { REGION_LABELS } from "@/lib/enums";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { AttributionFigures } from "./amazon-ads-figures";
import { ConnectForm, SetupPickers } from "./amazon-ads-setup";

function when(d: Date | string | null | undefined) {
  if (!d) return "never";
  return new Date(d).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/**
 * Amazon Ads (Amazon Attribution) on the Integrations page: connect with a Login with Amazon grant,
 * choose the profile and advertiser, and see what links to Amazon earned over the last 30 days.
 */
export default function AmazonAdsCard({ canManage }: { canManage: boolean }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.integrations.amazonAds.status.queryOptions({ workspaceId: ws.id }));
  const [showForm, setShowForm] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.integrations.amazonAds.pathKey() });

  const s = status.data;
  const connected = s?.connected === true ? s : null;

  const sync = useMutation(
    trpc.integrations.amazonAds.syncNow.mutationOptions({
      onSuccess: () => {
        toast.success("Attribution sync started");
        setTimeout(refresh, 1500);
        setTimeout(refresh, 5000);
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const refreshTags = useMutation(
    trpc.integrations.amazonAds.refreshTags.mutationOptions({
      onSuccess: async () => {
        toast.success("Attribution tag fetched again");
        await refresh();
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const disconnect = useMutation(
    trpc.integrations.amazonAds.disconnect.mutationOptions({
      onSuccess: async () => {
        toast.success("Amazon Ads disconnected. Synced figures stay; new clicks go untagged.");
        await refresh();
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );

  return (
    <Card data-testid="amazon-ads-card">
      <CardHeader>
        <div className="flex items-start justify-between gap-3">
          <div className="flex items-center gap-3">
            <span className="flex size-9 items-center justify-center rounded-md bg-[#ff9900]/15 text-[#c77700] dark:text-[#ffb84d]">
              <Target className="size-5" aria-hidden />
            </span>
            <div>
              <CardTitle>Amazon Ads</CardTitle>
              <CardDescription>
                Attribution tags on links to Amazon, and what they sold there.
              </CardDescription>
            </div>
          </div>
          {status.isLoading ? (
            <Skeleton className="h-5 w-20" />
          ) : connected ? (
            connected.status === "connected" && connected.step === "ready" ? (
              <Badge variant="success">Connected</Badge>
            ) : (
              <Badge variant="warning">{connected.step === "ready" ? "Needs attention" : "Set-up"}</Badge>
            )
          ) : (
            <Badge variant="outline">Not connected</Badge>
          )}
        </div>
      </CardHeader>
      <CardContent className="grid gap-4 text-sm">
        {connected && (
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1.5" data-testid="amazon-ads-details">
            <dt className="text-muted-foreground">Profile</dt>
            <dd>
              {connected.profileName ?? "—"}
              <span className="text-muted-foreground">
                {" "}
                · {REGION_LABELS[connected.region] ?? connected.region}
              </span>
            </dd>
            <dt className="text-muted-foreground">Advertiser</dt>
            <dd>{connected.advertiserName || connected.advertiserId || "—"}</dd>
            <dt className="text-muted-foreground">Tag</dt>
            <dd data-testid="amazon-ads-tag">
              {connected.hasTag ? (
                <>
                  {connected.publisherName ?? connected.publisherId}
                  <span className="text-muted-foreground">
                    {" "}
                    · {connected.tagKind === "nonMacro" ? "template" : "macro"}, one id per post or email step
                  </span>
                </>
              ) : (
                "—"
              )}
            </dd>
            <dt className="text-muted-foreground">Last sync</dt>
            <dd data-testid="amazon-ads-last-sync">
              {when(connected.lastSyncAt)}
              {connected.lastSyncStatus === "error" && <span className="text-destructive"> · failed</span>}
            </dd>
          </dl>
        )}
        {connected?.lastError && (
          <p
            role="status"
            className="rounded-md border border-warning/30 bg-warning/10 px-3 py-2 text-warning"
          >
            {connected.lastError}
          </p>
        )}
        {connected && canManage && connected.step !== "ready" && (
          <SetupPickers step={connected.step} onDone={refresh} />
        )}
        {connected?.step === "ready" && <AttributionFigures currency={connected.currency} />}
        {!connected && !showForm && (
          <p className="text-muted-foreground">
            {canManage
              ? "Connect with a Login with Amazon refresh token granted with the Amazon Ads scope. Links to Amazon product and Store pages then carry your Attribution tag, and Attribution reports show what each post and email step sold."
              : "An owner or admin can connect Amazon Ads."}
          </p>
        )}
        {canManage && showForm && (
          <ConnectForm
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
              {connected.step === "ready" && (
                <>
                  <Button
                    variant="outline"
                    onClick={() => sync.mutate({ workspaceId: ws.id })}
                    disabled={sync.isPending}
                  >
                    {sync.isPending ? <Spinner /> : <RefreshCw aria-hidden />}
                    Sync now
                  </Button>
                  <Button
                    variant="outline"
                    onClick={() => refreshTags.mutate({ workspaceId: ws.id })}
                    disabled={refreshTags.isPending}
                  >
                    {refreshTags.isPending ? <Spinner /> : <Tag aria-hidden />}
                    Refresh tag
                  </Button>
                </>
              )}
              <Button variant="outline" onClick={() => setShowForm(true)}>
                Reconnect
              </Button>
              <Button
                variant="ghost"
                className="text-destructive"
                onClick={() => {
                  if (window.confirm("Disconnect Amazon Ads? Synced figures stay; new clicks go untagged."))
                    disconnect.mutate({ workspaceId: ws.id });
                }}
                disabled={disconnect.isPending}
              >
                <Unplug aria-hidden />
                Disconnect
              </Button>
            </>
          )}
        </CardFooter>
      )}
    </Card>
  );
}
