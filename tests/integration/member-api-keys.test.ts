import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { describeAction } from "@/lib/activity-labels";
import { activityLogs, apiKeys, type Role, workspaceMembers } from "@/server/db/schema";
import { createApiKey, revokeApiKey } from "@/server/services/api-keys";
import { systemActor } from "@/server/services/context";
import { addMember, callerFor, createUser, createWorkspace } from "../helpers/fixtures";
import { call, setupRest } from "./rest-helpers";

/**
 * Issue #12 item 16: keys created by a member who was then removed kept working. Removing a member,
 * a member leaving, and a demotion to viewer now take the keys they created in that workspace with
 * them (a viewer keeps read-only keys), each logged in the activity log. And a key acts with its
 * creator's current role: an admin made a member keeps member rights through their keys, not the
 * admin-only `PATCH /workspace`; a key whose creator is gone (removed before removals revoked keys)
 * acts for nobody.
 */
const { h, f, keyA } = await setupRest();

async function adminWithKeys(
  workspaceId: string,
  scopes: ("read" | "write")[][] = [["read", "write"]],
  role: Role = "admin",
) {
  const { user, member } = await addMember(h.db, workspaceId, role);
  const keys = [];
  for (const s of scopes) {
    const { key, apiKey } = await createApiKey(
      { db: h.db, workspaceId, actor: { userId: user.id, ip: null, userAgent: "vitest" } },
      { name: `${user.email} ${s.join("+")}`, scopes: s },
    );
    keys.push({ key, id: apiKey.id });
  }
  return { user, memberId: member.id, keys };
}

const listLeads = (key: string) => call("GET", "/leads", { key });
const createLead = (key: string) =>
  call("POST", "/leads", { key, body: { email: `k-${Math.random().toString(36).slice(2, 8)}@x.test` } });

async function keyLogs(keyId: string) {
  const rows = await h.db
    .select()
    .from(activityLogs)
    .where(and(eq(activityLogs.workspaceId, f.ws.id), eq(activityLogs.entityId, keyId)));
  return rows.map((r) => ({ action: r.action, metadata: r.metadata }));
}

describe("API keys of a member who goes", () => {
  it("removing a member revokes the keys they created here: 200 before, 401 after, logged", async () => {
    const admin = await adminWithKeys(f.ws.id);
    const [{ key, id }] = admin.keys as [{ key: string; id: string }];
    expect((await listLeads(key)).status).toBe(200);

    await callerFor(h.db, f.owner).workspace.members.remove({
      workspaceId: f.ws.id,
      memberId: admin.memberId,
    });

    const after = await listLeads(key);
    expect(after.status).toBe(401);
    expect(await keyLogs(id)).toContainEqual({
      action: "api_key.revoked",
      metadata: expect.objectContaining({ reason: "member.removed", createdBy: admin.user.id }),
    });
    // Keys made by people who stay keep working.
    expect((await listLeads(keyA)).status).toBe(200);
    expect(describeAction("api_key.revoked", { name: "zapier", reason: "member.removed" })).toBe(
      "revoked the API key zapier (its creator was removed)",
    );
  });

  it("a member leaving revokes theirs too, and only in that workspace", async () => {
    const admin = await adminWithKeys(f.ws.id);
    // The same person is also an admin of another workspace, with a key there.
    const other = await createWorkspace(h.db, await createUser(h.db));
    await h.db
      .insert(workspaceMembers)
      .values({ workspaceId: other.id, userId: admin.user.id, role: "admin" });
    const { key: otherKey } = await createApiKey(
      { db: h.db, workspaceId: other.id, actor: { userId: admin.user.id, ip: null, userAgent: "vitest" } },
      { name: "elsewhere" },
    );

    await callerFor(h.db, admin.user).workspace.members.leave({ workspaceId: f.ws.id });

    expect((await listLeads(admin.keys[0]!.key)).status).toBe(401);
    expect(await keyLogs(admin.keys[0]!.id)).toContainEqual({
      action: "api_key.revoked",
      metadata: expect.objectContaining({ reason: "member.left" }),
    });
    expect((await listLeads(otherKey)).status).toBe(200);
  });

  it("a demotion to viewer leaves their keys read-only (a write-only key is revoked); to member, unchanged", async () => {
    const admin = await adminWithKeys(f.ws.id, [["read", "write"], ["write"]]);
    const [both, writeOnly] = admin.keys as [{ key: string; id: string }, { key: string; id: string }];
    expect((await createLead(both.key)).status).toBe(201);
    const owner = callerFor(h.db, f.owner);

    await owner.workspace.members.changeRole({
      workspaceId: f.ws.id,
      memberId: admin.memberId,
      role: "member",
    });
    expect((await createLead(both.key)).status).toBe(201);

    await owner.workspace.members.changeRole({
      workspaceId: f.ws.id,
      memberId: admin.memberId,
      role: "viewer",
    });
    expect((await listLeads(both.key)).status).toBe(200);
    expect((await createLead(both.key)).status).toBe(403);
    expect((await createLead(writeOnly.key)).status).toBe(401);
    const [stored] = await h.db.select().from(apiKeys).where(eq(apiKeys.id, both.id));
    expect(stored).toMatchObject({ scopes: ["read"], revokedAt: null });
    expect(await keyLogs(both.id)).toContainEqual({
      action: "api_key.scopes_reduced",
      metadata: expect.objectContaining({ reason: "member.role_changed", scopes: ["read"] }),
    });
    expect(await keyLogs(writeOnly.id)).toContainEqual({
      action: "api_key.revoked",
      metadata: expect.objectContaining({ reason: "member.role_changed" }),
    });
  });

  it("keys already revoked are not logged again", async () => {
    const admin = await adminWithKeys(f.ws.id);
    const { id } = admin.keys[0]!;
    const ctx = {
      db: h.db,
      workspaceId: f.ws.id,
      actor: { userId: f.owner.id, ip: null, userAgent: "vitest" },
    };
    await revokeApiKey(ctx, { apiKeyId: id });
    await callerFor(h.db, f.owner).workspace.members.remove({
      workspaceId: f.ws.id,
      memberId: admin.memberId,
    });
    expect((await keyLogs(id)).filter((l) => l.action === "api_key.revoked")).toHaveLength(1);
  });
});

