import { BarChart3 } from "lucide-react";
import { PageHeader } from "@/components/dashboard/shell";
import { EmptyState } from "@/components/ui/empty-state";

/** Shown when the server runs with ENABLE_ANALYTICS=false. */
export function AnalyticsOff({ title }: { title: string }) {
  return (
    <>
      <PageHeader title={title} />
      <EmptyState
        icon={BarChart3}
        title="Analytics is switched off on this server"
        description="Whoever runs this server can set ENABLE_ANALYTICS=true to see revenue, views, leads and email figures here."
      />
    </>
  );
}
