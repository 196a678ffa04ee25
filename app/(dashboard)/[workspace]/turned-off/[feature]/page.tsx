import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { FeatureOff } from "@/components/dashboard/feature-off";
import { FEATURE_PARTS, FEATURES, type Feature } from "@/lib/features";
import { featureEnabled } from "@/server/features";

export const metadata: Metadata = { title: "Turned off" };

/** proxy.ts shows this in place of a page whose part is switched off (lib/features.ts). */
export default async function TurnedOff({ params }: { params: Promise<{ feature: string }> }) {
  const feature = (await params).feature as Feature;
  if (!FEATURES.includes(feature) || featureEnabled(feature)) notFound();
  return <FeatureOff feature={feature} title={FEATURE_PARTS[feature].label.replace(/^The /, "")} />;
}
