import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { handleRestRequest } from "@/server/api/rest/handler";
import { type RestRoute, restPathToUrl, restRoutes } from "@/server/api/rest/registry";
import { apiKeys } from "@/server/db/schema";
import { createApiKey, revokeApiKey } from "@/server/services/api-keys";
import { resetStorage } from "@/server/storage";
import { setupTestDb } from "../helpers/db";
import { type RestMatrixEntry, restMatrix } from "../helpers/rest-matrix";
import { secretsOfA, type TenantFixture, tenantDigest, tenantFixture } from "../helpers/tenant-fixture";
import { leaked } from "../helpers/trpc-calls";

/**
 * The REST half of the isolation matrix: every route of the /api/v1 registry is called with no key,
 * a revoked key, an expired key, a read-only key (write routes), keys whose creator is now only a
 * viewer (write routes) or a member (admin-only routes), and workspace B's key on A's rows. Each
 * must be refused with the right status and name none of A's rows; A stays unchanged. A positive
 * call with A's read+write key proves the requests are real.
 */

const h = await setupTestDb();
const appDb = globalThis as unknown as { organicDb?: Promise<unknown> };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-isolation-rest-"));
const saved = { DATA_DIR: process.env.DATA_DIR, S3_BUCKET: process.env.S3_BUCKET };

let f: TenantFixture;
let secrets: string[];
const keys = { rw: "", read: "", revoked: "", expired: "", other: "", byMember: "", byViewer: "" };
/** Keys that authenticate (so their "last used" moves) before a scope or role refuses the call. */
const refusedLaterIds: string[] = [];
let digestBefore: Record<string, string>;

