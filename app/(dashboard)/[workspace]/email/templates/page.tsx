import type { Metadata } from "next";
import { TemplateList } from "@/components/email/template-list";
import { loadWorkspacePage } from "@/server/page-context";

export const metadata: Metadata = { title: "Email templates" };

export default async function EmailTemplatesPage({ params }: { params: Promise<{ workspace: string }> }) {
  await loadWorkspacePage((await params).workspace);
  return <TemplateList />;
}
