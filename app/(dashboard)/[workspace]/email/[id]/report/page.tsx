import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CampaignReportPage } from "@/components/email/campaign-report";

export const metadata: Metadata = { title: "Campaign report" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function CampaignReportRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  return <CampaignReportPage id={id} />;
}
