import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { contentSecurityPolicy, isSameOriginRequest, securityHeaders } from "@/lib/security-headers";
import { guardRequest } from "@/proxy";
import { createAuth } from "@/server/auth";
import { activityLogs, sessions, users } from "@/server/db/schema";
import { clientIp } from "@/server/request-info";
import { setupTestDb } from "../helpers/db";
import { uniqueEmail } from "../helpers/fixtures";

const h = await setupTestDb();
const BASE = "http://localhost:3000";
let auth: ReturnType<typeof createAuth>;

beforeAll(() => {
  process.env.AUTH_RATE_LIMIT_MAX = "3";
  resetEnvCache();
  auth = createAuth(h.db);
});
afterAll(() => {
  delete process.env.AUTH_RATE_LIMIT_MAX;
  resetEnvCache();
});

function authPost(path: string, body: unknown, headers: Record<string, string> = {}) {
  return auth.handler(
    new Request(`${BASE}/api/auth${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: BASE,
        "x-forwarded-for": "198.51.100.77",
        ...headers,
      },
      body: JSON.stringify(body),
    }),
  );
}

describe("security headers (proxy.ts)", () => {
  it("sets a fresh nonce CSP without unsafe-inline scripts, and the other headers, on pages", () => {
    const a = guardRequest(new NextRequest(`${BASE}/sign-in`));
    const b = guardRequest(new NextRequest(`${BASE}/sign-in`));
    const csp = a.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(b.headers.get("content-security-policy")).not.toContain(nonce);
    const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src"))!;
    expect(scriptSrc).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(a.headers.get("x-content-type-options")).toBe("nosniff");
    expect(a.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(a.headers.get("permissions-policy")).toContain("camera=()");
    expect(a.headers.get("x-frame-options")).toBe("DENY");
    // Forwarded to rendering so Next.js can put the nonce on its scripts.
    expect(a.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
  });

  it("lets only the signup form be framed", () => {
    const form = guardRequest(new NextRequest(`${BASE}/f/acme/newsletter`));
    expect(form.headers.get("content-security-policy")).toContain("frame-ancestors *");
    expect(form.headers.get("x-frame-options")).toBeNull();
  });

  it("adds HSTS in production only", () => {
    expect(
      securityHeaders({ nonce: "n", pathname: "/", production: true })["Strict-Transport-Security"],
    ).toMatch(/max-age=\d+/);
    expect(
      securityHeaders({ nonce: "n", pathname: "/", production: false })["Strict-Transport-Security"],
    ).toBeUndefined();
    expect(contentSecurityPolicy("n", { dev: false, embeddable: false })).not.toContain("unsafe-eval");
  });

  it("sends no CORS headers from tRPC", () => {
    const res = guardRequest(
      new NextRequest(`${BASE}/api/trpc/workspace.list`, { headers: { origin: "https://evil.example" } }),
    );
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("CSRF: same-origin only for cookie-authenticated mutations", () => {
  const forged = (path: string, headers: Record<string, string>) =>
    guardRequest(
      new NextRequest(`${BASE}${path}`, {
        method: "POST",
        headers: { cookie: "organic.session_token=x", ...headers },
        body: "{}",
      }),
    );

  it("refuses a forged cross-site POST to tRPC and better-auth with 403", async () => {
    for (const path of ["/api/trpc/apiKeys.create", "/api/auth/sign-out", "/api/auth/change-password"]) {
      const res = forged(path, { origin: "https://evil.example", "sec-fetch-site": "cross-site" });
      expect(res.status, path).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    }
    expect(forged("/api/trpc/x", { "sec-fetch-site": "cross-site" }).status).toBe(403);
    expect(forged("/api/trpc/x", { origin: "null" }).status).toBe(403);
    expect(forged("/api/trpc/x", { origin: "http://localhost:3000.evil.example" }).status).toBe(403);
  });

  it("lets same-origin requests and GETs through", () => {
    expect(forged("/api/trpc/apiKeys.create", { origin: BASE, "sec-fetch-site": "same-origin" }).status).toBe(
      200,
    );
    expect(
      guardRequest(new NextRequest(`${BASE}/api/trpc/x`, { headers: { origin: "https://evil.example" } }))
        .status,
    ).toBe(200);
    // Public form posts are not cookie-authenticated: the embed posts from anywhere.
    expect(forged("/api/forms/acme/news", { origin: "https://blog.example" }).status).toBe(200);
    expect(isSameOriginRequest(new Headers(), [BASE])).toBe(true);
  });
});

describe("client IP", () => {
  it("trusts X-Forwarded-For only with TRUST_PROXY (the server replaces it with the peer otherwise)", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "198.51.100.4, 10.0.0.1" }))).toBe("198.51.100.4");
  });
});

describe("sign-in and sign-up limits", () => {
  it("answers 429 with Retry-After and X-RateLimit-* headers after too many attempts", async () => {
    const email = uniqueEmail("limited");
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await authPost("/sign-in/email", { email, password: "wrong-password" });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 3).every((s) => s === 401)).toBe(true);
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(last!.headers.get("x-ratelimit-limit")).toBe("3");
    expect(last!.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(Number(last!.headers.get("x-ratelimit-reset"))).toBeGreaterThan(0);
  });
});

describe("sessions", () => {
  async function signUp() {
    const email = uniqueEmail("sess");
    const res = await authPost(
      "/sign-up/email",
      { email, password: "correct horse battery", name: "S" },
      { "x-forwarded-for": "192.0.2.1" },
    );
    expect(res.status).toBe(200);
    // Sign-up starts no session (so an existing address gets the same answer): sign in.
    const cookie = await signIn(email);
    const [user] = await h.db.select().from(users).where(eq(users.email, email));
    return { email, cookie, user: user! };
  }
  async function signIn(email: string) {
    const res = await authPost(
      "/sign-in/email",
      { email, password: "correct horse battery" },
      { "x-forwarded-for": "192.0.2.2" },
    );
    expect(res.status).toBe(200);
    return res.headers.get("set-cookie")!.split(";")[0]!;
  }

  it("changing the password revokes the other sessions even if the client does not ask", async () => {
    const { email, cookie, user } = await signUp();
    await signIn(email);
    expect(await h.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(2);
    const res = await authPost(
      "/change-password",
      {
        currentPassword: "correct horse battery",
        newPassword: "a new long password",
        revokeOtherSessions: false,
      },
      { cookie },
    );
    expect(res.status).toBe(200);
    expect(await h.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(1);
    const actions = await h.db
      .select({ action: activityLogs.action })
      .from(activityLogs)
      .where(eq(activityLogs.userId, user.id));
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(["user.signed_up", "user.signed_in", "user.password_changed"]),
    );
  });

  it("signs out everywhere", async () => {
    const { email, cookie, user } = await signUp();
    await signIn(email);
    const res = await authPost("/revoke-sessions", {}, { cookie });
    expect(res.status).toBe(200);
    expect(await h.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
  });
});
