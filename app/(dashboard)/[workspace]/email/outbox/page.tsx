import type { Metadata } from "next";
import { OutboxList } from "@/components/email/outbox";
import { OutboxAdminsOnly } from "@/components/email/outbox-admins-only";
import { loadWorkspacePage } from "@/server/page-context";
import { canManageWorkspace } from "@/server/services/workspaces/roles";

export const metadata: Metadata = { title: "Outbox" };

export default async function OutboxPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await loadWorkspacePage((await params).workspace);
  return canManageWorkspace(workspace.role) ? <OutboxList /> : <OutboxAdminsOnly />;
}
