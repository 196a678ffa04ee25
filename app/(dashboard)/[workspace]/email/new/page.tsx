import type { Metadata } from "next";
import { CampaignEditor } from "@/components/email/campaign-editor";
import { CAMPAIGN_TYPES, type CampaignType } from "@/server/db/schema/email";

export const metadata: Metadata = { title: "New campaign" };

export default async function NewCampaignPage({
  searchParams,
}: {
  searchParams: Promise<{ type?: string }>;
}) {
  const { type } = await searchParams;
  const chosen = (CAMPAIGN_TYPES as readonly string[]).includes(type ?? "")
    ? (type as CampaignType)
    : "one-time";
  return <CampaignEditor type={chosen} />;
}
