import { PowerOff } from "lucide-react";
import { PageHeader } from "@/components/dashboard/shell";
import { EmptyState } from "@/components/ui/empty-state";
import { FEATURE_PARTS, type Feature, featureOffMessage } from "@/lib/features";

/** What a page of a part switched off by its ENABLE_* flag shows instead (see lib/features.ts). */
export function FeatureOff({ feature, title }: { feature: Feature; title: string }) {
  return (
    <div data-testid="feature-off">
      <PageHeader title={title} />
      <EmptyState
        icon={PowerOff}
        title={featureOffMessage(feature)}
        description={`Whoever runs this server can set ${FEATURE_PARTS[feature].flag}=true to turn it back on.`}
      />
    </div>
  );
}
