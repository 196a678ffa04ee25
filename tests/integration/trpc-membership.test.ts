import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { workspaceMembers } from "@/server/db/schema";
import { setupTestDb } from "../helpers/db";
import { addMember, twoWorkspaces } from "../helpers/fixtures";

/*
 * The queries of one request (a page's prefetches, an HTTP batch: one tRPC context) share one
 * membership lookup per workspace; a mutation reads it afresh, and another request starts over.
 */
const h = await setupTestDb();

const contextFor = (user: { id: string; email: string; name: string | null }) =>
  createContext({ db: h.db, user, headers: new Headers({ "user-agent": "vitest" }) });

describe("the membership check within one request", () => {
  it("is looked up once per workspace by the request's queries, afresh by a mutation and by the next request", async () => {
    const f = await twoWorkspaces(h.db);
    const { user } = await addMember(h.db, f.ws.id, "member");
    const ctx = contextFor(user);
    const request = appRouter.createCaller(ctx);
    await request.leads.list({ workspaceId: f.ws.id, limit: 5 });
    expect([...ctx.memberships.keys()]).toEqual([f.ws.id]);

    // Removed from the workspace while the request is under way.
    await h.db
      .delete(workspaceMembers)
      .where(and(eq(workspaceMembers.workspaceId, f.ws.id), eq(workspaceMembers.userId, user.id)));
    // The request's next query uses its lookup; its mutation and the next request read afresh.
    await expect(request.leads.tags({ workspaceId: f.ws.id })).resolves.toEqual([]);
    await expect(
      request.leads.create({ workspaceId: f.ws.id, email: "late@example.test" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      appRouter.createCaller(contextFor(user)).leads.list({ workspaceId: f.ws.id, limit: 5 }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("keeps each workspace apart: another workspace of the same request is checked on its own", async () => {
    const f = await twoWorkspaces(h.db);
    const ctx = contextFor(f.owner);
    const request = appRouter.createCaller(ctx);
    await request.leads.list({ workspaceId: f.ws.id, limit: 5 });
    await expect(request.leads.list({ workspaceId: f.other.id, limit: 5 })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    // A viewer's request may read but not write, whatever it read first.
    const viewer = appRouter.createCaller(contextFor(f.viewer));
    await viewer.leads.list({ workspaceId: f.ws.id, limit: 5 });
    await expect(
      viewer.leads.create({ workspaceId: f.ws.id, email: "v@example.test" }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
