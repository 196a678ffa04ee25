import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { handleRestRequest } from "@/server/api/rest/handler";
import { REST_BASE_PATH, restPathToUrl, restRoutes } from "@/server/api/rest/registry";
import { webhookEndpoints } from "@/server/db/schema";
import { createApiKey } from "@/server/services/api-keys";
import { resetStorage } from "@/server/storage";
import { setupTestDb } from "../helpers/db";
import { applyMutation, describeMutation, hostileValue, mutationOf } from "../helpers/hostile-input";
import { restMatrix } from "../helpers/rest-matrix";
import { type TenantFixture, tenantDigests, tenantFixture } from "../helpers/tenant-fixture";

/**
 * Bad input to every /api/v1 route, property-based: the matrix's valid request with its JSON body
 * mutated (hostile values, missing and unknown fields, wrong types), its query parameters or path id
 * set to hostile text, or a body that is not JSON at all. Always a 4xx problem+json with a message
 * (never a 500), and a refused request leaves workspace A unchanged.
 */

const NUM_RUNS = Number(process.env.BAD_INPUT_RUNS ?? 15);

const h = await setupTestDb();
const appDb = globalThis as unknown as { organicDb?: Promise<unknown> };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-bad-input-rest-"));
const saved = { DATA_DIR: process.env.DATA_DIR, S3_BUCKET: process.env.S3_BUCKET };
let f: TenantFixture;

