import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { preparedStatement } from "@/server/db/prepared";
import { rowsOf } from "@/server/db/raw-rows";
import { type Role, users, workspaceMembers, workspaces } from "@/server/db/schema";
import { ConflictError, ForbiddenError, isUniqueViolation, NotFoundError } from "@/server/errors";
import { record } from "../activity";
import { restrictMemberApiKeys } from "../api-keys";
import type { ServiceContext, WorkspaceServiceContext } from "../context";
import { hasRole } from "./roles";
import { type CreateWorkspaceInput, RESERVED_SLUGS, type UpdateWorkspaceInput } from "./schemas";

export type Workspace = typeof workspaces.$inferSelect;

export function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  return base.length >= 2 && !RESERVED_SLUGS.has(base) ? base : `workspace${base ? `-${base}` : ""}`;
}

async function freeSlug(db: Db, base: string): Promise<string> {
  const taken = await db
    .select({ slug: workspaces.slug })
    .from(workspaces)
    .where(sql`${workspaces.slug} = ${base} or ${workspaces.slug} like ${`${base}-%`}`);
  const set = new Set(taken.map((t) => t.slug));
  if (!set.has(base)) return base;
  for (let i = 2; ; i++) if (!set.has(`${base}-${i}`)) return `${base}-${i}`;
}

export async function listWorkspacesForUser(db: Db, userId: string) {
  return db
    .select({
      id: workspaces.id,
      name: workspaces.name,
      slug: workspaces.slug,
      logoUrl: workspaces.logoUrl,
      role: workspaceMembers.role,
    })
    .from(workspaceMembers)
    .innerJoin(workspaces, eq(workspaces.id, workspaceMembers.workspaceId))
    .where(eq(workspaceMembers.userId, userId))
    .orderBy(asc(workspaces.name));
}

/** Built once: every workspace procedure runs it. */
const membershipOf = preparedStatement<{ workspaceId: string; userId: string }>(
  () => sql`select m.id, m.role, w.name, w.sso_required
    from ${workspaceMembers} m join ${workspaces} w on w.id = m.workspace_id
    where m.workspace_id = ${sql.placeholder("workspaceId")} and m.user_id = ${sql.placeholder("userId")}`,
);

export async function getMembership(db: Db, workspaceId: string, userId: string) {
  const [row] = rowsOf<{ id: string; role: Role; name: string; sso_required: boolean }>(
    await membershipOf(db, { workspaceId, userId }),
  );
  // For the SSO rule (sso.ts: assertSsoSatisfied), the workspace's name and rule come with it.
  return row ? { id: row.id, role: row.role, name: row.name, ssoRequired: row.sso_required } : null;
}

/** The workspace with `slug` if the user is a member; a foreign workspace is NOT_FOUND, not forbidden. */
export async function getWorkspaceForUser(db: Db, userId: string, by: { slug: string } | { id: string }) {
  const [row] = await db
    .select({ workspace: workspaces, role: workspaceMembers.role })
    .from(workspaces)
    .innerJoin(
      workspaceMembers,
      and(eq(workspaceMembers.workspaceId, workspaces.id), eq(workspaceMembers.userId, userId)),
    )
    .where("slug" in by ? eq(workspaces.slug, by.slug) : eq(workspaces.id, by.id));
  if (!row) throw new NotFoundError("Workspace not found");
  return { ...row.workspace, role: row.role };
}

export async function createWorkspace(
  ctx: ServiceContext & { ownerId: string },
  input: CreateWorkspaceInput,
) {
  // A slug we derived from the name may be taken between choosing and inserting (two people
  // creating "Marketing" at once): pick the next free one and try again. A slug the person typed
  // is theirs to change, so that is a conflict.
  for (let attempt = 0; ; attempt++) {
    const slug = input.slug ?? (await freeSlug(ctx.db, slugify(input.name)));
    try {
      return await ctx.db.transaction(async (tx) => {
        const [ws] = await tx
          .insert(workspaces)
          .values({ name: input.name, slug, ownerId: ctx.ownerId, timeZone: input.timeZone ?? "UTC" })
          .returning();
        if (!ws) throw new Error("insert returned no row");
        await tx.insert(workspaceMembers).values({ workspaceId: ws.id, userId: ctx.ownerId, role: "owner" });
        await record(
          tx,
          ctx.actor,
          ws.id,
          "workspace.created",
          { type: "workspace", id: ws.id },
          { name: ws.name, slug },
        );
        return ws;
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      if (input.slug || attempt >= 5) {
        throw new ConflictError("That slug is already taken", { slug: ["That slug is already taken"] });
      }
    }
  }
}

export async function updateWorkspace(ctx: WorkspaceServiceContext, input: UpdateWorkspaceInput) {
  const { name, slug, logoUrl, timeZone } = input;
  const changes = Object.fromEntries(
    Object.entries({ name, slug, logoUrl, timeZone }).filter(([, v]) => v !== undefined),
  );
  try {
    const [ws] = await ctx.db
      .update(workspaces)
      .set(changes)
      .where(eq(workspaces.id, ctx.workspaceId))
      .returning();
    if (!ws) throw new NotFoundError("Workspace not found");
    const logged = { ...changes, ...(changes.logoUrl ? { logoUrl: "(updated)" } : {}) };
    await record(ctx.db, ctx.actor, ws.id, "workspace.updated", { type: "workspace", id: ws.id }, logged);
    return ws;
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new ConflictError("That slug is already taken", { slug: ["That slug is already taken"] });
    }
    throw err;
  }
}

export async function listMembers(db: Db, workspaceId: string) {
  return db
    .select({
      id: workspaceMembers.id,
      role: workspaceMembers.role,
      joinedAt: workspaceMembers.joinedAt,
      user: { id: users.id, name: users.name, email: users.email, avatarUrl: users.avatarUrl },
    })
    .from(workspaceMembers)
    .innerJoin(users, eq(users.id, workspaceMembers.userId))
    .where(eq(workspaceMembers.workspaceId, workspaceId))
    .orderBy(
      sql`case ${workspaceMembers.role} when 'owner' then 0 when 'admin' then 1 when 'member' then 2 else 3 end`,
      asc(users.email),
    );
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Locks the workspace's owner rows so two concurrent demotions cannot both pass the check. */
async function lockOwners(tx: Tx, workspaceId: string) {
  const rows = await tx
    .select({ id: workspaceMembers.id })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.role, "owner")))
    .for("update");
  return rows.map((r) => r.id);
}

