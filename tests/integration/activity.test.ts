import { describe, expect, it } from "vitest";
import { setupTestDb } from "../helpers/db";
import { callerFor, createUser, twoWorkspaces } from "../helpers/fixtures";
import { activityOf } from "../helpers/more-fixtures";

const h = await setupTestDb();

/** Two fresh workspaces where `ws` has exactly `n` renames, in order, and `other` has its own activity. */
async function withRenames(n: number) {
  const f = await twoWorkspaces(h.db);
  const admin = callerFor(h.db, f.admin);
  for (let i = 1; i <= n; i++) await admin.workspace.update({ workspaceId: f.ws.id, name: `Name ${i}` });
  const otherOwner = callerFor(h.db, f.otherOwner);
  await otherOwner.workspace.update({ workspaceId: f.other.id, name: "Other renamed" });
  await otherOwner.workspace.invitations.create({
    workspaceId: f.other.id,
    email: `leak-${f.other.id}@example.test`,
  });
  return f;
}

describe("workspace.activity.list", () => {
  it("pages newest first, with the total", async () => {
    const f = await withRenames(5);
    const viewer = callerFor(h.db, f.viewer);
    const page1 = await viewer.workspace.activity.list({ workspaceId: f.ws.id, page: 1, pageSize: 2 });
    const page2 = await viewer.workspace.activity.list({ workspaceId: f.ws.id, page: 2, pageSize: 2 });
    const page3 = await viewer.workspace.activity.list({ workspaceId: f.ws.id, page: 3, pageSize: 2 });
    const page4 = await viewer.workspace.activity.list({ workspaceId: f.ws.id, page: 4, pageSize: 2 });
    expect([page1.total, page2.total, page3.total]).toEqual([5, 5, 5]);
    expect(page1).toMatchObject({ page: 1, pageSize: 2 });
    const names = [...page1.items, ...page2.items, ...page3.items].map((i) => i.metadata.name);
    expect(names).toEqual(["Name 5", "Name 4", "Name 3", "Name 2", "Name 1"]);
    expect(page3.items).toHaveLength(1);
    expect(page4.items).toEqual([]);
    const times = [...page1.items, ...page2.items, ...page3.items].map((i) => i.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("defaults to page 1 of 25", async () => {
    const f = await withRenames(3);
    const res = await callerFor(h.db, f.owner).workspace.activity.list({ workspaceId: f.ws.id });
    expect(res).toMatchObject({ page: 1, pageSize: 25, total: 3 });
    expect(res.items).toHaveLength(3);
  });

  it("returns only this workspace's rows", async () => {
    const f = await withRenames(2);
    const res = await callerFor(h.db, f.owner).workspace.activity.list({
      workspaceId: f.ws.id,
      pageSize: 100,
    });
    const own = await activityOf(h.db, f.ws.id);
    const theirs = await activityOf(h.db, f.other.id);
    expect(theirs.length).toBeGreaterThanOrEqual(2);
    expect(res.total).toBe(own.length);
    expect(res.items.map((i) => i.id).sort()).toEqual(own.map((a) => a.id).sort());
    const leaked = new Set(theirs.map((a) => a.id));
    expect(res.items.filter((i) => leaked.has(i.id))).toEqual([]);
    expect(JSON.stringify(res)).not.toContain(f.other.id);
    expect(JSON.stringify(res)).not.toContain("Other renamed");
  });

  it("records who acted, the first forwarded ip and the user agent", async () => {
    const f = await twoWorkspaces(h.db);
    await callerFor(h.db, f.admin, {
      "x-forwarded-for": "198.51.100.23, 10.0.0.1",
      "user-agent": "Mozilla/5.0 (activity test)",
    }).workspace.update({ workspaceId: f.ws.id, name: "Tracked" });
    await callerFor(h.db, f.owner, {
      "x-forwarded-for": "2001:db8::7",
      "user-agent": "ipv6-agent",
    }).workspace.update({ workspaceId: f.ws.id, name: "Tracked v6" });
    await callerFor(h.db, f.owner, {
      "x-forwarded-for": "not-an-ip",
      "user-agent": "x".repeat(1500),
    }).workspace.update({ workspaceId: f.ws.id, name: "Tracked junk" });
    await callerFor(h.db, f.admin, {
      "x-forwarded-for": "",
      "x-real-ip": "::ffff:203.0.113.99",
    }).workspace.update({
      workspaceId: f.ws.id,
      name: "Tracked real-ip",
    });
    const { items: all } = await callerFor(h.db, f.member).workspace.activity.list({ workspaceId: f.ws.id });
    expect(all[0]).toMatchObject({ ipAddress: "203.0.113.99", metadata: { name: "Tracked real-ip" } });
    const items = all.slice(1);
    expect(items.map((i) => [i.metadata.name, i.ipAddress, i.userAgent?.slice(0, 30), i.user?.id])).toEqual([
      ["Tracked junk", null, "x".repeat(30), f.owner.id],
      ["Tracked v6", "2001:db8::7", "ipv6-agent", f.owner.id],
      ["Tracked", "198.51.100.23", "Mozilla/5.0 (activity test)", f.admin.id],
    ]);
    expect(items[0]?.userAgent).toHaveLength(1000);
    expect(items[2]).toMatchObject({
      action: "workspace.updated",
      entityType: "workspace",
      entityId: f.ws.id,
      user: { id: f.admin.id, email: f.admin.email, name: f.admin.name },
    });
  });

  it("refuses a page size over 100, a page 0 and a non-integer page, with the field in the message", async () => {
    const f = await twoWorkspaces(h.db);
    const caller = callerFor(h.db, f.owner);
    await expect(
      caller.workspace.activity.list({ workspaceId: f.ws.id, pageSize: 101 }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("pageSize"),
    });
    await expect(caller.workspace.activity.list({ workspaceId: f.ws.id, page: 0 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("page"),
    });
    await expect(caller.workspace.activity.list({ workspaceId: f.ws.id, page: 1.5 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("is NOT_FOUND for someone who is not a member", async () => {
    const f = await withRenames(1);
    await expect(
      callerFor(h.db, f.otherOwner).workspace.activity.list({ workspaceId: f.ws.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const loner = await createUser(h.db);
    await expect(
      callerFor(h.db, loner).workspace.activity.list({ workspaceId: f.ws.id }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("is UNAUTHORIZED when signed out", async () => {
    const f = await withRenames(1);
    await expect(
      callerFor(h.db, null).workspace.activity.list({ workspaceId: f.ws.id }),
    ).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });
});
