import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { staticApiSecurityHeaders } from "@/lib/security-headers";
import { handleRestRequest } from "@/server/api/rest/handler";
import { type FastRoute, installApiFastPath, serveApiFastPath } from "@/server/http/api-fast-path";
import { apiFastRoutes, startApiFastPath } from "@/server/http/api-fast-routes";
import { guardPeerAddress } from "@/server/peer-address";
import { clientIp } from "@/server/request-info";
import { createApiKey } from "@/server/services/api-keys";
import { setupTestDb } from "../helpers/db";
import { twoWorkspaces } from "../helpers/fixtures";
import { type RawAnswer, rawRequest } from "../helpers/raw-http";

/**
 * The API fast path (server/http/api-fast-path.ts) on a real http.Server whose own listener stands
 * for Next: which requests it takes and which it leaves to Next, what it answers (status, headers,
 * next.config.ts's security headers, gzip, cookies, streamed bodies, a throw), and the real routes
 * answering through it. tests/topology/topology.test.ts compares it with Next's own answers on the
 * production build.
 */

const h = await setupTestDb();
const app = globalThis as unknown as { organicDb?: Promise<unknown> };

let server: http.Server;
let port = 0;
const nextSaw: string[] = [];

/** One request as a client sends it, path and headers exactly as given. */
const raw = (method: string, target: string, headers: Record<string, string> = {}, body?: string) =>
  rawRequest(port, method, target, headers, body);

const json = (r: RawAnswer) => JSON.parse(r.body.toString("utf8"));

const echo: FastRoute["handle"] = async (request) =>
  Response.json(
    {
      method: request.method,
      url: request.url,
      ip: clientIp(request.headers),
      body: request.body ? await request.text() : null,
    },
    { headers: { "x-route": "echo" } },
  );

const testRoutes: FastRoute[] = [
  { name: "echo", path: /^\/api\/v1\/echo$/, methods: new Set(["GET", "POST"]), handle: echo },
  {
    name: "throws",
    path: /^\/api\/v1\/throws$/,
    methods: new Set(["GET"]),
    handle: async () => {
      throw new Error("route failed");
    },
  },
  {
    name: "chunks",
    path: /^\/api\/v1\/chunks$/,
    methods: new Set(["GET"]),
    handle: async () => {
      const parts = ["one,", "two,", "three"];
      const stream = new ReadableStream<Uint8Array>({
        pull(c) {
          const next = parts.shift();
          if (next === undefined) c.close();
          else c.enqueue(new TextEncoder().encode(next));
        },
      });
      return new Response(stream, { headers: { "content-type": "text/plain; charset=utf-8" } });
    },
  },
  {
    name: "cookies",
    path: /^\/api\/v1\/cookies$/,
    methods: new Set(["GET"]),
    handle: async () => {
      const headers = new Headers({ "content-type": "application/json" });
      headers.append("set-cookie", "a=1; Path=/");
      headers.append("set-cookie", "b=2; Path=/");
      return new Response("{}", { status: 201, headers });
    },
  },
  {
    name: "large",
    path: /^\/api\/v1\/large$/,
    methods: new Set(["GET"]),
    handle: async () =>
      Response.json({ rows: Array.from({ length: 500 }, (_, i) => ({ i, text: "lorem ipsum" })) }),
  },
  // The REST API's own pattern: what the exclusions below are for.
  { name: "rest", path: /^\/api\/v1\/[A-Za-z0-9/._~-]*$/, methods: new Set(["GET"]), handle: echo },
];

const securityHeaders = Object.entries(staticApiSecurityHeaders(true));

