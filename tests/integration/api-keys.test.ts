import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "@/lib/crypto";
import { activityLogs, apiKeys } from "@/server/db/schema";
import { NotFoundError, ValidationError } from "@/server/errors";
import { createApiKey, listApiKeys, revokeApiKey, verifyApiKey } from "@/server/services/api-keys";
import type { Actor } from "@/server/services/context";
import { setupTestDb } from "../helpers/db";
import { twoWorkspaces } from "../helpers/fixtures";

const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
let actor: Actor;
const ctxA = () => ({ db: h.db, actor, workspaceId: f.ws.id });
const ctxB = () => ({ db: h.db, actor: { ...actor, userId: f.otherOwner.id }, workspaceId: f.other.id });

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
  actor = { userId: f.owner.id, ip: "203.0.113.7", userAgent: "vitest" };
});

async function storedRow(id: string) {
  const [row] = await h.db.select().from(apiKeys).where(eq(apiKeys.id, id));
  return row!;
}

describe("createApiKey", () => {
  it("returns the key once and stores only its hash and a short prefix", async () => {
    const { apiKey, key } = await createApiKey(ctxA(), { name: "  Zapier  " });
    expect(key).toMatch(/^org_live_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({
      workspaceId: f.ws.id,
      name: "Zapier",
      prefix: key.slice(0, 12),
      scopes: ["read", "write"],
      expiresAt: null,
      revokedAt: null,
      createdBy: f.owner.id,
    });
    expect(apiKey).not.toHaveProperty("keyHash");

    const row = await storedRow(apiKey.id);
    expect(row.keyHash).toBe(sha256Hex(key));
    expect(row.keyHash).not.toContain(key.slice(12));
    expect(row.prefix).toBe(key.slice(0, 12));
  });

  it("logs api_key.created with name, prefix and scopes, never the key", async () => {
    const { apiKey, key } = await createApiKey(ctxA(), { name: "Logged", scopes: ["read"] });
    const [log] = await h.db
      .select()
      .from(activityLogs)
      .where(and(eq(activityLogs.workspaceId, f.ws.id), eq(activityLogs.entityId, apiKey.id)));
    expect(log).toMatchObject({
      action: "api_key.created",
      userId: f.owner.id,
      metadata: { name: "Logged", prefix: apiKey.prefix, scopes: ["read"] },
    });
    expect(JSON.stringify(log)).not.toContain(key.slice(12));
  });

  it("keeps scopes in a fixed order without repeats and accepts a future expiry", async () => {
    const expiresAt = new Date(Date.now() + 86_400_000);
    const { apiKey } = await createApiKey(ctxA(), {
      name: "x",
      scopes: ["write", "read", "write"],
      expiresAt,
    });
    expect(apiKey.scopes).toEqual(["read", "write"]);
    expect(apiKey.expiresAt?.getTime()).toBe(expiresAt.getTime());
  });

  it("refuses a blank name, no scopes, an unknown scope and a past expiry, creating nothing", async () => {
    const before = (await listApiKeys(h.db, f.ws.id)).length;
    await expect(createApiKey(ctxA(), { name: "   " })).rejects.toBeInstanceOf(ValidationError);
    await expect(createApiKey(ctxA(), { name: "x", scopes: [] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: { scopes: ["Choose at least one scope"] },
    });
    await expect(createApiKey(ctxA(), { name: "x", scopes: ["admin" as "read"] })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      createApiKey(ctxA(), { name: "x", expiresAt: new Date(Date.now() - 1000) }),
    ).rejects.toMatchObject({ message: expect.stringContaining("future") });
    expect(await listApiKeys(h.db, f.ws.id)).toHaveLength(before);
  });
});

describe("listApiKeys", () => {
  it("lists only the workspace's keys, without hashes", async () => {
    const { apiKey: mine } = await createApiKey(ctxA(), { name: "mine" });
    const { apiKey: theirs } = await createApiKey(ctxB(), { name: "theirs" });
    const listA = await listApiKeys(h.db, f.ws.id);
    expect(listA.map((k) => k.id)).toContain(mine.id);
    expect(listA.map((k) => k.id)).not.toContain(theirs.id);
    for (const k of listA) {
      expect(k.workspaceId).toBe(f.ws.id);
      expect(k).not.toHaveProperty("keyHash");
    }
    expect((await listApiKeys(h.db, f.other.id)).map((k) => k.id)).toEqual([theirs.id]);
  });
});

describe("revokeApiKey", () => {
  it("revokes, logs once, and the key stops verifying", async () => {
    const { apiKey, key } = await createApiKey(ctxA(), { name: "to revoke" });
    expect(await verifyApiKey(h.db, key)).not.toBeNull();

    const revoked = await revokeApiKey(ctxA(), { apiKeyId: apiKey.id });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await verifyApiKey(h.db, key)).toBeNull();

    const again = await revokeApiKey(ctxA(), { apiKeyId: apiKey.id });
    expect(again.revokedAt?.getTime()).toBe(revoked.revokedAt?.getTime());
    const logs = await h.db
      .select({ action: activityLogs.action })
      .from(activityLogs)
      .where(and(eq(activityLogs.entityId, apiKey.id), eq(activityLogs.action, "api_key.revoked")));
    expect(logs).toHaveLength(1);
  });

  it("is NOT_FOUND from another workspace, and the key keeps working", async () => {
    const { apiKey, key } = await createApiKey(ctxA(), { name: "not yours" });
    await expect(revokeApiKey(ctxB(), { apiKeyId: apiKey.id })).rejects.toBeInstanceOf(NotFoundError);
    expect((await storedRow(apiKey.id)).revokedAt).toBeNull();
    expect(await verifyApiKey(h.db, key)).toMatchObject({ workspaceId: f.ws.id });
  });

  it("is NOT_FOUND for an unknown id and refuses a malformed one", async () => {
    await expect(
      revokeApiKey(ctxA(), { apiKeyId: "00000000-0000-4000-8000-000000000000" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(revokeApiKey(ctxA(), { apiKeyId: "nope" })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("verifyApiKey", () => {
  it("returns the key's workspace, scopes and its creator's role", async () => {
    const { apiKey, key } = await createApiKey(ctxB(), { name: "reader", scopes: ["read"] });
    expect(await verifyApiKey(h.db, key)).toEqual({
      apiKeyId: apiKey.id,
      workspaceId: f.other.id,
      scopes: ["read"],
      role: "owner",
    });
  });

  it("refuses unknown, tampered and malformed keys", async () => {
    const { key } = await createApiKey(ctxA(), { name: "real" });
    const tampered = `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`;
    for (const k of [tampered, "org_live_unknown", "", "Bearer xyz", key.slice(9), `${key}x`]) {
      expect(await verifyApiKey(h.db, k)).toBeNull();
    }
  });

  it("refuses an expired key", async () => {
    const { apiKey, key } = await createApiKey(ctxA(), {
      name: "short-lived",
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect(await verifyApiKey(h.db, key)).not.toBeNull();
    await h.db
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, apiKey.id));
    expect(await verifyApiKey(h.db, key)).toBeNull();
  });

  it("writes last_used_at at most once a minute", async () => {
    const { apiKey, key } = await createApiKey(ctxA(), { name: "busy" });
    expect((await storedRow(apiKey.id)).lastUsedAt).toBeNull();

    await Promise.all([verifyApiKey(h.db, key), verifyApiKey(h.db, key), verifyApiKey(h.db, key)]);
    const first = (await storedRow(apiKey.id)).lastUsedAt;
    expect(first).toBeInstanceOf(Date);

    await verifyApiKey(h.db, key);
    expect((await storedRow(apiKey.id)).lastUsedAt?.getTime()).toBe(first?.getTime());

    // 30 s ago: still within the minute, left alone.
    const recent = new Date(Date.now() - 30_000);
    await h.db.update(apiKeys).set({ lastUsedAt: recent }).where(eq(apiKeys.id, apiKey.id));
    await verifyApiKey(h.db, key);
    expect((await storedRow(apiKey.id)).lastUsedAt?.getTime()).toBe(recent.getTime());

    // Two minutes ago: refreshed.
    const stale = new Date(Date.now() - 120_000);
    await h.db.update(apiKeys).set({ lastUsedAt: stale }).where(eq(apiKeys.id, apiKey.id));
    await verifyApiKey(h.db, key);
    const refreshed = (await storedRow(apiKey.id)).lastUsedAt!;
    expect(refreshed.getTime()).toBeGreaterThan(Date.now() - 10_000);
  });
});
