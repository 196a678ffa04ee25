import "server-only";
import { z } from "zod";
import { ValidationError } from "@/server/errors";
import type { WorkspaceServiceContext } from "../context";
import {
  getSenderSettings,
  type SenderSettings,
  senderSettingsSchema,
  updateSenderSettings,
} from "../email/sender-settings";
import { timeZoneSchema } from "./schemas";
import { updateWorkspace } from "./workspaces";

const sender = senderSettingsSchema.shape;

/** Sender fields and the time zone; only the fields sent change. */
export const workspaceSettingsPatch = z
  .object({
    fromName: sender.fromName.optional(),
    fromEmail: sender.fromEmail.optional(),
    replyTo: sender.replyTo.removeDefault().optional(),
    postalAddress: sender.postalAddress.optional(),
    sendRatePerSecond: sender.sendRatePerSecond.removeDefault().optional(),
    timeZone: timeZoneSchema.optional(),
  })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), "Nothing to update");
export type WorkspaceSettingsPatch = z.infer<typeof workspaceSettingsPatch>;

/**
 * Changes the sender settings and the time zone: the fields not given keep their value, and the
 * result must still be complete sender settings (the first time, every sender field must be
 * given). Sender and time zone change in one transaction, so a bad half leaves nothing changed.
 */
export async function patchWorkspaceSettings(
  ctx: WorkspaceServiceContext,
  patch: WorkspaceSettingsPatch,
): Promise<{ sender: SenderSettings | null }> {
  const { timeZone, ...senderPatch } = patch;
  const given = Object.fromEntries(Object.entries(senderPatch).filter(([, v]) => v !== undefined));
  if (Object.keys(given).length === 0) {
    if (timeZone !== undefined) await updateWorkspace(ctx, { timeZone });
    return { sender: await getSenderSettings(ctx.db, ctx.workspaceId) };
  }
  const current = await getSenderSettings(ctx.db, ctx.workspaceId);
  const merged = senderSettingsSchema.safeParse({ ...(current ?? {}), ...given });
  if (!merged.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const i of merged.error.issues) {
      const k = i.path.join(".") || "_";
      fieldErrors[k] = [...(fieldErrors[k] ?? []), i.message];
    }
    throw new ValidationError(merged.error.issues[0]?.message ?? "Invalid sender settings", fieldErrors);
  }
  if (timeZone === undefined) return { sender: await updateSenderSettings(ctx, merged.data) };
  return ctx.db.transaction(async (tx) => {
    const inTx = { ...ctx, db: tx };
    const saved = await updateSenderSettings(inTx, merged.data);
    await updateWorkspace(inTx, { timeZone });
    return { sender: saved };
  });
}
