import type { Db } from "@/server/db";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import type { BrandSettings } from "./brand-schemas";
import { readWorkspaceSettings, writeSettingsSection } from "./settings";

export * from "./brand-schemas";

export async function getBrandSettings(db: Db, workspaceId: string): Promise<BrandSettings> {
  return (await readWorkspaceSettings(db, workspaceId)).brand ?? { brandVoice: "", products: [] };
}

export async function updateBrandSettings(ctx: WorkspaceServiceContext, input: BrandSettings) {
  const patch = { brandVoice: input.brandVoice, products: input.products };
  await writeSettingsSection(ctx.db, ctx.workspaceId, "brand", patch);
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "workspace.brand_updated",
    { type: "workspace", id: ctx.workspaceId },
    {
      products: input.products.length,
      brandVoice: input.brandVoice.length > 0,
    },
  );
  return patch;
}
