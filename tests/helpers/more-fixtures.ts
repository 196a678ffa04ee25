import { randomUUID } from "node:crypto";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { and, count, eq } from "drizzle-orm";
import superjson from "superjson";
import { appRouter } from "@/server/api/root";
import { createContext, type SessionUser } from "@/server/api/trpc";
import type { Db } from "@/server/db";
import {
  activityLogs,
  outboxMessages,
  type Role,
  workspaceInvitations,
  workspaceMembers,
  workspaces,
} from "@/server/db/schema";
import { callerFor, createUser } from "./fixtures";

export function uniqueSlug(prefix = "ws") {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** The error body a browser receives, deserialized: what `errorFormatter` really produced. */
export interface HttpErrorShape {
  message: string;
  code: number;
  data: {
    code: string;
    httpStatus: number;
    path?: string;
    stack?: string;
    zodError: { formErrors: string[]; fieldErrors: Record<string, string[]> } | null;
    fieldErrors: Record<string, string[]> | null;
    requestId: string | null;
  };
}

/**
 * Calls a procedure through the real fetch adapter (as `app/api/trpc` does) so tests can read the
 * formatted error shape, which a server-side caller never builds.
 */
export async function callOverHttp(
  db: Db,
  user: SessionUser | null,
  p: { type: "query" | "mutation"; path: string; input?: unknown; headers?: Record<string, string> },
) {
  const headers = new Headers({
    "user-agent": "vitest-http",
    "content-type": "application/json",
    ...p.headers,
  });
  const encoded = JSON.stringify(superjson.serialize(p.input));
  const url = new URL(`http://localhost:3000/api/trpc/${p.path}`);
  if (p.type === "query" && p.input !== undefined) url.searchParams.set("input", encoded);
  const req = new Request(url, {
    method: p.type === "query" ? "GET" : "POST",
    headers,
    body: p.type === "mutation" ? encoded : undefined,
  });
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createContext({ db, user, headers: req.headers }),
  });
  const raw = await res.text();
  const body = JSON.parse(raw) as { error?: unknown; result?: { data: unknown } };
  const error = body.error ? superjson.deserialize<HttpErrorShape>(body.error as never) : null;
  return { status: res.status, raw, error };
}

/** A workspace (created through the router, as a person would) with one user per role. */
export async function workspaceWithRoles(db: Db, extraOwner = false) {
  const owner = await createUser(db, { name: "Owner" });
  const ws = await callerFor(db, owner).workspace.create({ name: "Roles Co", slug: uniqueSlug("roles") });
  const add = async (role: Role, name: string) => {
    const user = await createUser(db, { name });
    const [member] = await db
      .insert(workspaceMembers)
      .values({ workspaceId: ws.id, userId: user.id, role })
      .returning();
    return { user, member: member! };
  };
  const owner2 = extraOwner ? await add("owner", "Second owner") : null;
  const admin = await add("admin", "Admin");
  const member = await add("member", "Member");
  const viewer = await add("viewer", "Viewer");
  const [ownerMember] = await db
    .select()
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, ws.id), eq(workspaceMembers.userId, owner.id)));
  return { ws, owner: { user: owner, member: ownerMember! }, owner2, admin, member, viewer };
}

export async function membersOf(db: Db, workspaceId: string) {
  const rows = await db
    .select({ id: workspaceMembers.id, userId: workspaceMembers.userId, role: workspaceMembers.role })
    .from(workspaceMembers)
    .where(eq(workspaceMembers.workspaceId, workspaceId));
  return rows.sort((a, b) => a.id.localeCompare(b.id));
}

export async function roleOf(db: Db, memberId: string): Promise<Role | null> {
  const [row] = await db
    .select({ role: workspaceMembers.role })
    .from(workspaceMembers)
    .where(eq(workspaceMembers.id, memberId));
  return row?.role ?? null;
}

export async function ownerCount(db: Db, workspaceId: string) {
  const [row] = await db
    .select({ n: count() })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.role, "owner")));
  return row?.n ?? 0;
}

export async function workspaceRow(db: Db, id: string) {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.id, id));
  return row ?? null;
}

export async function workspacesOwnedBy(db: Db, userId: string) {
  return db.select().from(workspaces).where(eq(workspaces.ownerId, userId));
}

export async function invitationRow(db: Db, id: string) {
  const [row] = await db.select().from(workspaceInvitations).where(eq(workspaceInvitations.id, id));
  return row ?? null;
}

export async function invitationsOf(db: Db, workspaceId: string) {
  return db.select().from(workspaceInvitations).where(eq(workspaceInvitations.workspaceId, workspaceId));
}

export async function outboxOf(db: Db, workspaceId: string) {
  return db.select().from(outboxMessages).where(eq(outboxMessages.workspaceId, workspaceId));
}

export async function activityOf(db: Db, workspaceId: string) {
  return db.select().from(activityLogs).where(eq(activityLogs.workspaceId, workspaceId));
}

/** The token at the end of an invitation link. */
export function tokenFromUrl(url: string) {
  const token = new URL(url).pathname.split("/").pop();
  if (!token) throw new Error(`no token in ${url}`);
  return token;
}
