import type { Metadata } from "next";
import { SuppressionList } from "@/components/email/suppression-list";
import { loadWorkspacePage } from "@/server/page-context";

export const metadata: Metadata = { title: "Suppression list" };

export default async function SuppressionListPage({ params }: { params: Promise<{ workspace: string }> }) {
  await loadWorkspacePage((await params).workspace);
  return <SuppressionList />;
}
