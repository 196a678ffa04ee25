import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  AuthError,
  httpDefaults,
  httpJson,
  type IntegrationError,
  PermanentError,
  parseRetryAfter,
  QuotaError,
  scrub,
  TemporaryError,
} from "@/server/integrations/http";

type Reply = { status: number; headers?: Record<string, string>; body?: string; delayMs?: number };
let replies: Reply[] = [];
let seen: Array<{ method: string; url: string; body: string; headers: http.IncomingHttpHeaders }> = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", body, headers: req.headers });
      const r = replies.shift() ?? { status: 200, body: "{}" };
      setTimeout(() => {
        res.writeHead(r.status, { "content-type": "application/json", ...r.headers });
        res.end(r.body ?? "");
      }, r.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  httpDefaults.backoffBaseMs = 5;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  replies = [];
  seen = [];
});

const neverOk = (): never => {
  throw new Error("expected the request to fail");
};
const schema = z.object({ ok: z.literal(true) });

describe("integration http base", () => {
  it("validates a good answer and sends JSON", async () => {
    replies = [{ status: 200, body: '{"ok":true}' }];
    await expect(httpJson({ provider: "t", url: `${base}/x`, json: { a: 1 }, schema })).resolves.toEqual({
      ok: true,
    });
    expect(seen[0]?.headers["content-type"]).toContain("application/json");
    expect(JSON.parse(seen[0]!.body)).toEqual({ a: 1 });
  });

  it("retries 5xx then succeeds", async () => {
    replies = [{ status: 503 }, { status: 502 }, { status: 200, body: '{"ok":true}' }];
    await expect(httpJson({ provider: "t", url: `${base}/x`, schema })).resolves.toEqual({ ok: true });
    expect(seen).toHaveLength(3);
  });

  it("gives up after the retries with a TemporaryError", async () => {
    replies = [{ status: 500 }, { status: 500 }, { status: 500 }];
    const err = await httpJson({ provider: "t", url: `${base}/x`, schema }).then(
      neverOk,
      (e: IntegrationError) => e,
    );
    expect(err).toBeInstanceOf(TemporaryError);
    expect(err.status).toBe(500);
    expect(seen).toHaveLength(3);
  });

  it("honours Retry-After on 429 and stops when it is longer than the bound", async () => {
    replies = [
      { status: 429, headers: { "retry-after": "0" } },
      { status: 200, body: '{"ok":true}' },
    ];
    await expect(httpJson({ provider: "t", url: `${base}/x`, schema })).resolves.toEqual({ ok: true });
    replies = [{ status: 429, headers: { "retry-after": "120" } }];
    seen = [];
    const err = await httpJson({ provider: "t", url: `${base}/x`, schema, maxRetryWaitMs: 1000 }).then(
      neverOk,
      (e: IntegrationError) => e,
    );
    expect(err).toBeInstanceOf(TemporaryError);
    expect(err.retryAfterMs).toBe(120_000);
    expect(seen).toHaveLength(1);
  });

  it("429 without Retry-After backs off and retries", async () => {
    replies = [{ status: 429 }, { status: 200, body: '{"ok":true}' }];
    await expect(httpJson({ provider: "t", url: `${base}/x`, schema })).resolves.toEqual({ ok: true });
    expect(seen).toHaveLength(2);
  });

  it("401 is an AuthError, not retried; 400 is permanent", async () => {
    replies = [{ status: 401, body: '{"error":"invalid_grant","error_description":"revoked"}' }];
    const auth = await httpJson({ provider: "t", url: `${base}/x` }).then(
      neverOk,
      (e: IntegrationError) => e,
    );
    expect(auth).toBeInstanceOf(AuthError);
    expect(auth.code).toBe("invalid_grant");
    replies = [
      { status: 400, body: '{"error":{"code":400,"message":"bad","errors":[{"reason":"badRequest"}]}}' },
    ];
    const bad = await httpJson({ provider: "t", url: `${base}/x` }).then(neverOk, (e: IntegrationError) => e);
    expect(bad).toBeInstanceOf(PermanentError);
    expect(bad.code).toBe("badRequest");
    expect(seen).toHaveLength(2);
  });

  it("a provider rule can turn a response into a quota error without retrying", async () => {
    replies = [{ status: 403, body: '{"error":{"errors":[{"reason":"dailyLimitExceeded"}]}}' }];
    const err = await httpJson({
      provider: "t",
      url: `${base}/x`,
      classify: (res) =>
        res.status === 403
          ? { error: new QuotaError("quota", { provider: "t", code: "daily" }), retry: false }
          : undefined,
    }).then(neverOk, (e: IntegrationError) => e);
    expect(err).toBeInstanceOf(QuotaError);
    expect(seen).toHaveLength(1);
  });

  it("a malformed answer is temporary (never disconnects), and so is a timeout", async () => {
    replies = [{ status: 200, body: "<html>proxy</html>" }];
    const bad = await httpJson({ provider: "t", url: `${base}/x`, schema }).then(
      neverOk,
      (e: IntegrationError) => e,
    );
    expect(bad).toBeInstanceOf(TemporaryError);
    expect(bad.code).toBe("malformed_response");
    replies = [{ status: 200, body: '{"ok":true}', delayMs: 300 }];
    const slow = await httpJson({ provider: "t", url: `${base}/x`, schema, timeoutMs: 50, retries: 0 }).then(
      neverOk,
      (e: IntegrationError) => e,
    );
    expect(slow).toBeInstanceOf(TemporaryError);
    expect(slow.code).toBe("timeout");
  });

  it("scrubs secrets a provider echoes back", async () => {
    replies = [
      { status: 400, body: '{"error":"invalid_request","error_description":"bad token act.SECRET123"}' },
    ];
    const err = await httpJson({ provider: "t", url: `${base}/x`, secrets: ["act.SECRET123"] }).then(
      neverOk,
      (e: IntegrationError) => e,
    );
    expect(err.message).not.toContain("SECRET123");
    expect(scrub("Authorization: Bearer abc.def")).toBe("Authorization: Bearer [redacted]");
  });

  it("parses Retry-After as seconds or a date", () => {
    expect(parseRetryAfter(new Headers({ "retry-after": "3" }))).toBe(3000);
    expect(parseRetryAfter(new Headers({ "retry-after-ms": "250" }))).toBe(250);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:10 GMT" }), now)).toBe(
      10_000,
    );
    expect(parseRetryAfter(new Headers({}))).toBeUndefined();
  });
});
