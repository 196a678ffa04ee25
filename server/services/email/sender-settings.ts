import type { Db } from "@/server/db";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import type { SenderSettings } from "../workspaces/schemas";
import { readWorkspaceSettings, writeSettingsSection } from "../workspaces/settings";

/**
 * Who a workspace's marketing mail comes from, and the postal address every message must carry
 * (CAN-SPAM): the `sender` section of the workspace settings, whose schema is in
 * workspaces/schemas.ts. No campaign is sent before these are set.
 */
export { type SenderSettings, senderSettingsSchema } from "../workspaces/schemas";

export async function getSenderSettings(db: Db, workspaceId: string): Promise<SenderSettings | null> {
  return (await readWorkspaceSettings(db, workspaceId)).sender ?? null;
}

export async function updateSenderSettings(ctx: WorkspaceServiceContext, input: SenderSettings) {
  await writeSettingsSection(ctx.db, ctx.workspaceId, "sender", input);
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "workspace.sender_updated",
    { type: "workspace", id: ctx.workspaceId },
    {
      fromEmail: input.fromEmail,
    },
  );
  return input;
}
