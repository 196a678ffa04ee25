import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { SESSION_IDLE_SECONDS } from "@/server/auth";
import { sessions, workspaceMembers } from "@/server/db/schema";
import { getSessionUserAndMemberships } from "@/server/session";
import { routeHandlersUse, TestBrowser } from "../helpers/auth-http";
import { setupTestDb } from "../helpers/db";
import { addMember, createUser, createWorkspace, uniqueEmail } from "../helpers/fixtures";

/**
 * tRPC reads the session and the user's memberships in one statement (server/session.ts:
 * getSessionUserAndMemberships), and a workspace query checks its membership from that read. The
 * read is per request: a role changed or a membership removed counts from the caller's next
 * request, a workspace they are not in stays not found, and a session handed to better-auth (due
 * for its refresh) checks each membership the old way.
 */

const h = await setupTestDb();
routeHandlersUse(h);
const PASSWORD = "correct horse battery";
const DAY = 86_400_000;
let ip = 1;

async function signedIn() {
  const b = new TestBrowser(`203.0.113.${ip++}`);
  const email = uniqueEmail("member");
  expect((await b.auth("/sign-up/email", { email, password: PASSWORD, name: "Member" })).status).toBe(200);
  expect((await b.auth("/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
  const session = (await (await b.auth("/get-session")).json()) as { user: { id: string; email: string } };
  return { b, user: { id: session.user.id, email, name: "Member" } };
}

async function workspaceWith(user: { id: string; email: string; name: string }, role: "admin" | "viewer") {
  const owner = await createUser(h.db, { name: "Owner" });
  const ws = await createWorkspace(h.db, owner);
  await addMember(h.db, ws.id, role, user);
  return ws;
}

/** The user's sessions refreshed a day and a minute ago: due for better-auth's sliding refresh. */
async function makeDueForRefresh(userId: string) {
  const lastRefresh = Date.now() - DAY - 60_000;
  await h.db
    .update(sessions)
    .set({ updatedAt: new Date(lastRefresh), expiresAt: new Date(lastRefresh + SESSION_IDLE_SECONDS * 1000) })
    .where(eq(sessions.userId, userId));
}

const codeOf = (r: { error?: { data: { code: string } } }) => r.error?.data.code ?? "OK";

describe("memberships read with the session", () => {
  it("come back with the user, one per workspace, with role, name and SSO rule", async () => {
    const { b, user } = await signedIn();
    const a = await workspaceWith(user, "admin");
    const v = await workspaceWith(user, "viewer");
    const cookie = [...b.cookies].map(([k, value]) => `${k}=${value}`).join("; ");
    const read = await getSessionUserAndMemberships(new Headers({ cookie }));
    expect(read?.user.id).toBe(user.id);
    expect(Object.fromEntries(read!.memberships!)).toEqual({
      [a.id]: { id: expect.any(String), role: "admin", name: a.name, ssoRequired: false },
      [v.id]: { id: expect.any(String), role: "viewer", name: v.name, ssoRequired: false },
    });
  });

  it("a query is judged by the role the user has at its request: a change counts from the next one", async () => {
    const { b, user } = await signedIn();
    const ws = await workspaceWith(user, "admin");
    expect(codeOf(await b.trpc("query", "apiKeys.list", { workspaceId: ws.id }))).toBe("OK");

    await h.db
      .update(workspaceMembers)
      .set({ role: "viewer" })
      .where(and(eq(workspaceMembers.workspaceId, ws.id), eq(workspaceMembers.userId, user.id)));
    expect(codeOf(await b.trpc("query", "apiKeys.list", { workspaceId: ws.id }))).toBe("FORBIDDEN");
    expect(codeOf(await b.trpc("query", "leads.list", { workspaceId: ws.id }))).toBe("OK");

    await h.db
      .delete(workspaceMembers)
      .where(and(eq(workspaceMembers.workspaceId, ws.id), eq(workspaceMembers.userId, user.id)));
    expect(codeOf(await b.trpc("query", "leads.list", { workspaceId: ws.id }))).toBe("NOT_FOUND");
  });

  it("a workspace the user is not in is not found, and one joined since the last request is found", async () => {
    const { b, user } = await signedIn();
    const other = await createWorkspace(h.db, await createUser(h.db, { name: "Stranger" }));
    expect(codeOf(await b.trpc("query", "leads.list", { workspaceId: other.id }))).toBe("NOT_FOUND");
    await addMember(h.db, other.id, "viewer", user);
    expect(codeOf(await b.trpc("query", "leads.list", { workspaceId: other.id }))).toBe("OK");
  });

  it("a session due for its refresh goes through better-auth and still checks each membership", async () => {
    const { b, user } = await signedIn();
    const ws = await workspaceWith(user, "viewer");
    const other = await createWorkspace(h.db, await createUser(h.db, { name: "Stranger" }));
    await makeDueForRefresh(user.id);
    const cookie = [...b.cookies].map(([k, value]) => `${k}=${value}`).join("; ");
    const read = await getSessionUserAndMemberships(new Headers({ cookie }));
    expect(read).toEqual({ user: expect.objectContaining({ id: user.id }), memberships: null });

    // That read went through better-auth, which extended the session: make it due again.
    await makeDueForRefresh(user.id);
    expect(codeOf(await b.trpc("query", "leads.list", { workspaceId: ws.id }))).toBe("OK");
    expect(codeOf(await b.trpc("query", "apiKeys.list", { workspaceId: ws.id }))).toBe("FORBIDDEN");
    expect(codeOf(await b.trpc("query", "leads.list", { workspaceId: other.id }))).toBe("NOT_FOUND");
  });
});
