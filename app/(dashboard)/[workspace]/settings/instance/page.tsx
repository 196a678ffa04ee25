import type { Metadata } from "next";
import { InstanceSettings } from "@/components/settings/instance-settings";

export const metadata: Metadata = { title: "Instance" };

export default function InstanceSettingsPage() {
  return <InstanceSettings />;
}
