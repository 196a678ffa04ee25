import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/server/db";
import { workspaces } from "@/server/db/schema";
import { NotFoundError } from "@/server/errors";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";

/**
 * Who a workspace's marketing mail comes from, and the postal address every message must carry
 * (CAN-SPAM); kept in `workspaces.settings.sender`. No campaign is sent before these are set.
 */
export const senderSettingsSchema = z.object({
  fromName: z.string().trim().min(1, "Enter the sender name").max(100),
  fromEmail: z.string().trim().toLowerCase().max(255).pipe(z.email("Enter a valid from address")),
  replyTo: z
    .string()
    .trim()
    .toLowerCase()
    .max(255)
    .refine((v) => v === "" || z.email().safeParse(v).success, "Enter a valid reply-to address")
    .default(""),
  postalAddress: z
    .string()
    .trim()
    .min(10, "Enter the full postal address (street, city, postcode, country)")
    .max(500),
  /** Messages per second this workspace may send (0 = no limit). */
  sendRatePerSecond: z.number().int().min(0).max(1000).default(10),
});
export type SenderSettings = z.infer<typeof senderSettingsSchema>;

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
