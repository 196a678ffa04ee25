import type { Metadata } from "next";
import { Suspense } from "react";
import { AnalyticsOff } from "@/components/analytics/analytics-off";
import { OverviewPage } from "@/components/analytics/overview-page";
import { env } from "@/lib/env";
import { loadWorkspacePage } from "@/server/page-context";

export const metadata: Metadata = { title: "Overview" };

export default async function Overview({ params }: { params: Promise<{ workspace: string }> }) {
  const { user } = await loadWorkspacePage((await params).workspace);
  if (!env().ENABLE_ANALYTICS) return <AnalyticsOff title="Overview" />;
  return (
    <Suspense>
      <OverviewPage userName={user.name ?? null} />
    </Suspense>
  );
}
