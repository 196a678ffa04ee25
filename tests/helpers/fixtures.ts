import { randomUUID } from "node:crypto";
import { appRouter } from "@/server/api/root";
import { createContext, type SessionUser } from "@/server/api/trpc";
import type { Db } from "@/server/db";
import { type Role, users, workspaceMembers, workspaces } from "@/server/db/schema";

export function uniqueEmail(prefix = "user") {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

/** A user as they are once settled in: address verified unless `emailVerified: false` is asked for. */
export async function createUser(
  db: Db,
  p: { email?: string; name?: string; emailVerified?: boolean; instanceAdmin?: boolean } = {},
): Promise<SessionUser> {
  const [u] = await db
    .insert(users)
    .values({
      email: (p.email ?? uniqueEmail()).toLowerCase(),
      name: p.name ?? "Test User",
      emailVerified: p.emailVerified ?? true,
      instanceAdmin: p.instanceAdmin ?? false,
    })
    .returning();
  return { id: u!.id, email: u!.email, name: u!.name };
}

export async function createWorkspace(db: Db, owner: SessionUser, p: { name?: string; slug?: string } = {}) {
  const slug = p.slug ?? `ws-${randomUUID().slice(0, 8)}`;
  const [ws] = await db
    .insert(workspaces)
    .values({ name: p.name ?? "Test Workspace", slug, ownerId: owner.id })
    .returning();
  await db.insert(workspaceMembers).values({ workspaceId: ws!.id, userId: owner.id, role: "owner" });
  return ws!;
}

export async function addMember(db: Db, workspaceId: string, role: Role, user?: SessionUser) {
  const u = user ?? (await createUser(db, { name: `${role} user` }));
  const [m] = await db.insert(workspaceMembers).values({ workspaceId, userId: u.id, role }).returning();
  return { user: u, member: m! };
}

/**
 * A tRPC caller acting as `user` (null = signed out), as the HTTP handler would build it: each call
 * is a request of its own, with a fresh context.
 */
export function callerFor(db: Db, user: SessionUser | null, headers: Record<string, string> = {}) {
  return appRouter.createCaller(() =>
    createContext({
      db,
      user,
      headers: new Headers({ "user-agent": "vitest", "x-forwarded-for": "203.0.113.7", ...headers }),
    }),
  );
}

/**
 * Two workspaces with an owner each, plus an admin, member and viewer in the first: the fixture
 * every cross-tenant and role test starts from.
 */
export async function twoWorkspaces(db: Db) {
  const owner = await createUser(db, { name: "Owner A" });
  const ws = await createWorkspace(db, owner, { name: "Workspace A" });
  const admin = await addMember(db, ws.id, "admin");
  const member = await addMember(db, ws.id, "member");
  const viewer = await addMember(db, ws.id, "viewer");
  const otherOwner = await createUser(db, { name: "Owner B" });
  const other = await createWorkspace(db, otherOwner, { name: "Workspace B" });
  return { owner, ws, admin: admin.user, member: member.user, viewer: viewer.user, otherOwner, other };
}