beforeAll(async () => {
  appDb.organicDb = Promise.resolve(h);
  process.env.DATA_DIR = dataDir;
  delete process.env.S3_BUCKET;
  resetEnvCache();
  resetStorage();
  f = await tenantFixture(h.db);
  secrets = secretsOfA(f);
  const ctxA = {
    db: h.db,
    actor: { userId: f.owner.id, ip: null, userAgent: "vitest" },
    workspaceId: f.ws.id,
  };
  const ctxB = {
    db: h.db,
    actor: { userId: f.otherOwner.id, ip: null, userAgent: "vitest" },
    workspaceId: f.other.id,
  };
  keys.rw = (await createApiKey(ctxA, { name: "rw", scopes: ["read", "write"] })).key;
  const read = await createApiKey(ctxA, { name: "read", scopes: ["read"] });
  keys.read = read.key;
  // Keys made while their creators were admins, who are a member and a viewer of A now.
  const asRole = (user: { id: string }) => ({ ...ctxA, actor: { ...ctxA.actor, userId: user.id } });
  const byMember = await createApiKey(asRole(f.member), { name: "by member", scopes: ["read", "write"] });
  const byViewer = await createApiKey(asRole(f.viewer), { name: "by viewer", scopes: ["read", "write"] });
  keys.byMember = byMember.key;
  keys.byViewer = byViewer.key;
  refusedLaterIds.push(read.apiKey.id, byMember.apiKey.id, byViewer.apiKey.id);
  const revoked = await createApiKey(ctxA, { name: "revoked", scopes: ["read", "write"] });
  await revokeApiKey(ctxA, { apiKeyId: revoked.apiKey.id });
  keys.revoked = revoked.key;
  const expired = await createApiKey(ctxA, { name: "expired", scopes: ["read", "write"] });
  await h.db
    .update(apiKeys)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(apiKeys.id, expired.apiKey.id));
  keys.expired = expired.key;
  keys.other = (await createApiKey(ctxB, { name: "B", scopes: ["read", "write"] })).key;
  await h.queue.drain();
  digestBefore = await tenantDigest(h.db, f.ws.id);
});
afterAll(() => {
  appDb.organicDb = undefined;
  if (saved.DATA_DIR === undefined) delete process.env.DATA_DIR;
  else process.env.DATA_DIR = saved.DATA_DIR;
  if (saved.S3_BUCKET !== undefined) process.env.S3_BUCKET = saved.S3_BUCKET;
  resetEnvCache();
  resetStorage();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function send(route: RestRoute, entry: RestMatrixEntry, key: string | null) {
  const headers: Record<string, string> = { "user-agent": "vitest", "x-forwarded-for": "203.0.113.9" };
  if (key) headers.authorization = `Bearer ${key}`;
  let body: string | undefined;
  if (entry.csv !== undefined) {
    body = entry.csv;
    headers["content-type"] = "text/csv";
  } else if (entry.body) {
    body = JSON.stringify(entry.body(f));
    headers["content-type"] = "application/json";
  }
  const url = `http://localhost:3000${restPathToUrl(route.path, entry.params?.(f) ?? {})}${entry.query ?? ""}`;
  const res = await handleRestRequest(new Request(url, { method: route.method, headers, body }));
  const text = await res.text();
  return { status: res.status, text, contentType: res.headers.get("content-type") ?? "" };
}

type Answer = Awaited<ReturnType<typeof send>>;

function expectRefused(a: Answer, status: number, what: string) {
  expect(a.status, `${what}: ${a.text.slice(0, 300)}`).toBe(status);
  expect(a.contentType, what).toContain("application/problem+json");
  expect(leaked(a.text, secrets), `${what}: leaked in ${a.text}`).toEqual([]);
}

const byId = new Map(restRoutes.map((r) => [r.operationId, r]));

describe("the REST matrix covers the registry", () => {
  it("has an entry for every route and none for a route that is gone", () => {
    expect(restRoutes.length).toBeGreaterThan(10);
    expect(restRoutes.filter((r) => !restMatrix[r.operationId]).map((r) => r.operationId)).toEqual([]);
    expect(Object.keys(restMatrix).filter((id) => !byId.has(id))).toEqual([]);
  });
});

const entries = Object.entries(restMatrix);

describe("refusals", () => {
  it.each(entries)("%s", async (id, entry) => {
    const route = byId.get(id)!;
    const what = `${route.method} ${route.path}`;
    expectRefused(await send(route, entry, null), 401, `${what} without a key`);
    expectRefused(await send(route, entry, "org_live_not-a-real-key"), 401, `${what} with an unknown key`);
    expectRefused(await send(route, entry, keys.revoked), 401, `${what} with a revoked key`);
    expectRefused(await send(route, entry, keys.expired), 401, `${what} with an expired key`);
    if (route.scope === "write") {
      expectRefused(await send(route, entry, keys.read), 403, `${what} with a read-only key`);
      expectRefused(await send(route, entry, keys.byViewer), 403, `${what} with a viewer's key`);
    }
    if (route.minRole === "admin" || route.minRole === "owner") {
      expectRefused(await send(route, entry, keys.byMember), 403, `${what} with a member's key`);
    }
    const other = await send(route, entry, keys.other);
    if (entry.params) {
      // B's key naming A's rows: they do not exist for B.
      expectRefused(other, 404, `${what} with B's key on A's row`);
    } else {
      // No id in the request: B's key acts on B's own workspace and sees nothing of A.
      expect(other.status, `${what} with B's key: ${other.text.slice(0, 300)}`).toBeLessThan(500);
      expect(leaked(other.text, secrets), `${what} with B's key leaked`).toEqual([]);
    }
  });

  it("changed nothing of workspace A", async () => {
    await h.queue.drain();
    const after = await tenantDigest(h.db, f.ws.id);
    // Only api_keys may differ: the read-only, member's and viewer's keys did authenticate (their
    // "last used" moves) before a scope or role refused them. Revoked and expired keys never are.
    expect(Object.keys(after).filter((t) => after[t] !== digestBefore[t] && t !== "api_keys")).toEqual([]);
    const used = await h.db
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(and(eq(apiKeys.workspaceId, f.ws.id), isNotNull(apiKeys.lastUsedAt)));
    expect(used.map((k) => k.id).sort()).toEqual([...refusedLaterIds].sort());
  });
});

describe("positive calls with A's read+write key", () => {
  const ordered = [...entries].sort(([, a], [, b]) => Number(!!a.destructive) - Number(!!b.destructive));
  it.each(ordered)("%s", async (id, entry) => {
    const route = byId.get(id)!;
    const a = await send(route, entry, keys.rw);
    if (entry.domainErrorBecause) {
      expect(a.status, a.text).toBeGreaterThanOrEqual(400);
      expect([401, 403, 500], a.text).not.toContain(a.status);
    } else {
      expect(a.status, `${route.method} ${route.path}: ${a.text.slice(0, 300)}`).toBe(route.status);
    }
  });
});
