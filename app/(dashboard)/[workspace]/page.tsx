import type { Metadata } from "next";
import { Suspense } from "react";
import { OverviewPage } from "@/components/analytics/overview-page";
import { FeatureOff } from "@/components/dashboard/feature-off";
import { featureEnabled } from "@/server/features";
import { loadWorkspacePage } from "@/server/page-context";

export const metadata: Metadata = { title: "Overview" };

export default async function Overview({ params }: { params: Promise<{ workspace: string }> }) {
  const { user } = await loadWorkspacePage((await params).workspace);
  // The overview is the workspace's home, so it stays, saying its figures are off.
  if (!featureEnabled("analytics")) return <FeatureOff feature="analytics" title="Overview" />;
  return (
    <Suspense>
      <OverviewPage userName={user.name ?? null} />
    </Suspense>
  );
}
