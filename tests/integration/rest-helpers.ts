import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll } from "vitest";
import * as route from "@/app/api/v1/[...path]/route";
import { resetEnvCache } from "@/lib/env";
import { apiKeys } from "@/server/db/schema";
import { createApiKey } from "@/server/services/api-keys";
import { resetStorage } from "@/server/storage";
import { setupTestDb } from "../helpers/db";
import { twoWorkspaces } from "../helpers/fixtures";

/**
 * The REST tests call the exported Next route handlers of app/api/v1/[...path]/route.ts with real
 * Request objects, as Next does, on the test database (the app's process-wide handle is pointed at
 * it). Two workspaces; keys: A read+write, A read-only, B read+write.
 */
export async function setupRest(opts: Parameters<typeof setupTestDb>[0] = {}) {
  const h = await setupTestDb(opts);
  const appDb = globalThis as unknown as { organicDb?: Promise<unknown> };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-rest-test-"));
  const saved = { DATA_DIR: process.env.DATA_DIR, S3_BUCKET: process.env.S3_BUCKET };
  beforeAll(() => {
    appDb.organicDb = Promise.resolve(h);
    process.env.DATA_DIR = dataDir;
    delete process.env.S3_BUCKET;
    resetEnvCache();
    resetStorage();
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
  const f = await twoWorkspaces(h.db);
  const actorA = { userId: f.owner.id, ip: null, userAgent: "vitest" };
  const actorB = { userId: f.otherOwner.id, ip: null, userAgent: "vitest" };
  const newKey = async (ws: "A" | "B", scopes: ("read" | "write")[] = ["read", "write"]) =>
    createApiKey(
      { db: h.db, actor: ws === "A" ? actorA : actorB, workspaceId: ws === "A" ? f.ws.id : f.other.id },
      { name: `test ${ws} ${scopes.join("+")}`, scopes },
    );
  const keyA = await newKey("A");
  const readA = await newKey("A", ["read"]);
  const keyB = await newKey("B");
  return { h, f, keyA: keyA.key, keyAId: keyA.apiKey.id, readA: readA.key, keyB: keyB.key, newKey };
}

export interface CallOptions {
  key?: string | null;
  body?: unknown;
  rawBody?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RestAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  contentType: string;
}

/** `method path` through the exported route handler, as Next would call it. */
export async function call<T = any>(
  method: string,
  pathAndQuery: string,
  o: CallOptions = {},
): Promise<RestAnswer<T>> {
  const headers: Record<string, string> = { "user-agent": "vitest", ...o.headers };
  if (o.key) headers.authorization = `Bearer ${o.key}`;
  let body: BodyInit | undefined;
  if (o.rawBody !== undefined) {
    body = typeof o.rawBody === "string" ? o.rawBody : new Uint8Array(o.rawBody);
    headers["content-type"] = o.contentType ?? "application/json";
  } else if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers["content-type"] = o.contentType ?? "application/json";
  }
  const request = new Request(`http://localhost:3000/api/v1${pathAndQuery}`, { method, headers, body });
  const handler = (route as unknown as Record<string, (r: Request) => Promise<Response>>)[method];
  if (!handler) throw new Error(`no ${method} export`);
  const res = await handler(request);
  const text = await res.text();
  const contentType = res.headers.get("content-type") ?? "";
  return {
    status: res.status,
    headers: res.headers,
    contentType,
    body: text && contentType.includes("json") ? JSON.parse(text) : text,
  };
}

export async function expireKey(db: Parameters<typeof createApiKey>[0]["db"], id: string) {
  await db
    .update(apiKeys)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(apiKeys.id, id));
}
