import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { OutboxMessage } from "@/components/email/outbox";
import { OutboxAdminsOnly } from "@/components/email/outbox-admins-only";
import { loadWorkspacePage } from "@/server/page-context";
import { canManageWorkspace } from "@/server/services/workspaces/roles";

export const metadata: Metadata = { title: "Outbox message" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function OutboxMessageRoute({
  params,
}: {
  params: Promise<{ workspace: string; id: string }>;
}) {
  const { workspace: slug, id } = await params;
  if (!UUID.test(id)) notFound();
  const { workspace } = await loadWorkspacePage(slug);
  return canManageWorkspace(workspace.role) ? <OutboxMessage id={id} /> : <OutboxAdminsOnly />;
}
