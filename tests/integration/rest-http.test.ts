import { createConfig, lintFromString } from "@redocly/openapi-core";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { needsSameOrigin } from "@/lib/security-headers";
import { guardRequest } from "@/proxy";
import { restRoutes } from "@/server/api/rest/registry";
import { call, setupRest } from "./rest-helpers";

const { keyA, readA, newKey } = await setupRest();

function withEnv(vars: Record<string, string>) {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  resetEnvCache();
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetEnvCache();
  };
}
let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

describe("OpenAPI document", () => {
  it("is served without a key and passes Redocly's recommended rules with no error", async () => {
    const res = await call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    const config = await createConfig({ extends: ["recommended"], rules: { "info-license": "off" } });
    const problems = await lintFromString({
      source: JSON.stringify(res.body),
      absoluteRef: "/openapi.json",
      config,
    });
    expect(
      problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} @ ${p.location[0]?.pointer}`),
    ).toEqual([]);
  });

  it("is made once: the same text and ETag each time, and 304 to a client that has it", async () => {
    const first = await call("GET", "/openapi.json");
    const second = await call("GET", "/openapi.json");
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[\w-]{20,}"$/);
    expect(second.headers.get("etag")).toBe(etag);
    expect(second.body).toEqual(first.body);
    const cached = await call("GET", "/openapi.json", { headers: { "if-none-match": `"other", ${etag}` } });
    expect(cached.status).toBe(304);
    expect(cached.body).toBe("");
    expect((await call("GET", "/openapi.json", { headers: { "if-none-match": '"other"' } })).status).toBe(
      200,
    );
  });

  it("answers 400 to a malformed address itself (the proxy does not run for /api/v1)", async () => {
    for (const target of ["/leads/%ff", "/leads/abc%", "/%ED%A0%80", "/leads?search=%00"]) {
      const res = await call("GET", target, { key: readA });
      expect(res.status, target).toBe(400);
      expect(res.body.code, target).toBe("malformed_target");
    }
  });

  it("documents every registry route with its scope, the bearer scheme, problem responses and Idempotency-Key", async () => {
    const doc = (await call("GET", "/openapi.json")).body;
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(restRoutes.length).toBeGreaterThanOrEqual(20);
    for (const r of restRoutes) {
      const op = doc.paths[r.path]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.path}`).toBeDefined();
      expect(op["x-scope"]).toBe(r.scope);
      expect(op.responses["401"]).toEqual({ $ref: "#/components/responses/Unauthorized" });
      if (r.method === "POST")
        expect(op.parameters).toContainEqual({ $ref: "#/components/parameters/IdempotencyKey" });
    }
    const list = doc.paths["/leads"].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["limit", "cursor", "search", "tag", "status", "source"]),
    );
    expect(doc.paths["/content"].post.requestBody.content["application/json"].schema).toBeDefined();
    expect(JSON.stringify(doc.paths["/content"].post.requestBody)).toContain('"format":"date-time"');
    expect(doc.paths["/leads/import"].post.requestBody.content["text/csv"]).toBeDefined();
    expect(Object.keys(doc.webhooks)).toContain("lead.created");
    // operationIds are unique
    expect(new Set(restRoutes.map((r) => r.operationId)).size).toBe(restRoutes.length);
  });
});

describe("routing", () => {
  it("answers unknown paths 404 and wrong methods 405, both as problems", async () => {
    const nf = await call("GET", "/nope", { key: readA });
    expect(nf.status).toBe(404);
    expect(nf.body.code).toBe("route_not_found");
    const na = await call("PUT", "/leads", { key: keyA });
    expect(na.status).toBe(405);
    expect(na.headers.get("allow")).toBe("GET, POST");
  });
});

describe("rate limit", () => {
  it("sends X-RateLimit-* on every answer and 429 with Retry-After over the limit", async () => {
    restore = withEnv({ API_RATE_LIMIT_PER_MINUTE: "3" });
    const { key } = await newKey("A", ["read"]);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await call("GET", "/leads", { key }));
    expect(answers.slice(0, 3).map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.headers.get("x-ratelimit-remaining"))).toEqual(["2", "1", "0", "0"]);
    const over = answers[3]!;
    expect(over.status).toBe(429);
    expect(over.body.code).toBe("rate_limited");
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(over.headers.get("x-ratelimit-limit")).toBe("3");
    expect(Number(over.headers.get("x-ratelimit-reset"))).toBeGreaterThan(0);
    // Per key: another key is not limited.
    expect((await call("GET", "/leads", { key: readA })).status).toBe(200);
  });
});

describe("CORS", () => {
  it("sends no CORS headers by default", async () => {
    const pre = await call("OPTIONS", "/leads", {
      headers: { origin: "https://app.example", "access-control-request-method": "POST" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    const get = await call("GET", "/leads", { key: readA, headers: { origin: "https://app.example" } });
    expect(get.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("allows the origins of API_CORS_ORIGINS: preflight and actual requests, never credentials", async () => {
    restore = withEnv({ API_CORS_ORIGINS: "https://app.example, https://other.example/" });
    const pre = await call("OPTIONS", "/leads", {
      headers: {
        origin: "https://app.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type, idempotency-key",
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(pre.headers.get("access-control-allow-methods")).toContain("POST");
    expect(pre.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("idempotency-key");
    expect(pre.headers.get("access-control-allow-credentials")).toBeNull();
    const post = await call("POST", "/leads", {
      key: keyA,
      body: { email: "cors@example.com" },
      headers: { origin: "https://other.example" },
    });
    expect(post.status).toBe(201);
    expect(post.headers.get("access-control-allow-origin")).toBe("https://other.example");
    expect(post.headers.get("access-control-expose-headers")).toContain("X-RateLimit-Remaining");
    const denied = await call("OPTIONS", "/leads", { headers: { origin: "https://evil.example" } });
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("lets a cross-origin Bearer request through proxy.ts, which guards only cookie endpoints", () => {
    expect(needsSameOrigin("POST", "/api/v1/leads")).toBe(false);
    expect(needsSameOrigin("POST", "/api/trpc/leads.create")).toBe(true);
    const req = new NextRequest("http://localhost:3000/api/v1/leads", {
      method: "POST",
      headers: {
        origin: "https://app.example",
        "sec-fetch-site": "cross-site",
        authorization: `Bearer ${keyA}`,
      },
    });
    const res = guardRequest(req);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-middleware-next")).toBe("1");
    const trpc = guardRequest(
      new NextRequest("http://localhost:3000/api/trpc/leads.create", {
        method: "POST",
        headers: { origin: "https://app.example" },
      }),
    );
    expect(trpc.status).toBe(403);
  });
});
