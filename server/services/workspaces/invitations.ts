import { and, desc, eq, gt, sql } from "drizzle-orm";
import { randomToken, sha256Hex } from "@/lib/crypto";
import type { Db } from "@/server/db";
import {
  outboxMessages,
  type Role,
  users,
  workspaceInvitations,
  workspaceMembers,
  workspaces,
} from "@/server/db/schema";
import {
  ConflictError,
  ForbiddenError,
  isUniqueViolation,
  NotFoundError,
  ValidationError,
} from "@/server/errors";
import { enqueue } from "@/server/queue";
import { sendSystemEmailJob } from "@/server/queue/jobs/system-email";
import { record } from "../activity";
import type { Actor, WorkspaceServiceContext } from "../context";
import { ROLE_RANK } from "./roles";
import { type CreateInvitationInput, INVITATION_TTL_DAYS } from "./schemas";

export function invitationUrl(baseUrl: string, token: string) {
  return `${baseUrl.replace(/\/$/, "")}/invitations/${token}`;
}

const publicInvitationColumns = {
  id: workspaceInvitations.id,
  email: workspaceInvitations.email,
  role: workspaceInvitations.role,
  status: workspaceInvitations.status,
  expiresAt: workspaceInvitations.expiresAt,
  createdAt: workspaceInvitations.createdAt,
  respondedAt: workspaceInvitations.respondedAt,
};

export async function listInvitations(db: Db, workspaceId: string) {
  return db
    .select({ ...publicInvitationColumns, invitedBy: { id: users.id, name: users.name, email: users.email } })
    .from(workspaceInvitations)
    .leftJoin(users, eq(users.id, workspaceInvitations.invitedBy))
    .where(eq(workspaceInvitations.workspaceId, workspaceId))
    .orderBy(desc(workspaceInvitations.createdAt))
    .limit(100);
}

async function queueInvitationEmail(
  db: Db,
  p: { workspaceId: string; workspaceName: string; inviter: string; email: string; role: Role; url: string },
) {
  const [msg] = await db
    .insert(outboxMessages)
    .values({
      workspaceId: p.workspaceId,
      kind: "invitation",
      toAddress: p.email,
      subject: `${p.inviter} invited you to ${p.workspaceName} on Organic`,
      text: [
        `${p.inviter} invited you to join the workspace "${p.workspaceName}" on Organic as ${p.role}.`,
        "",
        `Accept or decline: ${p.url}`,
        "",
        `The link expires in ${INVITATION_TTL_DAYS} days. If you did not expect this email, ignore it.`,
      ].join("\n"),
    })
    .returning({ id: outboxMessages.id });
  await enqueue(sendSystemEmailJob, { outboxId: msg!.id }, { jobId: `system-email-${msg!.id}` });
}

/** Creates a pending invitation and queues its email. The token is returned once, never stored. */
export async function createInvitation(
  ctx: WorkspaceServiceContext & { actorRole: Role; baseUrl: string },
  input: CreateInvitationInput,
) {
  if (ROLE_RANK[input.role] > ROLE_RANK[ctx.actorRole]) {
    throw new ForbiddenError("You cannot invite someone with a higher role than your own");
  }
  const [existing] = await ctx.db
    .select({ id: workspaceMembers.id })
    .from(workspaceMembers)
    .innerJoin(users, eq(users.id, workspaceMembers.userId))
    .where(and(eq(workspaceMembers.workspaceId, ctx.workspaceId), eq(users.email, input.email)));
  if (existing)
    throw new ConflictError(`${input.email} is already a member`, { email: ["Already a member"] });

  const token = randomToken(32);
  const expiresAt = new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000);
  const [ws] = await ctx.db.select().from(workspaces).where(eq(workspaces.id, ctx.workspaceId));
  if (!ws) throw new NotFoundError("Workspace not found");
  const [inviter] = ctx.actor.userId
    ? await ctx.db
        .select({ name: users.name, email: users.email })
        .from(users)
        .where(eq(users.id, ctx.actor.userId))
    : [];

  let invitation: typeof workspaceInvitations.$inferSelect;
  try {
    invitation = await ctx.db.transaction(async (tx) => {
      // An expired pending invitation must not block a new one.
      await tx
        .update(workspaceInvitations)
        .set({ status: "revoked", respondedAt: new Date() })
        .where(
          and(
            eq(workspaceInvitations.workspaceId, ctx.workspaceId),
            eq(workspaceInvitations.email, input.email),
            eq(workspaceInvitations.status, "pending"),
            sql`${workspaceInvitations.expiresAt} <= now()`,
          ),
        );
      const [row] = await tx
        .insert(workspaceInvitations)
        .values({
          workspaceId: ctx.workspaceId,
          email: input.email,
          role: input.role,
          tokenHash: sha256Hex(token),
          invitedBy: ctx.actor.userId,
          expiresAt,
        })
        .returning();
      await record(
        tx,
        ctx.actor,
        ctx.workspaceId,
        "invitation.created",
        { type: "invitation", id: row!.id },
        {
          email: input.email,
          role: input.role,
        },
      );
      return row!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new ConflictError(`${input.email} already has a pending invitation`, {
        email: ["Already invited — revoke or resend the pending invitation"],
      });
    }
    throw err;
  }
  const url = invitationUrl(ctx.baseUrl, token);
  await queueInvitationEmail(ctx.db, {
    workspaceId: ctx.workspaceId,
    workspaceName: ws.name,
    inviter: inviter?.name || inviter?.email || "A teammate",
    email: input.email,
    role: input.role,
    url,
  });
  const { tokenHash: _omit, ...safe } = invitation;
  return { invitation: safe, url };
}

