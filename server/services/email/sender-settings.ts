import { eq, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { workspaces } from "@/server/db/schema";
import { NotFoundError } from "@/server/errors";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import { type SenderSettings, senderSettingsSchema } from "./sender-settings-schemas";

export { type SenderSettings, senderSettingsSchema };

export async function getSenderSettings(db: Db, workspaceId: string): Promise<SenderSettings | null> {
  const [ws] = await db
    .select({ settings: workspaces.settings })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  if (!ws) throw new NotFoundError("Workspace not found");
  const parsed = senderSettingsSchema.safeParse(ws.settings.sender);
  return parsed.success ? parsed.data : null;
}

export async function updateSenderSettings(ctx: WorkspaceServiceContext, input: SenderSettings) {
  const [ws] = await ctx.db
    .update(workspaces)
    .set({ settings: sql`${workspaces.settings} || ${JSON.stringify({ sender: input })}::jsonb` })
    .where(eq(workspaces.id, ctx.workspaceId))
    .returning({ id: workspaces.id });
  if (!ws) throw new NotFoundError("Workspace not found");
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "workspace.sender_updated",
    { type: "workspace", id: ws.id },
    {
      fromEmail: input.fromEmail,
    },
  );
  return input;
}
