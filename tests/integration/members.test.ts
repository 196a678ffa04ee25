import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { changeMemberRole } from "@/server/services/workspaces";
import { setupTestDb } from "../helpers/db";
import { callerFor, createUser, createWorkspace } from "../helpers/fixtures";
import { activityOf, membersOf, ownerCount, roleOf, workspaceWithRoles } from "../helpers/more-fixtures";

const h = await setupTestDb();

/** Fresh fixtures per test: these tests change roles and memberships. */
async function setup(extraOwner = false) {
  const f = await workspaceWithRoles(h.db, extraOwner);
  const outsider = await createUser(h.db, { name: "Outsider" });
  const other = await createWorkspace(h.db, outsider, { name: "Other" });
  const [otherMember] = await membersOf(h.db, other.id);
  return { ...f, outsider, other, otherMember: otherMember! };
}

describe("workspace.members.list", () => {
  it("lets a viewer list members, owners first, with their users", async () => {
    const f = await setup();
    const list = await callerFor(h.db, f.viewer.user).workspace.members.list({ workspaceId: f.ws.id });
    expect(list.map((m) => m.role)).toEqual(["owner", "admin", "member", "viewer"]);
    expect(list.map((m) => m.id)).toEqual([
      f.owner.member.id,
      f.admin.member.id,
      f.member.member.id,
      f.viewer.member.id,
    ]);
    expect(list[0]?.user).toMatchObject({ id: f.owner.user.id, email: f.owner.user.email });
    expect(list.map((m) => m.user.id)).not.toContain(f.outsider.id);
  });

  it("refuses a malformed workspace id", async () => {
    const f = await setup();
    await expect(
      callerFor(h.db, f.owner.user).workspace.members.list({ workspaceId: "nope" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("workspaceId must be a UUID"),
    });
  });

  it("is NOT_FOUND for another workspace's owner", async () => {
    const f = await setup();
    await expect(
      callerFor(h.db, f.outsider).workspace.members.list({ workspaceId: f.ws.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("is UNAUTHORIZED when signed out", async () => {
    const f = await setup();
    await expect(
      callerFor(h.db, null).workspace.members.list({ workspaceId: f.ws.id }),
    ).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });
});

describe("workspace.members.changeRole", () => {
  it("lets an admin move someone between member, viewer and admin, logging each change", async () => {
    const f = await setup();
    const admin = callerFor(h.db, f.admin.user);
    const id = f.member.member.id;
    for (const role of ["viewer", "admin", "member"] as const) {
      const updated = await admin.workspace.members.changeRole({ workspaceId: f.ws.id, memberId: id, role });
      expect(updated.role).toBe(role);
      expect(await roleOf(h.db, id)).toBe(role);
    }
    const changes = (await activityOf(h.db, f.ws.id)).filter((a) => a.action === "member.role_changed");
    expect(changes.map((c) => c.metadata).sort((a, b) => String(a.to).localeCompare(String(b.to)))).toEqual([
      { userId: f.member.user.id, from: "viewer", to: "admin" },
      { userId: f.member.user.id, from: "admin", to: "member" },
      { userId: f.member.user.id, from: "member", to: "viewer" },
    ]);
    expect(changes.every((c) => c.userId === f.admin.user.id && c.entityId === id)).toBe(true);
  });

  it("refuses an admin granting owner, or changing an owner (FORBIDDEN), changing nothing", async () => {
    const f = await setup(true);
    const admin = callerFor(h.db, f.admin.user);
    const before = await membersOf(h.db, f.ws.id);
    await expect(
      admin.workspace.members.changeRole({
        workspaceId: f.ws.id,
        memberId: f.member.member.id,
        role: "owner",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      admin.workspace.members.changeRole({
        workspaceId: f.ws.id,
        memberId: f.admin.member.id,
        role: "owner",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      admin.workspace.members.changeRole({
        workspaceId: f.ws.id,
        memberId: f.owner2!.member.id,
        role: "member",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await membersOf(h.db, f.ws.id)).toEqual(before);
  });

  it("lets an owner make someone owner", async () => {
    const f = await setup();
    const updated = await callerFor(h.db, f.owner.user).workspace.members.changeRole({
      workspaceId: f.ws.id,
      memberId: f.member.member.id,
      role: "owner",
    });
    expect(updated.role).toBe("owner");
    expect(await ownerCount(h.db, f.ws.id)).toBe(2);
    const list = await callerFor(h.db, f.member.user).workspace.list();
    expect(list.find((w) => w.id === f.ws.id)?.role).toBe("owner");
  });

  it("refuses to demote the last owner (CONFLICT), even by themselves", async () => {
    const f = await setup();
    await expect(
      callerFor(h.db, f.owner.user).workspace.members.changeRole({
        workspaceId: f.ws.id,
        memberId: f.owner.member.id,
        role: "admin",
      }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("at least one owner") });
    expect(await roleOf(h.db, f.owner.member.id)).toBe("owner");
  });

  it("lets an owner step down when another owner remains", async () => {
    const f = await setup(true);
    const updated = await callerFor(h.db, f.owner.user).workspace.members.changeRole({
      workspaceId: f.ws.id,
      memberId: f.owner.member.id,
      role: "admin",
    });
    expect(updated.role).toBe("admin");
    expect(await ownerCount(h.db, f.ws.id)).toBe(1);
  });

  it("keeps at least one owner when two owners demote each other at the same time", async () => {
    const f = await setup(true);
    const results = await Promise.allSettled([
      callerFor(h.db, f.owner.user).workspace.members.changeRole({
        workspaceId: f.ws.id,
        memberId: f.owner2!.member.id,
        role: "member",
      }),
      callerFor(h.db, f.owner2!.user).workspace.members.changeRole({
        workspaceId: f.ws.id,
        memberId: f.owner.member.id,
        role: "member",
      }),
    ]);
    expect(await ownerCount(h.db, f.ws.id)).toBeGreaterThanOrEqual(1);
    const fulfilled = results.filter((r) => r.status === "fulfilled");
    const rejected = results.filter((r) => r.status === "rejected");
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    // CONFLICT when both got past the role check; FORBIDDEN when the loser was already demoted by then.
    expect(["CONFLICT", "FORBIDDEN"]).toContain((rejected[0] as PromiseRejectedResult).reason.code);
  });

  it("keeps an owner when both demotions reach the locked transaction together (service level)", async () => {
    for (let round = 0; round < 5; round++) {
      const f = await setup(true);
      const as = (userId: string) => ({
        db: h.db,
        actor: { userId, ip: null, userAgent: null },
        workspaceId: f.ws.id,
        actorRole: "owner" as const,
      });
      const results = await Promise.allSettled([
        changeMemberRole(as(f.owner.user.id), { memberId: f.owner2!.member.id, role: "member" }),
        changeMemberRole(as(f.owner2!.user.id), { memberId: f.owner.member.id, role: "member" }),
      ]);
      expect(await ownerCount(h.db, f.ws.id)).toBe(1);
      const rejected = results.filter((r) => r.status === "rejected");
      expect(rejected).toHaveLength(1);
      expect((rejected[0] as PromiseRejectedResult).reason).toMatchObject({ code: "CONFLICT" });
    }
  });

  it("keeps at least one owner when two owners both leave at the same time", async () => {
    const f = await setup(true);
    const results = await Promise.allSettled([
      callerFor(h.db, f.owner.user).workspace.members.leave({ workspaceId: f.ws.id }),
      callerFor(h.db, f.owner2!.user).workspace.members.leave({ workspaceId: f.ws.id }),
    ]);
    expect(await ownerCount(h.db, f.ws.id)).toBe(1);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(1);
  });

  it("refuses an unknown role and a malformed member id, changing nothing", async () => {
    const f = await setup();
    const before = await membersOf(h.db, f.ws.id);
    const owner = callerFor(h.db, f.owner.user);
    await expect(
      owner.workspace.members.changeRole({
        workspaceId: f.ws.id,
        memberId: f.member.member.id,
        role: "superuser" as never,
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("role") });
    await expect(
      owner.workspace.members.changeRole({ workspaceId: f.ws.id, memberId: "123", role: "viewer" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("memberId") });
    expect(await membersOf(h.db, f.ws.id)).toEqual(before);
  });

  it("is NOT_FOUND for a member of another workspace, even for an owner", async () => {
    const f = await setup();
    await expect(
      callerFor(h.db, f.owner.user).workspace.members.changeRole({
        workspaceId: f.ws.id,
        memberId: f.otherMember.id,
        role: "viewer",
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      callerFor(h.db, f.owner.user).workspace.members.changeRole({
        workspaceId: f.ws.id,
        memberId: randomUUID(),
        role: "viewer",
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await roleOf(h.db, f.otherMember.id)).toBe("owner");
  });

  it("is NOT_FOUND when an outsider aims at this workspace's members", async () => {
    const f = await setup();
    await expect(
      callerFor(h.db, f.outsider).workspace.members.changeRole({
        workspaceId: f.ws.id,
        memberId: f.owner.member.id,
        role: "viewer",
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      callerFor(h.db, f.outsider).workspace.members.changeRole({
        workspaceId: f.other.id,
        memberId: f.owner.member.id,
        role: "viewer",
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await roleOf(h.db, f.owner.member.id)).toBe("owner");
  });

  it("is FORBIDDEN for a member or a viewer, even on themselves", async () => {
    const f = await setup();
    const before = await membersOf(h.db, f.ws.id);
    for (const actor of [f.member, f.viewer]) {
      for (const target of [f.viewer, f.member, actor]) {
        await expect(
          callerFor(h.db, actor.user).workspace.members.changeRole({
            workspaceId: f.ws.id,
            memberId: target.member.id,
            role: "admin",
          }),
        ).rejects.toMatchObject({ code: "FORBIDDEN" });
      }
    }
    expect(await membersOf(h.db, f.ws.id)).toEqual(before);
  });

  it("is UNAUTHORIZED when signed out", async () => {
    const f = await setup();
    await expect(
      callerFor(h.db, null).workspace.members.changeRole({
        workspaceId: f.ws.id,
        memberId: f.member.member.id,
        role: "admin",
      }),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await roleOf(h.db, f.member.member.id)).toBe("member");
  });
});

describe("workspace.members.remove", () => {
  it("lets an admin remove a member, who then loses access; logs member.removed", async () => {
    const f = await setup();
    const res = await callerFor(h.db, f.admin.user).workspace.members.remove({
      workspaceId: f.ws.id,
      memberId: f.member.member.id,
    });
    expect(res).toEqual({ id: f.member.member.id });
    expect(await roleOf(h.db, f.member.member.id)).toBeNull();
    await expect(callerFor(h.db, f.member.user).workspace.get({ id: f.ws.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const logs = (await activityOf(h.db, f.ws.id)).filter((a) => a.action === "member.removed");
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      userId: f.admin.user.id,
      metadata: { userId: f.member.user.id, role: "member" },
    });
  });

  it("refuses an admin removing an owner (FORBIDDEN)", async () => {
    const f = await setup(true);
    await expect(
      callerFor(h.db, f.admin.user).workspace.members.remove({
        workspaceId: f.ws.id,
        memberId: f.owner.member.id,
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await ownerCount(h.db, f.ws.id)).toBe(2);
  });

  it("lets an owner remove another owner, but never the last one", async () => {
    const f = await setup(true);
    const owner = callerFor(h.db, f.owner.user);
    await owner.workspace.members.remove({ workspaceId: f.ws.id, memberId: f.owner2!.member.id });
    expect(await ownerCount(h.db, f.ws.id)).toBe(1);
    await expect(
      owner.workspace.members.remove({ workspaceId: f.ws.id, memberId: f.owner.member.id }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await roleOf(h.db, f.owner.member.id)).toBe("owner");
  });

  it("refuses a malformed member id", async () => {
    const f = await setup();
    const before = await membersOf(h.db, f.ws.id);
    await expect(
      callerFor(h.db, f.owner.user).workspace.members.remove({ workspaceId: f.ws.id, memberId: "x" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("memberId") });
    expect(await membersOf(h.db, f.ws.id)).toEqual(before);
  });

  it("is NOT_FOUND for a member of another workspace, even for an owner", async () => {
    const f = await setup();
    await expect(
      callerFor(h.db, f.owner.user).workspace.members.remove({
        workspaceId: f.ws.id,
        memberId: f.otherMember.id,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await roleOf(h.db, f.otherMember.id)).toBe("owner");
    await expect(
      callerFor(h.db, f.outsider).workspace.members.remove({
        workspaceId: f.ws.id,
        memberId: f.member.member.id,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await roleOf(h.db, f.member.member.id)).toBe("member");
  });

  it("is FORBIDDEN for a member or viewer removing someone else", async () => {
    const f = await setup();
    const before = await membersOf(h.db, f.ws.id);
    await expect(
      callerFor(h.db, f.member.user).workspace.members.remove({
        workspaceId: f.ws.id,
        memberId: f.viewer.member.id,
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      callerFor(h.db, f.viewer.user).workspace.members.remove({
        workspaceId: f.ws.id,
        memberId: f.member.member.id,
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await membersOf(h.db, f.ws.id)).toEqual(before);
  });

  it("is UNAUTHORIZED when signed out", async () => {
    const f = await setup();
    await expect(
      callerFor(h.db, null).workspace.members.remove({ workspaceId: f.ws.id, memberId: f.member.member.id }),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await roleOf(h.db, f.member.member.id)).toBe("member");
  });
});

describe("workspace.members.leave", () => {
  it("lets a viewer, a member and an admin leave; logs member.left", async () => {
    const f = await setup();
    for (const who of [f.viewer, f.member, f.admin]) {
      await expect(
        callerFor(h.db, who.user).workspace.members.leave({ workspaceId: f.ws.id }),
      ).resolves.toEqual({ id: who.member.id });
      expect(await roleOf(h.db, who.member.id)).toBeNull();
      expect((await callerFor(h.db, who.user).workspace.list()).map((w) => w.id)).not.toContain(f.ws.id);
    }
    const left = (await activityOf(h.db, f.ws.id)).filter((a) => a.action === "member.left");
    expect(left.map((a) => a.userId).sort()).toEqual(
      [f.viewer.user.id, f.member.user.id, f.admin.user.id].sort(),
    );
    expect(await membersOf(h.db, f.ws.id)).toEqual([
      { id: f.owner.member.id, userId: f.owner.user.id, role: "owner" },
    ]);
  });

  it("refuses the last owner (CONFLICT) and keeps them", async () => {
    const f = await setup();
    await expect(
      callerFor(h.db, f.owner.user).workspace.members.leave({ workspaceId: f.ws.id }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("last owner") });
    expect(await roleOf(h.db, f.owner.member.id)).toBe("owner");
  });

  it("lets one of two owners leave", async () => {
    const f = await setup(true);
    await callerFor(h.db, f.owner2!.user).workspace.members.leave({ workspaceId: f.ws.id });
    expect(await ownerCount(h.db, f.ws.id)).toBe(1);
    expect(await roleOf(h.db, f.owner.member.id)).toBe("owner");
  });

  it("refuses a malformed workspace id", async () => {
    const f = await setup();
    await expect(
      callerFor(h.db, f.member.user).workspace.members.leave({ workspaceId: "abc" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await roleOf(h.db, f.member.member.id)).toBe("member");
  });

  it("is NOT_FOUND for a workspace the caller is not in", async () => {
    const f = await setup();
    await expect(
      callerFor(h.db, f.outsider).workspace.members.leave({ workspaceId: f.ws.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await membersOf(h.db, f.other.id)).toHaveLength(1);
  });

  it("is UNAUTHORIZED when signed out", async () => {
    const f = await setup();
    await expect(
      callerFor(h.db, null).workspace.members.leave({ workspaceId: f.ws.id }),
    ).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });
});