beforeAll(async () => {
  app.organicDb = Promise.resolve(h);
  installApiFastPath();
  server = http.createServer((req, res) => {
    nextSaw.push(`${req.method} ${req.url}`);
    res.statusCode = 299;
    res.end("next");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  serveApiFastPath(null);
  await new Promise((r) => server.close(r));
});

describe("API fast path: which requests it answers", () => {
  beforeAll(() => serveApiFastPath({ routes: testRoutes, headers: securityHeaders }));

  it("answers any plain path of its routes' patterns", async () => {
    expect(json(await raw("GET", "/api/v1/a/b.c~d_e-f")).url).toBe(
      "http://127.0.0.1/api/v1/a/b.c~d_e-f".replace("127.0.0.1", `127.0.0.1:${port}`),
    );
  });

  it("answers a plain path of one of its routes, with the security headers Next would add", async () => {
    const r = await raw("GET", "/api/v1/echo?x=1", { host: "api.example.test" });
    expect(r.status).toBe(200);
    expect(r.headers["x-route"]).toBe("echo");
    expect(json(r)).toMatchObject({ method: "GET", url: "http://api.example.test/api/v1/echo?x=1" });
    for (const [name, value] of securityHeaders) expect(r.headers[name.toLowerCase()]).toBe(value);
    expect(r.headers["content-length"]).toBe(String(r.body.length));
  });

  it("leaves to Next what Next would redirect, decode or refuse, and every other path", async () => {
    nextSaw.length = 0;
    const leftToNext = [
      ["GET", "/api/v1/echo/"],
      ["GET", "/api/v1//echo"],
      ["GET", "/api/v1/./echo"],
      ["GET", "/api/v1/x/../echo"],
      ["GET", "/api/v1/%65cho"],
      ["HEAD", "/api/v1/echo"],
      ["DELETE", "/api/v1/echo"],
      ["GET", "/dashboard"],
      ["GET", "/api/v1echo"],
    ] as const;
    for (const [method, target] of leftToNext) {
      const r = await raw(method, target);
      expect(r.status, `${method} ${target}`).toBe(299);
    }
    expect(nextSaw).toEqual(leftToNext.map(([m, t]) => `${m} ${t}`));
  });

  it("leaves to Next a request whose Host is not a plain host name, and keeps a proxy's https", async () => {
    nextSaw.length = 0;
    for (const host of ["evil.example/x?", "a@b.example", "b.example:99999x"]) {
      expect((await raw("GET", "/api/v1/echo", { host })).status, host).toBe(299);
    }
    expect(nextSaw).toHaveLength(3);
    const v6 = await raw("GET", "/api/v1/echo", { host: "[::1]:8080", "x-forwarded-proto": "https" });
    expect(json(v6).url).toBe("https://[::1]:8080/api/v1/echo");
  });

  it("streams a request body to the route", async () => {
    const r = await raw("POST", "/api/v1/echo", { "content-type": "text/plain" }, "x".repeat(200_000));
    expect(r.status).toBe(200);
    expect(json(r).body).toHaveLength(200_000);
  });

  it("replaces a client's X-Forwarded-For with the connection's address (TRUST_PROXY unset)", async () => {
    const r = await raw("GET", "/api/v1/echo", {
      "x-forwarded-for": "203.0.113.9",
      "x-real-ip": "198.51.100.1",
    });
    expect(json(r).ip).toBe("127.0.0.1");
  });

  it("gzips what Next's compression would, for a client that takes gzip", async () => {
    const plain = await raw("GET", "/api/v1/large");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers.vary).toMatch(/^rsc, next-router-state-tree, .*, Accept-Encoding$/);
    const zipped = await raw("GET", "/api/v1/large", { "accept-encoding": "gzip, deflate, br" });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.headers.vary).toBe(plain.headers.vary);
    expect(zlib.gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    const refused = await raw("GET", "/api/v1/large", { "accept-encoding": "gzip;q=0, identity" });
    expect(refused.headers["content-encoding"]).toBeUndefined();
  });

  it("sends a body of several chunks whole, and every Set-Cookie", async () => {
    const chunks = await raw("GET", "/api/v1/chunks");
    expect(chunks.body.toString()).toBe("one,two,three");
    const cookies = await raw("GET", "/api/v1/cookies");
    expect(cookies.status).toBe(201);
    expect(cookies.headers["set-cookie"]).toEqual(["a=1; Path=/", "b=2; Path=/"]);
  });

  it("answers a route that throws with an empty 500, as Next does, and goes on serving", async () => {
    const r = await raw("GET", "/api/v1/throws");
    expect(r.status).toBe(500);
    expect(r.body.length).toBe(0);
    expect((await raw("GET", "/api/v1/echo")).status).toBe(200);
  });

  it("hands everything back to Next once stopped", async () => {
    serveApiFastPath(null);
    expect((await raw("GET", "/api/v1/echo")).status).toBe(299);
    serveApiFastPath({ routes: testRoutes, headers: securityHeaders });
  });
});

describe("API fast path: the real routes", () => {
  let f: Awaited<ReturnType<typeof twoWorkspaces>>;
  let keyA = "";
  let keyB = "";

  beforeAll(async () => {
    serveApiFastPath({ routes: apiFastRoutes(), headers: securityHeaders });
    f = await twoWorkspaces(h.db);
    const ctx = (workspaceId: string, userId: string) => ({
      db: h.db,
      actor: { userId, ip: null, userAgent: "vitest" },
      workspaceId,
    });
    keyA = (await createApiKey(ctx(f.ws.id, f.owner.id), { name: "a", scopes: ["read", "write"] })).key;
    keyB = (await createApiKey(ctx(f.other.id, f.otherOwner.id), { name: "b", scopes: ["read", "write"] }))
      .key;
  });

  it("serves the OpenAPI document as the REST handler writes it", async () => {
    const r = await raw("GET", "/api/v1/openapi.json", { host: "localhost" });
    const direct = await handleRestRequest(new Request("http://localhost/api/v1/openapi.json"));
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe(await direct.text());
    expect(r.headers.etag).toBe(direct.headers.get("etag"));
    expect(r.headers["x-request-id"]).toBeTruthy();
  });

  it("creates and lists a lead with a key, and refuses another workspace's key", async () => {
    const created = await raw(
      "POST",
      "/api/v1/leads",
      { authorization: `Bearer ${keyA}`, "content-type": "application/json" },
      JSON.stringify({ email: "fast-path@example.com" }),
    );
    expect(created.status).toBe(201);
    const id = json(created).id as string;
    const own = await raw("GET", `/api/v1/leads/${id}`, { authorization: `Bearer ${keyA}` });
    expect(own.status).toBe(200);
    expect(json(own).email).toBe("fast-path@example.com");
    const other = await raw("GET", `/api/v1/leads/${id}`, { authorization: `Bearer ${keyB}` });
    expect(other.status).toBe(404);
    expect(other.body.toString()).not.toContain("fast-path@example.com");
    expect((await raw("GET", "/api/v1/leads")).status).toBe(401);
  });

  it("answers the health check and refuses tRPC without a session", async () => {
    const health = await raw("GET", "/api/health");
    expect([200, 503]).toContain(health.status);
    expect(json(health)).toHaveProperty("status");
    const trpc = await raw(
      "GET",
      `/api/trpc/leads.list?input=${encodeURIComponent(JSON.stringify({ json: { workspaceId: f.ws.id } }))}`,
    );
    expect(trpc.status).toBe(401);
  });
});

describe("API fast path: when it serves", () => {
  it("only in the production server, unless API_FAST_PATH=false", () => {
    serveApiFastPath(null);
    const state = () => (globalThis as unknown as { organicApiFastPath?: unknown }).organicApiFastPath;
    vi.stubEnv("NODE_ENV", "test");
    resetEnvCache();
    startApiFastPath();
    expect(state()).toBeNull();
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("API_FAST_PATH", "false");
    resetEnvCache();
    startApiFastPath();
    expect(state()).toBeNull();
    vi.stubEnv("API_FAST_PATH", "true");
    resetEnvCache();
    startApiFastPath();
    expect(state()).toMatchObject({ routes: expect.any(Array) });
    serveApiFastPath(null);
  });

  it("applies the peer-address rule unless TRUST_PROXY=true", () => {
    const req = (xff: string) =>
      ({
        headers: { "x-forwarded-for": xff },
        socket: { remoteAddress: "10.1.2.3" },
      }) as unknown as http.IncomingMessage;
    vi.stubEnv("TRUST_PROXY", "false");
    resetEnvCache();
    const guarded = req("203.0.113.9");
    guardPeerAddress(guarded);
    expect(guarded.headers["x-forwarded-for"]).toBe("10.1.2.3");
    vi.stubEnv("TRUST_PROXY", "true");
    resetEnvCache();
    const trusted = req("203.0.113.9");
    guardPeerAddress(trusted);
    expect(trusted.headers["x-forwarded-for"]).toBe("203.0.113.9");
  });
});
