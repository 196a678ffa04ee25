import { Plug } from "lucide-react";
import type { Metadata } from "next";
import { SectionNotBuilt } from "@/components/dashboard/coming-section";

export const metadata: Metadata = { title: "Integrations" };

export default function IntegrationsPage() {
  return (
    <SectionNotBuilt
      title="Integrations"
      description="Connect TikTok, Gmail, Amazon Seller Central, an AI provider and SMTP."
      icon={Plug}
      what="Connecting accounts arrives with the integrations release. No account is connected, and nothing is sent anywhere."
    />
  );
}
