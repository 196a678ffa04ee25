"use client";

import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { Fragment, useEffect } from "react";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Skeleton } from "@/components/ui/skeleton";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import type { IntegrationView } from "@/server/services/integrations/index";
import AmazonAdsCard from "./amazon-ads-card";
import AmazonCard from "./amazon-card";
import { IntegrationCard, META } from "./integration-card";

/** The Integrations page: one card per provider; admins manage, everyone else sees status. */
export function IntegrationsPage() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const params = useSearchParams();
  const list = useQuery(trpc.integrations.list.queryOptions({ workspaceId: ws.id }));

  useEffect(() => {
    const provider = params.get("provider");
    const name =
      provider && provider in META ? META[provider as IntegrationView["provider"]].name : "The account";
    if (params.get("connected")) toast.success(`${name} is connected`);
    else if (params.get("error") === "denied") toast.error(`${name}: access was not granted`);
    else if (params.get("error")) toast.error(params.get("message") ?? `${name} could not be connected`);
  }, [params]);

  return (
    <div>
      <PageHeader
        title="Integrations"
        description={
          ws.canAdmin
            ? "Connect the accounts Organic publishes, sends and syncs with. Tokens and keys are stored encrypted."
            : "The accounts this workspace is connected to. Owners and admins manage them."
        }
      />
      {list.isPending ? (
        <div className="grid gap-4 md:grid-cols-2">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} className="h-52 rounded-xl" />
          ))}
        </div>
      ) : list.isError ? (
        <p className="text-destructive text-sm">{errorMessage(list.error)}</p>
      ) : (
        <div className="grid gap-4 md:grid-cols-2">
          {list.data.map((view) =>
            view.provider === "amazon" ? (
              view.enabled ? (
                <Fragment key="amazon">
                  <div data-testid="integration-amazon">
                    <AmazonCard workspaceSlug={ws.slug} canManage={ws.canAdmin} />
                  </div>
                  {/* Amazon Ads rides on the same switch: both serve revenue analytics. */}
                  <div data-testid="integration-amazon-ads">
                    <AmazonAdsCard canManage={ws.canAdmin} />
                  </div>
                </Fragment>
              ) : (
                <IntegrationCard key="amazon" view={view} />
              )
            ) : (
              <IntegrationCard key={view.provider} view={view} />
            ),
          )}
        </div>
      )}
    </div>
  );
}
