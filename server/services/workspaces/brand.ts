import { eq, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { workspaces } from "@/server/db/schema";
import { NotFoundError } from "@/server/errors";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import { type BrandSettings, brandSettingsInput } from "./brand-schemas";

export * from "./brand-schemas";

export async function getBrandSettings(db: Db, workspaceId: string): Promise<BrandSettings> {
  const [ws] = await db
    .select({ settings: workspaces.settings })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  if (!ws) throw new NotFoundError("Workspace not found");
  const parsed = brandSettingsInput.safeParse({
    brandVoice: ws.settings.brandVoice,
    products: ws.settings.products,
  });
  return parsed.success ? parsed.data : { brandVoice: "", products: [] };
}

export async function updateBrandSettings(ctx: WorkspaceServiceContext, input: BrandSettings) {
  const patch = { brandVoice: input.brandVoice, products: input.products };
  const [ws] = await ctx.db
    .update(workspaces)
    .set({ settings: sql`${workspaces.settings} || ${JSON.stringify(patch)}::jsonb` })
    .where(eq(workspaces.id, ctx.workspaceId))
    .returning({ id: workspaces.id });
  if (!ws) throw new NotFoundError("Workspace not found");
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "workspace.brand_updated",
    { type: "workspace", id: ws.id },
    {
      products: input.products.length,
      brandVoice: input.brandVoice.length > 0,
    },
  );
  return patch;
}
