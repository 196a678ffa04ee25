import { Mail } from "lucide-react";
import type { Metadata } from "next";
import { SectionNotBuilt } from "@/components/dashboard/coming-section";
import { loadWorkspacePage } from "@/server/page-context";
import { countWorkspaceRecords } from "@/server/services/overview";

export const metadata: Metadata = { title: "Email" };

export default async function EmailPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { db, workspace } = await loadWorkspacePage((await params).workspace);
  const counts = await countWorkspaceRecords(db, workspace.id);
  return (
    <SectionNotBuilt
      title="Email"
      description="One-time campaigns, sequences and triggered emails to your segments."
      icon={Mail}
      what="Campaign editing, sending and reports arrive with the email marketing release."
      count={{ label: "campaigns", value: counts.campaigns }}
    />
  );
}