async function getMemberOrThrow(tx: Tx, workspaceId: string, memberId: string) {
  const [m] = await tx
    .select()
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.id, memberId), eq(workspaceMembers.workspaceId, workspaceId)));
  if (!m) throw new NotFoundError("Member not found");
  return m;
}

export async function changeMemberRole(
  ctx: WorkspaceServiceContext & { actorRole: Role },
  input: { memberId: string; role: Role },
) {
  return ctx.db.transaction(async (tx) => {
    const owners = await lockOwners(tx, ctx.workspaceId);
    const member = await getMemberOrThrow(tx, ctx.workspaceId, input.memberId);
    if ((member.role === "owner" || input.role === "owner") && ctx.actorRole !== "owner") {
      throw new ForbiddenError("Only an owner can grant or change the owner role");
    }
    if (!hasRole(ctx.actorRole, "admin")) throw new ForbiddenError();
    if (member.role === "owner" && input.role !== "owner" && owners.length <= 1) {
      throw new ConflictError("A workspace needs at least one owner: make someone else owner first");
    }
    if (member.role === input.role) return member;
    const [updated] = await tx
      .update(workspaceMembers)
      .set({ role: input.role })
      .where(and(eq(workspaceMembers.id, member.id), eq(workspaceMembers.workspaceId, ctx.workspaceId)))
      .returning();
    await record(
      tx,
      ctx.actor,
      ctx.workspaceId,
      "member.role_changed",
      { type: "member", id: member.id },
      {
        userId: member.userId,
        from: member.role,
        to: input.role,
      },
    );
    if (input.role === "viewer") {
      await restrictMemberApiKeys(tx, ctx.actor, {
        workspaceId: ctx.workspaceId,
        userId: member.userId,
        reason: "member.role_changed",
        keep: "read",
      });
    }
    return updated!;
  });
}

export async function removeMember(
  ctx: WorkspaceServiceContext & { actorRole: Role },
  input: { memberId: string },
) {
  return ctx.db.transaction(async (tx) => {
    const owners = await lockOwners(tx, ctx.workspaceId);
    const member = await getMemberOrThrow(tx, ctx.workspaceId, input.memberId);
    const isSelf = member.userId === ctx.actor.userId;
    if (!isSelf && !hasRole(ctx.actorRole, "admin")) throw new ForbiddenError();
    if (!isSelf && member.role === "owner" && ctx.actorRole !== "owner") {
      throw new ForbiddenError("Only an owner can remove an owner");
    }
    if (member.role === "owner" && owners.length <= 1) {
      throw new ConflictError(
        isSelf
          ? "You are the last owner: make someone else owner before leaving"
          : "A workspace needs at least one owner",
      );
    }
    await tx
      .delete(workspaceMembers)
      .where(and(eq(workspaceMembers.id, member.id), eq(workspaceMembers.workspaceId, ctx.workspaceId)));
    await record(
      tx,
      ctx.actor,
      ctx.workspaceId,
      isSelf ? "member.left" : "member.removed",
      { type: "member", id: member.id },
      { userId: member.userId, role: member.role },
    );
    await restrictMemberApiKeys(tx, ctx.actor, {
      workspaceId: ctx.workspaceId,
      userId: member.userId,
      reason: isSelf ? "member.left" : "member.removed",
      keep: "nothing",
    });
    return { id: member.id };
  });
}

export async function leaveWorkspace(ctx: WorkspaceServiceContext & { actorRole: Role }) {
  if (!ctx.actor.userId) throw new ForbiddenError();
  const m = await getMembership(ctx.db, ctx.workspaceId, ctx.actor.userId);
  if (!m) throw new NotFoundError("Workspace not found");
  return removeMember(ctx, { memberId: m.id });
}
