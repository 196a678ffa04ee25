import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "@/lib/crypto";
import { workspaceInvitations } from "@/server/db/schema";
import { unsealOutboxBody } from "@/server/services/email/outbox";
import { createInvitation } from "@/server/services/workspaces";
import { setupTestDb } from "../helpers/db";
import { callerFor, createUser, createWorkspace, uniqueEmail } from "../helpers/fixtures";
import {
  activityOf,
  callOverHttp,
  invitationRow,
  invitationsOf,
  membersOf,
  outboxOf,
  tokenFromUrl,
  workspaceWithRoles,
} from "../helpers/more-fixtures";

const h = await setupTestDb();

async function setup() {
  const f = await workspaceWithRoles(h.db);
  const outsider = await createUser(h.db, { name: "Outsider" });
  const other = await createWorkspace(h.db, outsider, { name: "Other" });
  return { ...f, outsider, other };
}

/** An admin invites a brand-new person; returns the invitee (not yet a user) and the link. */
async function invite(f: Awaited<ReturnType<typeof setup>>, role: "admin" | "member" | "viewer" = "member") {
  const email = uniqueEmail("invitee");
  const res = await callerFor(h.db, f.admin.user).workspace.invitations.create({
    workspaceId: f.ws.id,
    email,
    role,
  });
  return { email, ...res, token: tokenFromUrl(res.url) };
}