describe("a key acts with its creator's current role", () => {
  const patchWorkspace = (key: string) =>
    call("PATCH", "/workspace", { key, body: { timeZone: "Europe/Paris" } });

  it("an admin made a member: their key still writes leads, but PATCH /workspace (admin-only) is 403", async () => {
    const admin = await adminWithKeys(f.ws.id);
    const { key } = admin.keys[0]!;
    expect((await patchWorkspace(key)).status).toBe(200);

    await callerFor(h.db, f.owner).workspace.members.changeRole({
      workspaceId: f.ws.id,
      memberId: admin.memberId,
      role: "member",
    });
    const refused = await patchWorkspace(key);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: "insufficient_role" });
    expect(refused.body.detail).toMatch(/now a member/);
    expect((await createLead(key)).status).toBe(201);
    // The same change through the app is refused to a member as well.
    await expect(
      callerFor(h.db, admin.user).workspace.update({ workspaceId: f.ws.id, timeZone: "Europe/Paris" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });

    // Made an admin again: the key follows.
    await callerFor(h.db, f.owner).workspace.members.changeRole({
      workspaceId: f.ws.id,
      memberId: admin.memberId,
      role: "admin",
    });
    expect((await patchWorkspace(key)).status).toBe(200);
  });

  it("a viewer's key that still holds `write` (demoted before scopes were cut) writes nothing", async () => {
    const admin = await adminWithKeys(f.ws.id);
    // The membership changed behind the service's back, as it did before demotions reduced scopes.
    await h.db
      .update(workspaceMembers)
      .set({ role: "viewer" })
      .where(eq(workspaceMembers.id, admin.memberId));
    const { key } = admin.keys[0]!;
    expect((await listLeads(key)).status).toBe(200);
    const refused = await createLead(key);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: "insufficient_role" });
  });

  it("a key whose creator is no longer a member (removed before removals revoked keys) is refused", async () => {
    const admin = await adminWithKeys(f.ws.id);
    const { key, id } = admin.keys[0]!;
    await h.db.delete(workspaceMembers).where(eq(workspaceMembers.id, admin.memberId));
    const [stored] = await h.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    expect(stored?.revokedAt).toBeNull();
    expect((await listLeads(key)).status).toBe(401);
    expect((await createLead(key)).status).toBe(401);
  });

  it("a key made with the CLI (no creator) acts as an admin", async () => {
    const { key } = await createApiKey(
      { db: h.db, workspaceId: f.ws.id, actor: systemActor },
      { name: "operator" },
    );
    expect((await patchWorkspace(key)).status).toBe(200);
    expect((await createLead(key)).status).toBe(201);
  });
});
