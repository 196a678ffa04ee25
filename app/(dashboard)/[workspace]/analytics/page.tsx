import { BarChart3 } from "lucide-react";
import type { Metadata } from "next";
import { SectionNotBuilt } from "@/components/dashboard/coming-section";

export const metadata: Metadata = { title: "Analytics" };

export default function AnalyticsPage() {
  return (
    <SectionNotBuilt
      title="Analytics"
      description="What your content, emails and leads earned, over time."
      icon={BarChart3}
      what="Charts and reports need the content, email and integration data that later releases collect. Nothing is estimated here until then."
    />
  );
}