describe("workspace.invitations.create", () => {
  it("lets an admin invite: a link with a token, a pending row, an activity entry", async () => {
    const f = await setup();
    const email = uniqueEmail("New.Person");
    const res = await callerFor(h.db, f.admin.user).workspace.invitations.create({
      workspaceId: f.ws.id,
      email: `  ${email.toUpperCase()} `,
      role: "viewer",
    });
    expect(res.url).toMatch(/^http:\/\/localhost:3000\/invitations\/[A-Za-z0-9_-]{40,}$/);
    expect(res.invitation).toMatchObject({
      workspaceId: f.ws.id,
      email: email.toLowerCase(),
      role: "viewer",
      status: "pending",
      invitedBy: f.admin.user.id,
    });
    expect(res.invitation).not.toHaveProperty("tokenHash");
    const days = (res.invitation.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    const logs = (await activityOf(h.db, f.ws.id)).filter((a) => a.action === "invitation.created");
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      userId: f.admin.user.id,
      entityId: res.invitation.id,
      metadata: { email: email.toLowerCase(), role: "viewer" },
    });
  });

  it("defaults the role to member", async () => {
    const f = await setup();
    const res = await callerFor(h.db, f.owner.user).workspace.invitations.create({
      workspaceId: f.ws.id,
      email: uniqueEmail(),
    });
    expect(res.invitation.role).toBe("member");
  });

  it("stores only the sha256 of the token: no column, activity or listing holds the raw token", async () => {
    const f = await setup();
    const inv = await invite(f);
    const row = await invitationRow(h.db, inv.invitation.id);
    expect(row?.tokenHash).toBe(sha256Hex(inv.token));
    expect(row?.tokenHash).not.toBe(inv.token);
    expect(JSON.stringify(row)).not.toContain(inv.token);
    expect(JSON.stringify(await activityOf(h.db, f.ws.id))).not.toContain(inv.token);
    const listed = await callerFor(h.db, f.owner.user).workspace.invitations.list({ workspaceId: f.ws.id });
    expect(listed).toHaveLength(1);
    expect(listed[0]).not.toHaveProperty("tokenHash");
    expect(JSON.stringify(listed)).not.toContain(inv.token);
    expect(JSON.stringify(listed)).not.toContain(sha256Hex(inv.token));
  });

  it("queues the email: an outbox row with the link sealed, kept in the outbox once the job ran without SMTP", async () => {
    const f = await setup();
    const inv = await invite(f, "admin");
    expect(inv.delivery).toBe("link");
    const rows = await outboxOf(h.db, f.ws.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: "invitation", toAddress: inv.email });
    expect(rows[0]?.subject).toContain(f.ws.name);
    expect(rows[0]?.text).not.toContain(inv.token);
    expect(rows[0]?.text).toContain("/invitations/[removed]");
    expect(unsealOutboxBody(rows[0]!.sealedBody!).text).toContain(inv.url);
    expect(rows[0]?.text).toContain("as admin");
    await h.queue.drain();
    const [after] = await outboxOf(h.db, f.ws.id);
    expect(after).toMatchObject({ id: rows[0]?.id, status: "outbox", sentAt: null });
  });

  it("refuses to invite someone who is already a member (CONFLICT, email field)", async () => {
    const f = await setup();
    const res = await callOverHttp(h.db, f.admin.user, {
      type: "mutation",
      path: "workspace.invitations.create",
      input: { workspaceId: f.ws.id, email: f.viewer.user.email.toUpperCase() },
    });
    expect(res.status).toBe(409);
    expect(res.error?.data.fieldErrors).toEqual({ email: ["Already a member"] });
    expect(await invitationsOf(h.db, f.ws.id)).toEqual([]);
    expect(await outboxOf(h.db, f.ws.id)).toEqual([]);
  });

  it("refuses a second pending invitation for the same email (CONFLICT), keeping the first", async () => {
    const f = await setup();
    const first = await invite(f);
    await expect(
      callerFor(h.db, f.owner.user).workspace.invitations.create({
        workspaceId: f.ws.id,
        email: first.email,
        role: "viewer",
      }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      cause: { fieldErrors: { email: [expect.stringContaining("Already invited")] } },
    });
    const rows = await invitationsOf(h.db, f.ws.id);
    expect(rows.map((r) => [r.id, r.status, r.role])).toEqual([[first.invitation.id, "pending", "member"]]);
    expect(await outboxOf(h.db, f.ws.id)).toHaveLength(1);
  });

  it("allows the same email to be invited by another workspace", async () => {
    const f = await setup();
    const first = await invite(f);
    const res = await callerFor(h.db, f.outsider).workspace.invitations.create({
      workspaceId: f.other.id,
      email: first.email,
    });
    expect(res.invitation.workspaceId).toBe(f.other.id);
  });

  it("refuses the owner role in an invitation (BAD_REQUEST), creating nothing", async () => {
    const f = await setup();
    await expect(
      callerFor(h.db, f.owner.user).workspace.invitations.create({
        workspaceId: f.ws.id,
        email: uniqueEmail(),
        role: "owner" as never,
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("role") });
    expect(await invitationsOf(h.db, f.ws.id)).toEqual([]);
  });

  it("refuses, in the service, a role above the inviter's own (FORBIDDEN)", async () => {
    const f = await setup();
    const email = uniqueEmail();
    await expect(
      createInvitation(
        {
          db: h.db,
          actor: { userId: f.member.user.id, ip: null, userAgent: null },
          workspaceId: f.ws.id,
          actorRole: "member",
          baseUrl: "http://localhost:3000",
        },
        { email, role: "admin" },
      ),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await invitationsOf(h.db, f.ws.id)).toEqual([]);
  });

  it("refuses a malformed email with the field message, creating nothing", async () => {
    const f = await setup();
    const res = await callOverHttp(h.db, f.admin.user, {
      type: "mutation",
      path: "workspace.invitations.create",
      input: { workspaceId: f.ws.id, email: "not-an-email" },
    });
    expect(res.status).toBe(400);
    expect(res.error?.data.zodError?.fieldErrors.email).toEqual(["Enter a valid email address"]);
    expect(await invitationsOf(h.db, f.ws.id)).toEqual([]);
    expect(await outboxOf(h.db, f.ws.id)).toEqual([]);
  });

  it("is FORBIDDEN for a member and a viewer", async () => {
    const f = await setup();
    for (const who of [f.member, f.viewer]) {
      await expect(
        callerFor(h.db, who.user).workspace.invitations.create({
          workspaceId: f.ws.id,
          email: uniqueEmail(),
          role: "viewer",
        }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await invitationsOf(h.db, f.ws.id)).toEqual([]);
  });

  it("is NOT_FOUND for another workspace's owner", async () => {
    const f = await setup();
    await expect(
      callerFor(h.db, f.outsider).workspace.invitations.create({
        workspaceId: f.ws.id,
        email: uniqueEmail(),
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await invitationsOf(h.db, f.ws.id)).toEqual([]);
  });

  it("is UNAUTHORIZED when signed out", async () => {
    const f = await setup();
    await expect(
      callerFor(h.db, null).workspace.invitations.create({ workspaceId: f.ws.id, email: uniqueEmail() }),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await invitationsOf(h.db, f.ws.id)).toEqual([]);
  });
});

describe("workspace.invitations.list", () => {
  it("lists this workspace's invitations, newest first, with the inviter", async () => {
    const f = await setup();
    const a = await invite(f);
    const b = await invite(f, "viewer");
    await callerFor(h.db, f.outsider).workspace.invitations.create({
      workspaceId: f.other.id,
      email: uniqueEmail(),
    });
    const list = await callerFor(h.db, f.admin.user).workspace.invitations.list({ workspaceId: f.ws.id });
    expect(list.map((i) => i.id)).toEqual([b.invitation.id, a.invitation.id]);
    expect(list[0]).toMatchObject({ email: b.email, role: "viewer", status: "pending" });
    expect(list[0]?.invitedBy).toEqual({
      id: f.admin.user.id,
      name: f.admin.user.name,
      email: f.admin.user.email,
    });
  });

  it("refuses a malformed workspace id", async () => {
    const f = await setup();
    await expect(
      callerFor(h.db, f.admin.user).workspace.invitations.list({ workspaceId: "1" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("is FORBIDDEN for a member and a viewer", async () => {
    const f = await setup();
    await invite(f);
    for (const who of [f.member, f.viewer]) {
      await expect(
        callerFor(h.db, who.user).workspace.invitations.list({ workspaceId: f.ws.id }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
  });

  it("is NOT_FOUND for another workspace's owner", async () => {
    const f = await setup();
    await invite(f);
    await expect(
      callerFor(h.db, f.outsider).workspace.invitations.list({ workspaceId: f.ws.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      callerFor(h.db, f.outsider).workspace.invitations.list({ workspaceId: f.other.id }),
    ).resolves.toEqual([]);
  });

  it("is UNAUTHORIZED when signed out", async () => {
    const f = await setup();
    await expect(
      callerFor(h.db, null).workspace.invitations.list({ workspaceId: f.ws.id }),
    ).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });
});

describe("workspace.invitations.revoke", () => {
  it("lets an admin revoke a pending invitation; its link then stops working", async () => {
    const f = await setup();
    const inv = await invite(f);
    const res = await callerFor(h.db, f.admin.user).workspace.invitations.revoke({
      workspaceId: f.ws.id,
      invitationId: inv.invitation.id,
    });
    expect(res).toEqual({ id: inv.invitation.id, email: inv.email });
    expect(await invitationRow(h.db, inv.invitation.id)).toMatchObject({
      status: "revoked",
      respondedAt: expect.any(Date),
    });
    expect((await activityOf(h.db, f.ws.id)).map((a) => a.action)).toContain("invitation.revoked");
    const invitee = await createUser(h.db, { email: inv.email });
    await expect(
      callerFor(h.db, invitee).workspace.invitations.accept({ token: inv.token }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      callerFor(h.db, f.admin.user).workspace.invitations.revoke({
        workspaceId: f.ws.id,
        invitationId: inv.invitation.id,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("frees the email for a new invitation once revoked", async () => {
    const f = await setup();
    const inv = await invite(f);
    await callerFor(h.db, f.owner.user).workspace.invitations.revoke({
      workspaceId: f.ws.id,
      invitationId: inv.invitation.id,
    });
    const again = await callerFor(h.db, f.owner.user).workspace.invitations.create({
      workspaceId: f.ws.id,
      email: inv.email,
    });
    expect(again.invitation.id).not.toBe(inv.invitation.id);
    expect((await invitationsOf(h.db, f.ws.id)).map((r) => r.status).sort()).toEqual(["pending", "revoked"]);
  });

  it("is NOT_FOUND for another workspace's owner, through either workspace id", async () => {
    const f = await setup();
    const inv = await invite(f);
    const outsider = callerFor(h.db, f.outsider);
    await expect(
      outsider.workspace.invitations.revoke({ workspaceId: f.other.id, invitationId: inv.invitation.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      outsider.workspace.invitations.revoke({ workspaceId: f.ws.id, invitationId: inv.invitation.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await invitationRow(h.db, inv.invitation.id))?.status).toBe("pending");
  });

  it("refuses a malformed invitation id", async () => {
    const f = await setup();
    await expect(
      callerFor(h.db, f.admin.user).workspace.invitations.revoke({ workspaceId: f.ws.id, invitationId: "x" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("invitationId") });
  });

  it("is FORBIDDEN for a member and a viewer", async () => {
    const f = await setup();
    const inv = await invite(f);
    for (const who of [f.member, f.viewer]) {
      await expect(
        callerFor(h.db, who.user).workspace.invitations.revoke({
          workspaceId: f.ws.id,
          invitationId: inv.invitation.id,
        }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect((await invitationRow(h.db, inv.invitation.id))?.status).toBe("pending");
  });

  it("is UNAUTHORIZED when signed out", async () => {
    const f = await setup();
    const inv = await invite(f);
    await expect(
      callerFor(h.db, null).workspace.invitations.revoke({
        workspaceId: f.ws.id,
        invitationId: inv.invitation.id,
      }),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect((await invitationRow(h.db, inv.invitation.id))?.status).toBe("pending");
  });
});

describe("workspace.invitations.get", () => {
  it("works signed out with the token and shows the workspace and inviter", async () => {
    const f = await setup();
    const inv = await invite(f, "viewer");
    const got = await callerFor(h.db, null).workspace.invitations.get({ token: inv.token });
    expect(got).toMatchObject({
      id: inv.invitation.id,
      email: inv.email,
      role: "viewer",
      status: "pending",
      expired: false,
      workspace: { id: f.ws.id, name: f.ws.name, slug: f.ws.slug },
      invitedBy: { email: f.admin.user.email },
    });
    expect(got).not.toHaveProperty("tokenHash");
  });

  it("is NOT_FOUND for an unknown token, and BAD_REQUEST for a malformed one", async () => {
    await expect(
      callerFor(h.db, null).workspace.invitations.get({ token: "x".repeat(43) }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerFor(h.db, null).workspace.invitations.get({ token: "short" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("does not accept the stored hash in place of the token", async () => {
    const f = await setup();
    const inv = await invite(f);
    await expect(
      callerFor(h.db, null).workspace.invitations.get({ token: sha256Hex(inv.token) }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("workspace.invitations.accept", () => {
  it("makes the invited user a member with the invited role and logs invitation.accepted", async () => {
    const f = await setup();
    const inv = await invite(f, "viewer");
    const invitee = await createUser(h.db, { email: inv.email });
    const res = await callerFor(h.db, invitee, {
      "x-forwarded-for": "192.0.2.55",
    }).workspace.invitations.accept({
      token: inv.token,
    });
    expect(res.workspace).toMatchObject({ id: f.ws.id, slug: f.ws.slug });
    expect(res.memberId).toEqual(expect.any(String));
    const mine = await callerFor(h.db, invitee).workspace.list();
    expect(mine).toEqual([expect.objectContaining({ id: f.ws.id, role: "viewer" })]);
    expect(await invitationRow(h.db, inv.invitation.id)).toMatchObject({ status: "accepted" });
    const accepted = (await activityOf(h.db, f.ws.id)).filter((a) => a.action === "invitation.accepted");
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({
      userId: invitee.id,
      entityId: inv.invitation.id,
      ipAddress: "192.0.2.55",
      metadata: { email: inv.email, role: "viewer" },
    });
    const member = (await membersOf(h.db, f.ws.id)).find((m) => m.userId === invitee.id);
    expect(member).toMatchObject({ id: res.memberId, role: "viewer" });
  });

  it("is FORBIDDEN for a signed-in user with another email, and changes nothing", async () => {
    const f = await setup();
    const inv = await invite(f);
    const stranger = await createUser(h.db);
    const before = await membersOf(h.db, f.ws.id);
    await expect(
      callerFor(h.db, stranger).workspace.invitations.accept({ token: inv.token }),
    ).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining(inv.email) });
    await expect(
      callerFor(h.db, stranger).workspace.invitations.decline({ token: inv.token }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await membersOf(h.db, f.ws.id)).toEqual(before);
    expect(await invitationRow(h.db, inv.invitation.id)).toMatchObject({
      status: "pending",
      respondedAt: null,
    });
    expect((await activityOf(h.db, f.ws.id)).map((a) => a.action)).not.toContain("invitation.accepted");
  });

  it("is CONFLICT the second time, without a second membership", async () => {
    const f = await setup();
    const inv = await invite(f);
    const invitee = await createUser(h.db, { email: inv.email });
    await callerFor(h.db, invitee).workspace.invitations.accept({ token: inv.token });
    const before = await membersOf(h.db, f.ws.id);
    await expect(
      callerFor(h.db, invitee).workspace.invitations.accept({ token: inv.token }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await membersOf(h.db, f.ws.id)).toEqual(before);
  });

  it("refuses an expired invitation (BAD_REQUEST); a new invitation to that email is then allowed", async () => {
    const f = await setup();
    const inv = await invite(f);
    await h.db
      .update(workspaceInvitations)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(workspaceInvitations.id, inv.invitation.id));
    const invitee = await createUser(h.db, { email: inv.email });
    await expect(
      callerFor(h.db, null).workspace.invitations.get({ token: inv.token }),
    ).resolves.toMatchObject({
      expired: true,
    });
    await expect(
      callerFor(h.db, invitee).workspace.invitations.accept({ token: inv.token }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("expired") });
    await expect(
      callerFor(h.db, invitee).workspace.invitations.decline({ token: inv.token }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await membersOf(h.db, f.ws.id)).map((m) => m.userId)).not.toContain(invitee.id);

    const again = await callerFor(h.db, f.admin.user).workspace.invitations.create({
      workspaceId: f.ws.id,
      email: inv.email,
      role: "admin",
    });
    expect(await invitationRow(h.db, inv.invitation.id)).toMatchObject({ status: "revoked" });
    await callerFor(h.db, invitee).workspace.invitations.accept({ token: tokenFromUrl(again.url) });
    expect((await membersOf(h.db, f.ws.id)).find((m) => m.userId === invitee.id)?.role).toBe("admin");
  });

  it("refuses a malformed token and is NOT_FOUND for an unknown one", async () => {
    const user = await createUser(h.db);
    await expect(callerFor(h.db, user).workspace.invitations.accept({ token: "" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      callerFor(h.db, user).workspace.invitations.accept({ token: randomUUID() }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("is UNAUTHORIZED when signed out", async () => {
    const f = await setup();
    const inv = await invite(f);
    await expect(
      callerFor(h.db, null).workspace.invitations.accept({ token: inv.token }),
    ).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    expect((await invitationRow(h.db, inv.invitation.id))?.status).toBe("pending");
  });
});

describe("workspace.invitations.decline", () => {
  it("marks the invitation declined, adds no member, and logs it", async () => {
    const f = await setup();
    const inv = await invite(f);
    const invitee = await createUser(h.db, { email: inv.email });
    const before = await membersOf(h.db, f.ws.id);
    await expect(
      callerFor(h.db, invitee).workspace.invitations.decline({ token: inv.token }),
    ).resolves.toEqual({ id: inv.invitation.id });
    expect(await invitationRow(h.db, inv.invitation.id)).toMatchObject({
      status: "declined",
      respondedAt: expect.any(Date),
    });
    expect(await membersOf(h.db, f.ws.id)).toEqual(before);
    const logs = (await activityOf(h.db, f.ws.id)).filter((a) => a.action === "invitation.declined");
    expect(logs).toHaveLength(1);
    expect(logs[0]?.userId).toBe(invitee.id);
    await expect(
      callerFor(h.db, invitee).workspace.invitations.accept({ token: inv.token }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("refuses a malformed token", async () => {
    const user = await createUser(h.db);
    await expect(callerFor(h.db, user).workspace.invitations.decline({ token: "abc" })).rejects.toMatchObject(
      {
        code: "BAD_REQUEST",
      },
    );
  });

  it("is UNAUTHORIZED when signed out", async () => {
    const f = await setup();
    const inv = await invite(f);
    await expect(
      callerFor(h.db, null).workspace.invitations.decline({ token: inv.token }),
    ).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    expect((await invitationRow(h.db, inv.invitation.id))?.status).toBe("pending");
  });
});