export async function revokeInvitation(ctx: WorkspaceServiceContext, input: { invitationId: string }) {
  const [row] = await ctx.db
    .update(workspaceInvitations)
    .set({ status: "revoked", respondedAt: new Date() })
    .where(
      and(
        eq(workspaceInvitations.id, input.invitationId),
        eq(workspaceInvitations.workspaceId, ctx.workspaceId),
        eq(workspaceInvitations.status, "pending"),
      ),
    )
    .returning({ id: workspaceInvitations.id, email: workspaceInvitations.email });
  if (!row) throw new NotFoundError("No pending invitation with that id");
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "invitation.revoked",
    { type: "invitation", id: row.id },
    {
      email: row.email,
    },
  );
  return row;
}

/** What the invitation page shows before the person answers. Unknown tokens are NOT_FOUND. */
export async function getInvitationByToken(db: Db, token: string) {
  const [row] = await db
    .select({
      ...publicInvitationColumns,
      workspace: {
        id: workspaces.id,
        name: workspaces.name,
        slug: workspaces.slug,
        logoUrl: workspaces.logoUrl,
      },
      invitedBy: { name: users.name, email: users.email },
    })
    .from(workspaceInvitations)
    .innerJoin(workspaces, eq(workspaces.id, workspaceInvitations.workspaceId))
    .leftJoin(users, eq(users.id, workspaceInvitations.invitedBy))
    .where(eq(workspaceInvitations.tokenHash, sha256Hex(token)));
  if (!row) throw new NotFoundError("This invitation link is not valid");
  return { ...row, expired: row.status === "pending" && row.expiresAt.getTime() <= Date.now() };
}

async function claimPendingInvitation(
  db: Db,
  token: string,
  userEmail: string,
  status: "accepted" | "declined",
) {
  const invitation = await getInvitationByToken(db, token);
  if (invitation.status !== "pending")
    throw new ConflictError(`This invitation was already ${invitation.status}`);
  if (invitation.expired) throw new ValidationError("This invitation has expired: ask for a new one");
  if (invitation.email !== userEmail.toLowerCase()) {
    throw new ForbiddenError(
      `This invitation is for ${invitation.email}. Sign in with that address to answer it.`,
    );
  }
  const [claimed] = await db
    .update(workspaceInvitations)
    .set({ status, respondedAt: new Date() })
    .where(
      and(
        eq(workspaceInvitations.id, invitation.id),
        eq(workspaceInvitations.status, "pending"),
        gt(workspaceInvitations.expiresAt, new Date()),
      ),
    )
    .returning();
  if (!claimed) throw new ConflictError("This invitation was answered already");
  return { invitation, claimed };
}

export async function acceptInvitation(db: Db, actor: Actor & { email: string }, token: string) {
  if (!actor.userId) throw new ForbiddenError();
  const userId = actor.userId;
  return db.transaction(async (tx) => {
    const { invitation, claimed } = await claimPendingInvitation(tx, token, actor.email, "accepted");
    const [member] = await tx
      .insert(workspaceMembers)
      .values({ workspaceId: claimed.workspaceId, userId, role: claimed.role, invitedBy: claimed.invitedBy })
      .onConflictDoNothing()
      .returning();
    await record(
      tx,
      actor,
      claimed.workspaceId,
      "invitation.accepted",
      { type: "invitation", id: claimed.id },
      {
        email: claimed.email,
        role: claimed.role,
      },
    );
    return { workspace: invitation.workspace, memberId: member?.id ?? null };
  });
}

export async function declineInvitation(db: Db, actor: Actor & { email: string }, token: string) {
  return db.transaction(async (tx) => {
    const { claimed } = await claimPendingInvitation(tx, token, actor.email, "declined");
    await record(
      tx,
      actor,
      claimed.workspaceId,
      "invitation.declined",
      { type: "invitation", id: claimed.id },
      {
        email: claimed.email,
      },
    );
    return { id: claimed.id };
  });
}
