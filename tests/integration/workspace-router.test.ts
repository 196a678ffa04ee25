import { beforeAll, describe, expect, it } from "vitest";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
});

describe("workspace.update", () => {
  it("renames the workspace for an admin and logs it", async () => {
    const updated = await callerFor(h.db, f.admin).workspace.update({
      workspaceId: f.ws.id,
      name: "Renamed",
    });
    expect(updated.name).toBe("Renamed");
    const activity = await callerFor(h.db, f.owner).workspace.activity.list({ workspaceId: f.ws.id });
    expect(activity.items[0]).toMatchObject({ action: "workspace.updated", user: { id: f.admin.id } });
    expect(activity.items[0]?.ipAddress).toBe("203.0.113.7");
    expect(activity.items[0]?.userAgent).toBe("vitest");
  });

  it("refuses an invalid slug with a field message and changes nothing", async () => {
    await expect(
      callerFor(h.db, f.owner).workspace.update({ workspaceId: f.ws.id, slug: "Not A Slug!" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const ws = await callerFor(h.db, f.owner).workspace.get({ id: f.ws.id });
    expect(ws.slug).toBe(f.ws.slug);
  });

  it("is NOT_FOUND for a member of another workspace", async () => {
    await expect(
      callerFor(h.db, f.otherOwner).workspace.update({ workspaceId: f.ws.id, name: "Hijack" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("is FORBIDDEN for a member and a viewer", async () => {
    for (const user of [f.member, f.viewer]) {
      await expect(
        callerFor(h.db, user).workspace.update({ workspaceId: f.ws.id, name: "Nope" }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
  });

  it("is UNAUTHORIZED when signed out", async () => {
    await expect(
      callerFor(h.db, null).workspace.update({ workspaceId: f.ws.id, name: "x" }),
    ).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });
});