beforeAll(async () => {
  appDb.organicDb = Promise.resolve(h);
  process.env.DATA_DIR = dataDir;
  delete process.env.S3_BUCKET;
  resetEnvCache();
  resetStorage();
  f = await tenantFixture(h.db);
  // No deliveries retrying in the background while digests are compared.
  await h.db
    .update(webhookEndpoints)
    .set({ enabled: false })
    .where(eq(webhookEndpoints.workspaceId, f.ws.id));
  await h.queue.drain();
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

/**
 * JSON text of any value fast-check produced (BigInt as a number, undefined as null). A value whose
 * own toJSON throws (e.g. an object with Date's prototype that is not a Date) is sent as a hostile
 * string instead — what reaches the server is JSON text either way.
 */
function toJson(v: unknown): string {
  try {
    return JSON.stringify(v ?? null, (_k, x) => (typeof x === "bigint" ? Number(x) : x)) ?? "null";
  } catch {
    return JSON.stringify("<unserializable value>");
  }
}
function toText(v: unknown): string {
  return typeof v === "string" ? v : toJson(v);
}

type Attack =
  | { kind: "body"; text: string; contentType: string; what: string }
  | { kind: "query"; name: string; value: string; what: string }
  | { kind: "param"; value: string; what: string };

function attacksFor(route: (typeof restRoutes)[number], f: TenantFixture): fc.Arbitrary<Attack> {
  const entry = restMatrix[route.operationId]!;
  const options: fc.Arbitrary<Attack>[] = [];
  if (entry.body) {
    const valid = entry.body(f);
    options.push(
      mutationOf(valid).map((m) => ({
        kind: "body",
        text: toJson(applyMutation(valid, m)),
        contentType: "application/json",
        what: describeMutation(m),
      })),
      fc
        .constantFrom("{", "not json", "", "[]", "null", '{"a":'.repeat(5000), `"${"x".repeat(200_000)}"`)
        .map((text) => ({
          kind: "body",
          text,
          contentType: "application/json",
          what: `raw body ${text.slice(0, 20)}`,
        })),
    );
  }
  if (entry.csv !== undefined) {
    options.push(
      fc
        .constantFrom(
          "",
          "\u0000\u0000",
          "email\n\u0000@x.test\n",
          '"unclosed,quote\n',
          "email,name\n<script>alert(1)</script>@x.test,'; DROP TABLE leads; --\n",
          "x".repeat(50_000),
        )
        .map((text) => ({
          kind: "body",
          text,
          contentType: "text/csv",
          what: `csv ${JSON.stringify(text.slice(0, 30))}`,
        })),
    );
  }
  const queryNames = route.query
    ? Object.keys((route.query as unknown as { shape: object }).shape ?? {})
    : [];
  if (queryNames.length) {
    options.push(
      fc.tuple(fc.constantFrom(...queryNames), hostileValue).map(([name, v]) => ({
        kind: "query",
        name,
        value: toText(v),
        what: `?${name}=${toText(v).slice(0, 40)}`,
      })),
    );
  }
  if (entry.params) {
    options.push(
      hostileValue.map((v) => ({ kind: "param", value: toText(v), what: `id=${toText(v).slice(0, 40)}` })),
    );
  }
  return fc.oneof(...options);
}

const testable = restRoutes.filter((r) => {
  const e = restMatrix[r.operationId];
  return e && (e.body || e.csv !== undefined || e.params || r.query);
});

describe("hostile input to every REST route that takes input", () => {
  it("covers the routes with input", () => {
    expect(testable.length).toBeGreaterThan(12);
  });

  it.each(testable.map((r) => [r.operationId, r] as const))("%s", async (_id, route) => {
    const entry = restMatrix[route.operationId]!;
    // A key per route, so the per-key rate limit never answers instead of the validation.
    const { key } = await createApiKey(
      { db: h.db, actor: { userId: f.owner.id, ip: null, userAgent: "vitest" }, workspaceId: f.ws.id },
      { name: `fuzz ${route.operationId}`, scopes: ["read", "write"] },
    );
    let refusals = 0;
    // As in bad-input-trpc: the digest after a refusal is the next call's "before".
    const digest = tenantDigests(h.db, f.ws.id);
    let known: Record<string, string> | null = null;
    await fc.assert(
      fc.asyncProperty(attacksFor(route, f), async (attack) => {
        let pathPart = restPathToUrl(route.path, entry.params?.(f) ?? {});
        if (attack.kind === "param") {
          // encodeURIComponent throws on an unpaired surrogate: send the bytes a client would.
          const encoded = attack.value.isWellFormed() ? encodeURIComponent(attack.value) : "%ED%A0%80";
          pathPart = `${REST_BASE_PATH}${route.path.replace("{id}", encoded)}`;
        }
        const url = new URL(`http://localhost:3000${pathPart}${entry.query ?? ""}`);
        if (attack.kind === "query") url.searchParams.set(attack.name, attack.value);
        const headers: Record<string, string> = { authorization: `Bearer ${key}`, "user-agent": "vitest" };
        let body: string | undefined;
        if (attack.kind === "body") {
          body = attack.text;
          headers["content-type"] = attack.contentType;
        } else if (entry.csv !== undefined) {
          body = entry.csv;
          headers["content-type"] = "text/csv";
        } else if (entry.body) {
          body = JSON.stringify(entry.body(f));
          headers["content-type"] = "application/json";
        }
        await h.queue.drain();
        const before = known ?? (await digest());
        known = null;
        const res = await handleRestRequest(new Request(url, { method: route.method, headers, body }));
        const text = await res.text();
        const what = `${route.method} ${route.path} with ${attack.what}`;
        expect(res.status, `${what}: ${text.slice(0, 300)}`).toBeLessThan(500);
        if (res.status < 400) return;
        refusals++;
        expect(res.headers.get("content-type"), what).toContain("application/problem+json");
        const problem = JSON.parse(text) as { title?: string; detail?: string };
        expect(
          `${problem.title ?? ""}${problem.detail ?? ""}`.trim().length,
          `${what}: no message`,
        ).toBeGreaterThan(0);
        await h.queue.drain();
        const after = await digest();
        // A's api_keys row of this key moves ("last used"): that is the call itself, not its input.
        const changed = Object.keys(after).filter((t) => after[t] !== before[t] && t !== "api_keys");
        expect(changed, `${what} was refused (${res.status}) but changed`).toEqual([]);
        known = after;
      }),
      { numRuns: NUM_RUNS, endOnFailure: true },
    );
    expect(refusals, `${route.operationId}: no attack was refused`).toBeGreaterThan(0);
  });
});
