import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { authenticateApiKey, problemResponse } from "@/server/api/rest/auth";
import { activityLogs, apiKeys } from "@/server/db/schema";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
});

const bearer = (key: string) =>
  new Request("http://localhost/api/v1/leads", { headers: { authorization: `Bearer ${key}` } });

describe("apiKeys router", () => {
  it("creates a key shown once, lists it with creator and without the secret, and revokes it", async () => {
    const owner = callerFor(h.db, f.owner);
    const { key, apiKey } = await owner.apiKeys.create({
      workspaceId: f.ws.id,
      name: "CI",
      scopes: ["read"],
    });
    expect(key).toMatch(/^org_live_/);
    const list = await owner.apiKeys.list({ workspaceId: f.ws.id });
    const listed = list.find((k) => k.id === apiKey.id)!;
    expect(listed).toMatchObject({
      name: "CI",
      prefix: key.slice(0, 12),
      scopes: ["read"],
      creator: { email: f.owner.email },
    });
    expect(JSON.stringify(list)).not.toContain(key);

    const admin = callerFor(h.db, f.admin);
    const revoked = await admin.apiKeys.revoke({ workspaceId: f.ws.id, apiKeyId: apiKey.id });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    const auth = await authenticateApiKey(h.db, bearer(key));
    expect(auth).toMatchObject({ ok: false, problem: { status: 401, code: "invalid_api_key" } });
  });

  it("refuses bad input with BAD_REQUEST and creates nothing", async () => {
    const owner = callerFor(h.db, f.owner);
    const before = (await owner.apiKeys.list({ workspaceId: f.ws.id })).length;
    await expect(owner.apiKeys.create({ workspaceId: f.ws.id, name: "" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      owner.apiKeys.create({ workspaceId: f.ws.id, name: "x", scopes: ["root" as "read"] }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      owner.apiKeys.create({ workspaceId: f.ws.id, name: "x", expiresAt: new Date(Date.now() - 60_000) }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(owner.apiKeys.revoke({ workspaceId: f.ws.id, apiKeyId: "nope" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await owner.apiKeys.list({ workspaceId: f.ws.id })).toHaveLength(before);
  });

  it("answers NOT_FOUND for another workspace and its keys", async () => {
    const { apiKey } = await callerFor(h.db, f.otherOwner).apiKeys.create({
      workspaceId: f.other.id,
      name: "B",
    });
    const owner = callerFor(h.db, f.owner);
    await expect(owner.apiKeys.list({ workspaceId: f.other.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(owner.apiKeys.create({ workspaceId: f.other.id, name: "x" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(owner.apiKeys.revoke({ workspaceId: f.ws.id, apiKeyId: apiKey.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const [row] = await h.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(row!.revokedAt).toBeNull();
  });

  it("refuses members and viewers (FORBIDDEN) and anonymous callers (UNAUTHORIZED)", async () => {
    const { apiKey } = await callerFor(h.db, f.owner).apiKeys.create({ workspaceId: f.ws.id, name: "keep" });
    for (const user of [f.member, f.viewer]) {
      const c = callerFor(h.db, user);
      await expect(c.apiKeys.list({ workspaceId: f.ws.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(c.apiKeys.create({ workspaceId: f.ws.id, name: "x" })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(c.apiKeys.revoke({ workspaceId: f.ws.id, apiKeyId: apiKey.id })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
    }
    await expect(callerFor(h.db, null).apiKeys.list({ workspaceId: f.ws.id })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    const [row] = await h.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(row!.revokedAt).toBeNull();
  });
});

describe("authenticateApiKey (REST guard)", () => {
  it("resolves a valid key to its workspace, key id and scopes", async () => {
    const { key, apiKey } = await callerFor(h.db, f.owner).apiKeys.create({
      workspaceId: f.ws.id,
      name: "ok",
    });
    const auth = await authenticateApiKey(h.db, bearer(key), { requiredScope: "write" });
    expect(auth).toEqual({
      ok: true,
      principal: { workspaceId: f.ws.id, keyId: apiKey.id, scopes: ["read", "write"], role: "owner" },
    });
  });

  it("refuses a missing header, a malformed or unknown key with 401 problems", async () => {
    const none = await authenticateApiKey(h.db, new Request("http://localhost/api/v1/leads"));
    expect(none).toMatchObject({ ok: false, problem: { status: 401, code: "unauthorized" } });
    const basic = await authenticateApiKey(
      h.db,
      new Request("http://localhost/", { headers: { authorization: "Basic dXNlcjpwYXNz" } }),
    );
    expect(basic).toMatchObject({ ok: false, problem: { status: 401 } });
    const unknown = await authenticateApiKey(h.db, bearer(`org_live_${"x".repeat(43)}`));
    expect(unknown).toMatchObject({ ok: false, problem: { status: 401, code: "invalid_api_key" } });
  });

  it("refuses an expired key at once", async () => {
    const { key, apiKey } = await callerFor(h.db, f.owner).apiKeys.create({
      workspaceId: f.ws.id,
      name: "short",
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect((await authenticateApiKey(h.db, bearer(key))).ok).toBe(true);
    await h.db
      .update(apiKeys)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(apiKeys.id, apiKey.id));
    expect(await authenticateApiKey(h.db, bearer(key))).toMatchObject({
      ok: false,
      problem: { status: 401 },
    });
  });

  it("refuses a read-only key on a write route with 403 insufficient_scope", async () => {
    const { key } = await callerFor(h.db, f.owner).apiKeys.create({
      workspaceId: f.ws.id,
      name: "ro",
      scopes: ["read"],
    });
    expect((await authenticateApiKey(h.db, bearer(key), { requiredScope: "read" })).ok).toBe(true);
    const res = await authenticateApiKey(h.db, bearer(key), { requiredScope: "write" });
    expect(res).toMatchObject({ ok: false, problem: { status: 403, code: "insufficient_scope" } });
    if (res.ok) throw new Error("expected a problem");
    const http = problemResponse(res.problem);
    expect(http.status).toBe(403);
    expect(http.headers.get("content-type")).toBe("application/problem+json");
    expect(await http.json()).toMatchObject({
      type: expect.stringContaining("insufficient_scope"),
      title: "Insufficient scope",
    });
  });

  it("marks last use at most once a minute", async () => {
    const { key, apiKey } = await callerFor(h.db, f.owner).apiKeys.create({
      workspaceId: f.ws.id,
      name: "used",
    });
    await authenticateApiKey(h.db, bearer(key));
    const [first] = await h.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(first!.lastUsedAt).toBeInstanceOf(Date);
    await authenticateApiKey(h.db, bearer(key));
    const [second] = await h.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(second!.lastUsedAt!.getTime()).toBe(first!.lastUsedAt!.getTime());
    await h.db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now() - interval '61 seconds'` })
      .where(eq(apiKeys.id, apiKey.id));
    await authenticateApiKey(h.db, bearer(key));
    const [third] = await h.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(Date.now() - third!.lastUsedAt!.getTime()).toBeLessThan(30_000);
  });

  it("records key creation and revocation in the activity log", async () => {
    const { apiKey } = await callerFor(h.db, f.owner).apiKeys.create({
      workspaceId: f.ws.id,
      name: "logged",
    });
    await callerFor(h.db, f.owner).apiKeys.revoke({ workspaceId: f.ws.id, apiKeyId: apiKey.id });
    const logs = await h.db
      .select({ action: activityLogs.action, ip: activityLogs.ipAddress })
      .from(activityLogs)
      .where(and(eq(activityLogs.workspaceId, f.ws.id), eq(activityLogs.entityId, apiKey.id)));
    expect(logs.map((l) => l.action).sort()).toEqual(["api_key.created", "api_key.revoked"]);
  });
});
