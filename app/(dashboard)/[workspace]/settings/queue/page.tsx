import type { Metadata } from "next";
import { PublishingSettingsForm } from "@/components/settings/publishing-settings";

export const metadata: Metadata = { title: "Posting queue" };

export default function PublishingSettingsPage() {
  return <PublishingSettingsForm />;
}
