import type { Metadata } from "next";
import { CampaignList } from "@/components/email/campaign-list";

export const metadata: Metadata = { title: "Email" };

export default function EmailPage() {
  return <CampaignList />;
}
