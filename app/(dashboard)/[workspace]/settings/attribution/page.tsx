import type { Metadata } from "next";
import { AttributionSettings } from "@/components/settings/attribution-settings";

export const metadata: Metadata = { title: "Attribution" };

export default function AttributionSettingsPage() {
  return <AttributionSettings />;
}
