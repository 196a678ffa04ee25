import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { workspaces } from "@/server/db/schema";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
beforeAll(async () => {
  f = await twoWorkspaces(h.db);
});

const deck = {
  name: "Thornfall Starter Deck",
  description: "60 cards",
  url: "https://example.com/deck",
  price: "$24.99",
};

describe("workspace.brand", () => {
  it("saves the brand voice and product catalogue for an admin, keeping other settings", async () => {
    await h.db
      .update(workspaces)
      .set({ settings: { ai: { model: "x" } } })
      .where(eq(workspaces.id, f.ws.id));
    const saved = await callerFor(h.db, f.admin).workspace.brand.update({
      workspaceId: f.ws.id,
      brandVoice: "Warm and playful",
      products: [deck],
    });
    expect(saved.products).toEqual([deck]);
    expect(await callerFor(h.db, f.viewer).workspace.brand.get({ workspaceId: f.ws.id })).toEqual({
      brandVoice: "Warm and playful",
      products: [deck],
    });
    const [ws] = await h.db.select().from(workspaces).where(eq(workspaces.id, f.ws.id));
    expect(ws!.settings.ai).toEqual({ model: "x" });
  });

  it("refuses duplicate product names and bad links, changing nothing", async () => {
    const c = callerFor(h.db, f.owner);
    await expect(
      c.workspace.brand.update({
        workspaceId: f.ws.id,
        products: [deck, { ...deck, name: "thornfall starter deck" }],
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      c.workspace.brand.update({ workspaceId: f.ws.id, products: [{ ...deck, url: "javascript:alert(1)" }] }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await c.workspace.brand.get({ workspaceId: f.ws.id })).products).toEqual([deck]);
  });

  it("is FORBIDDEN below admin and NOT_FOUND for another workspace", async () => {
    for (const u of [f.member, f.viewer]) {
      await expect(
        callerFor(h.db, u).workspace.brand.update({ workspaceId: f.ws.id, brandVoice: "x" }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    await expect(
      callerFor(h.db, f.otherOwner).workspace.brand.get({ workspaceId: f.ws.id }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      callerFor(h.db, f.otherOwner).workspace.brand.update({ workspaceId: f.ws.id, brandVoice: "x" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
