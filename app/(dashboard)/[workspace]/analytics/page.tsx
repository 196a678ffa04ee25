import type { Metadata } from "next";
import { Suspense } from "react";
import { AnalyticsOff } from "@/components/analytics/analytics-off";
import { AnalyticsPage } from "@/components/analytics/analytics-page";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Analytics" };

export default function Analytics() {
  if (!env().ENABLE_ANALYTICS) return <AnalyticsOff title="Analytics" />;
  return (
    <Suspense>
      <AnalyticsPage />
    </Suspense>
  );
}
