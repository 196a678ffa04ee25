import { and, desc, eq, gt, sql } from "drizzle-orm";
import { randomToken, sha256Hex } from "@/lib/crypto";
import { systemMailConfigured } from "@/lib/mailer";
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
import { outboxCopy } from "@/server/services/email/outbox";
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
    .values(
      outboxCopy(
        {
          workspaceId: p.workspaceId,
          kind: "invitation",
          toAddress: p.email,
          subject: `${p.inviter} invited you to ${p.workspaceName} on Organic`,
          text: [
            `${p.inviter} invited you to join the workspace "${p.workspaceName}" on Organic as ${p.role}.`,
            "",
            `Accept or decline: ${p.url}`,
            "",
            `Sign in (or create your account) with this address, ${p.email}, and confirm it when asked.`,
            `The link expires in ${INVITATION_TTL_DAYS} days. If you did not expect this email, ignore it.`,
          ].join("\n"),
        },
        { seal: true },
      ),
    )
    .returning({ id: outboxMessages.id });
  await enqueue(sendSystemEmailJob, { outboxId: msg!.id }, { jobId: `system-email-${msg!.id}` });
}

/**
 * Creates a pending invitation and queues its email. The token is returned once, never stored (the
 * outbox keeps a redacted copy); `delivery` says whether a mail server will carry it.
 */
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
  // Without a mail server the invitation is not mailed: the admin hands the link over themselves.
  return { invitation: safe, url, delivery: systemMailConfigured() ? ("email" as const) : ("link" as const) };
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

/** For SIGNUP=invite: whether this address has an invitation it can still accept. */
export async function hasPendingInvitation(db: Db, email: string): Promise<boolean> {
  const [row] = await db
    .select({ id: workspaceInvitations.id })
    .from(workspaceInvitations)
    .where(
      and(
        eq(workspaceInvitations.email, email.trim().toLowerCase()),
        eq(workspaceInvitations.status, "pending"),
        gt(workspaceInvitations.expiresAt, new Date()),
      ),
    )
    .limit(1);
  return Boolean(row);
}

export const VERIFY_BEFORE_ANSWERING = (email: string) =>
  `Verify your email address first: open the link we sent to ${email} (or send a new one from this page), then answer the invitation.`;

/**
 * Only the verified owner of the invited address may answer: without verification anyone could sign
 * up under that address (issue 12). Read from the users table, not from the session.
 */
async function claimPendingInvitation(
  db: Db,
  token: string,
  userId: string,
  status: "accepted" | "declined",
) {
  const invitation = await getInvitationByToken(db, token);
  if (invitation.status !== "pending")
    throw new ConflictError(`This invitation was already ${invitation.status}`);
  if (invitation.expired) throw new ValidationError("This invitation has expired: ask for a new one");
  const [user] = await db
    .select({ email: users.email, emailVerified: users.emailVerified })
    .from(users)
    .where(eq(users.id, userId));
  if (!user || invitation.email !== user.email.toLowerCase()) {
    throw new ForbiddenError(
      `This invitation is for ${invitation.email}. Sign in with that address to answer it.`,
    );
  }
  if (!user.emailVerified) throw new ForbiddenError(VERIFY_BEFORE_ANSWERING(invitation.email));
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

export async function acceptInvitation(db: Db, actor: Actor, token: string) {
  if (!actor.userId) throw new ForbiddenError();
  const userId = actor.userId;
  return db.transaction(async (tx) => {
    const { invitation, claimed } = await claimPendingInvitation(tx, token, userId, "accepted");
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

export async function declineInvitation(db: Db, actor: Actor, token: string) {
  if (!actor.userId) throw new ForbiddenError();
  const userId = actor.userId;
  return db.transaction(async (tx) => {
    const { claimed } = await claimPendingInvitation(tx, token, userId, "declined");
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
