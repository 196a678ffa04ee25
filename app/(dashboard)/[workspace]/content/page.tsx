import { FileText } from "lucide-react";
import type { Metadata } from "next";
import { SectionNotBuilt } from "@/components/dashboard/coming-section";
import { loadWorkspacePage } from "@/server/page-context";
import { countWorkspaceRecords } from "@/server/services/overview";

export const metadata: Metadata = { title: "Content" };

export default async function ContentPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { db, workspace } = await loadWorkspacePage((await params).workspace);
  const counts = await countWorkspaceRecords(db, workspace.id);
  return (
    <SectionNotBuilt
      title="Content"
      description="Plan, write, schedule and publish TikTok videos, blog posts and emails."
      icon={FileText}
      what="The content hub — editors, AI drafts, the calendar and publishing — arrives with the next release."
      count={{ label: "content items", value: counts.content }}
    />
  );
}
