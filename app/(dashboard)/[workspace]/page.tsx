import type { Metadata } from "next";
import { Suspense } from "react";
import { OverviewPage } from "@/components/analytics/overview-page";
import { rangeFromParams } from "@/components/analytics/range";
import { FeatureOff } from "@/components/dashboard/feature-off";
import { getQueryClient, HydrateClient, trpc } from "@/lib/trpc/server";
import { featureEnabled } from "@/server/features";
import { loadWorkspacePage } from "@/server/page-context";

export const metadata: Metadata = { title: "Overview" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function Overview({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { user, workspace: ws } = await loadWorkspacePage((await params).workspace);
  // The overview is the workspace's home, so it stays, saying its figures are off.
  if (!featureEnabled("analytics")) return <FeatureOff feature="analytics" title="Overview" />;
  // The figures are fetched here and handed over, so the first paint shows them (no skeletons). The
  // input is the one the page's client asks with, read from the same URL.
  const query = await searchParams;
  const range = rangeFromParams((name) => {
    const v = query[name];
    return (Array.isArray(v) ? v[0] : v) ?? null;
  }, "30d");
  // The checklist is prefetched too: arriving later, it would push the figures down the screen.
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpc.analytics.overview.queryOptions({ workspaceId: ws.id, ...range })),
    queryClient.prefetchQuery(trpc.onboarding.checklist.queryOptions({ workspaceId: ws.id })),
  ]);
  return (
    <HydrateClient>
      <Suspense>
        <OverviewPage userName={user.name ?? null} />
      </Suspense>
    </HydrateClient>
  );
}
