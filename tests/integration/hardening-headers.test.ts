import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import nextConfig from "@/next.config";
import { config, guardRequest } from "@/proxy";

/**
 * Every kind of response goes through proxy.ts — pages (dashboard, sign-in, the embeddable form,
 * the public blog), tRPC and REST paths with percent-encoding — or, for the JSON APIs' plain paths and
 * the uploads, gets the API headers from next.config.ts. Each gets a fresh nonce CSP without 'unsafe-inline'
 * scripts and the other headers; HSTS only in production; only the form page may be framed.
 * (tests/e2e/security.spec.ts checks the same on the production build over HTTP.)
 */
const BASE = "http://localhost:3000";
const env = process.env as Record<string, string | undefined>;
const savedNodeEnv = env.NODE_ENV;
afterEach(() => {
  env.NODE_ENV = savedNodeEnv;
});

const PAGES = [
  "/acme",
  "/acme/content",
  "/acme/settings/api-docs",
  "/sign-in",
  "/sign-up",
  "/blog/acme",
  "/f/acme/newsletter",
  "/api/v1/leads/%41",
  "/api/trpc/auth.session%2Cx",
  "/api/auth/get-session",
];

function matched(pathname: string) {
  const source = config.matcher[0]!.source;
  return new RegExp(`^${source}$`).test(pathname);
}

describe("security headers on every kind of page", () => {
  for (const production of [true, false]) {
    it(`${production ? "production" : "development"}: CSP nonce, framing, HSTS and the rest`, () => {
      env.NODE_ENV = production ? "production" : "development";
      const nonces = new Set<string>();
      for (const path of PAGES) {
        expect(matched(path), `${path} goes through the proxy`).toBe(true);
        const res = guardRequest(new NextRequest(`${BASE}${path}`));
        const csp = res.headers.get("content-security-policy") ?? "";
        const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
        const nonce = /'nonce-([A-Za-z0-9+/=]{20,})'/.exec(scriptSrc)?.[1];
        expect(nonce, path).toBeTruthy();
        nonces.add(nonce!);
        expect(scriptSrc, path).toContain("'strict-dynamic'");
        expect(scriptSrc, path).not.toContain("unsafe-inline");
        if (production) expect(scriptSrc, path).not.toContain("unsafe-eval");
        expect(csp, path).toContain("object-src 'none'");
        expect(csp, path).toContain("base-uri 'self'");
        expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
        expect(res.headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
        expect(res.headers.get("permissions-policy"), path).toMatch(
          /camera=\(\).*microphone=\(\).*geolocation=\(\)/,
        );
        expect(res.headers.get("strict-transport-security"), path).toBe(
          production ? "max-age=63072000; includeSubDomains" : null,
        );
        if (path.startsWith("/f/")) {
          expect(csp, path).toContain("frame-ancestors *");
          expect(res.headers.get("x-frame-options"), path).toBeNull();
        } else {
          expect(csp, path).toContain("frame-ancestors 'none'");
          expect(res.headers.get("x-frame-options"), path).toBe("DENY");
        }
      }
      expect(nonces.size).toBe(PAGES.length);
    });
  }

  it("skips the JSON API only where no decoding is needed; next.config.ts gives it the API headers", async () => {
    for (const path of [
      "/api/v1/leads",
      "/api/v1/leads/0b8e0f43-1b7e-4f4e-9a57-1c1b2c3d4e5f",
      "/api/v1/openapi.json",
      "/api/trpc/auth.session",
      "/api/trpc/leads.list,leads.count",
      "/api/health",
    ])
      expect(matched(path), path).toBe(false);
    // Percent-encoding (broken or not) still meets the proxy's 400 before Next.js decodes it.
    for (const path of [
      "/api/v1/leads/%ff",
      "/api/v1/%ED%A0%80",
      "/api/v1/leads/abc%",
      "/api/trpc/leads.list%00",
      "/api/trpc/a/b",
      "/api/healthz",
      "/api/health/x",
    ])
      expect(matched(path), path).toBe(true);
    for (const production of [true, false]) {
      env.NODE_ENV = production ? "production" : "development";
      const rules = await nextConfig.headers!();
      for (const source of ["/api/v1/:path*", "/api/trpc/:path*", "/api/health"]) {
        const headers = Object.fromEntries(
          (rules.find((r) => r.source === source)?.headers ?? []).map((h) => [h.key.toLowerCase(), h.value]),
        );
        expect(headers["content-security-policy"], source).toContain("default-src 'none'");
        expect(headers["content-security-policy"], source).toContain("frame-ancestors 'none'");
        expect(headers["x-content-type-options"], source).toBe("nosniff");
        expect(headers["x-frame-options"], source).toBe("DENY");
        expect(headers["referrer-policy"], source).toBe("strict-origin-when-cross-origin");
        expect(headers["strict-transport-security"], source).toBe(
          production ? "max-age=63072000; includeSubDomains" : undefined,
        );
      }
    }
  });

  it("skips only static build assets", () => {
    for (const path of ["/_next/static/chunks/main.js", "/_next/image", "/favicon.ico"])
      expect(matched(path), path).toBe(false);
    for (const path of ["/robots.txt", "/u/some-token", "/invitations/abc", "/onboarding"])
      expect(matched(path), path).toBe(true);
  });
});

describe("CSRF on cookie-authenticated endpoints", () => {
  const forged = (path: string, headers: Record<string, string>) =>
    guardRequest(
      new NextRequest(`${BASE}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: "organic.session_token=x", ...headers },
        body: "{}",
      }),
    );

  it("refuses cross-site POSTs to tRPC and better-auth (Origin, null Origin or Sec-Fetch-Site)", async () => {
    for (const path of [
      "/api/trpc/apiKeys.create",
      "/api/trpc/webhooks.create",
      "/api/auth/change-password",
      "/api/auth/revoke-sessions",
      "/api/auth/sign-in/email",
    ]) {
      const variants: Record<string, string>[] = [
        { origin: "https://evil.example" },
        { origin: "null" },
        { origin: "http://localhost:3000.evil.example" },
        { "sec-fetch-site": "cross-site" },
        { "sec-fetch-site": "same-site" },
      ];
      for (const headers of variants) {
        const res = forged(path, headers);
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
        expect(await res.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
      }
      expect(forged(path, { origin: BASE }).status, path).toBe(200);
    }
  });

  it("leaves the key-authenticated REST API to its own rules (no cookies there)", () => {
    expect(forged("/api/v1/leads", { origin: "https://evil.example" }).status).toBe(200);
  });
});
