import { Users } from "lucide-react";
import type { Metadata } from "next";
import { SectionNotBuilt } from "@/components/dashboard/coming-section";
import { loadWorkspacePage } from "@/server/page-context";
import { countWorkspaceRecords } from "@/server/services/overview";

export const metadata: Metadata = { title: "Leads" };

export default async function LeadsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { db, workspace } = await loadWorkspacePage((await params).workspace);
  const counts = await countWorkspaceRecords(db, workspace.id);
  return (
    <SectionNotBuilt
      title="Leads"
      description="Collect, import, tag and segment the people who want to hear from you."
      icon={Users}
      what="The leads table, CSV import, signup forms and segments arrive with the leads release."
      count={{ label: "leads", value: counts.leads }}
    />
  );
}
