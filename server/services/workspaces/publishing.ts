import "server-only";
import type { Db } from "@/server/db";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import { DEFAULT_PUBLISHING_SETTINGS, type PublishingSettings } from "./publishing-schemas";
import { readWorkspaceSettings, writeSettingsSection } from "./settings";

export async function getPublishingSettings(db: Db, workspaceId: string): Promise<PublishingSettings> {
  return (await readWorkspaceSettings(db, workspaceId)).publishing ?? DEFAULT_PUBLISHING_SETTINGS;
}

export async function updatePublishingSettings(ctx: WorkspaceServiceContext, input: PublishingSettings) {
  const before = await getPublishingSettings(ctx.db, ctx.workspaceId);
  const stored = await writeSettingsSection(ctx.db, ctx.workspaceId, "publishing", input);
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "workspace.publishing_updated",
    { type: "workspace", id: ctx.workspaceId },
    {
      slots: input.slots.length,
      requireApproval: input.requireApproval,
      ...(before.requireApproval !== input.requireApproval && { requireApprovalChanged: true }),
    },
  );
  return stored ?? DEFAULT_PUBLISHING_SETTINGS;
}
