/**
 * Security headers for every response (applied in proxy.ts). Pure functions so tests can check the
 * policy without a server.
 */

export function generateNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/** The signup form is meant to be embedded on other sites; every other page refuses framing. */
export function isEmbeddable(pathname: string): boolean {
  return pathname.startsWith("/f/");
}

/**
 * Scripts only from us or carrying this request's nonce ('strict-dynamic' lets those load Next's
 * chunks); no 'unsafe-inline' for scripts. Inline style attributes stay allowed (Radix, motion and
 * toasts position elements with them; they cannot run code).
 */
export function contentSecurityPolicy(nonce: string, opts: { dev: boolean; embeddable: boolean }): string {
  const script = [`'self'`, `'nonce-${nonce}'`, `'strict-dynamic'`, ...(opts.dev ? [`'unsafe-eval'`] : [])];
  return [
    `default-src 'self'`,
    `script-src ${script.join(" ")}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' blob: data: https:`,
    `media-src 'self' blob: https:`,
    `font-src 'self' data:`,
    `connect-src 'self'${opts.dev ? " ws: wss:" : ""}`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `frame-src 'self'`,
    `frame-ancestors ${opts.embeddable ? "*" : "'none'"}`,
  ].join("; ");
}

export function securityHeaders(opts: {
  nonce: string;
  pathname: string;
  production: boolean;
}): Record<string, string> {
  const embeddable = isEmbeddable(opts.pathname);
  const headers: Record<string, string> = {
    "Content-Security-Policy": contentSecurityPolicy(opts.nonce, { dev: !opts.production, embeddable }),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  if (!embeddable) headers["X-Frame-Options"] = "DENY";
  if (opts.production) headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains";
  return headers;
}

/**
 * The headers of a route the proxy does not run for (PROXY_FREE_PATHS), set by next.config.ts:
 * the same set with a policy that allows nothing, since these answer JSON and never render a page.
 */
export function staticApiSecurityHeaders(production: boolean): Record<string, string> {
  const { "Content-Security-Policy": _nonced, ...rest } = securityHeaders({
    nonce: "",
    pathname: "/api",
    production,
  });
  return {
    "Content-Security-Policy":
      "default-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ...rest,
  };
}

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Routes the proxy does not run for, so a large body streams to the handler instead of being
 * buffered (and cut at 10 MB) by Next.js. Kept in step with the matcher in proxy.ts; each applies
 * the proxy's checks itself (server/upload-guard.ts) and gets its headers from next.config.ts.
 */
export const STREAMED_UPLOAD_PATHS = [
  "/api/media/upload",
  "/api/leads/import/upload",
  "/api/v1/leads/import",
];

/**
 * Routes the proxy may not run for, as next.config.ts `headers()` sources: the streamed uploads, and
 * the JSON APIs — the REST API (Bearer keys, never cookies: nothing for the CSRF check to guard),
 * tRPC (which applies the proxy's two refusals itself: proxyRefusal in server/upload-guard.ts) and the health
 * check; proxy.ts's matcher skips their paths that need no percent-decoding. The proxy's per-request
 * work (a Request built for it, its body buffered, a nonce nobody reads) was a fifth of the REST
 * routes' time and a quarter of tRPC's. Kept in step with the matcher in proxy.ts.
 */
export const PROXY_FREE_PATHS = [
  ...STREAMED_UPLOAD_PATHS,
  "/api/v1/:path*",
  "/api/trpc/:path*",
  "/api/health",
];

/** Cookie-authenticated routes that change state, beside tRPC and better-auth. */
const COOKIE_POST_PATHS = new Set(["/api/media/upload", "/api/leads/import/upload"]);

/** Cookie-authenticated endpoints: a cross-site request must not act with the visitor's session. */
export function needsSameOrigin(method: string, pathname: string): boolean {
  return (
    UNSAFE_METHODS.has(method.toUpperCase()) &&
    (pathname.startsWith("/api/trpc") || pathname.startsWith("/api/auth") || COOKIE_POST_PATHS.has(pathname))
  );
}

/**
 * Same-origin check for state-changing requests: the Origin header (sent by browsers on every
 * POST) must be one of ours; without Origin, Sec-Fetch-Site must not say cross-site. A request with
 * neither comes from a non-browser client, which cannot carry a visitor's cookies.
 */
export function isSameOriginRequest(headers: Headers, allowedOrigins: string[]): boolean {
  const origin = headers.get("origin");
  if (origin && origin !== "null") return allowedOrigins.includes(origin.replace(/\/$/, "").toLowerCase());
  if (origin === "null") return false;
  const site = headers.get("sec-fetch-site");
  return !site || site === "same-origin" || site === "none";
}

/**
 * Which origins are ours, one rule for the CSRF check in proxy.ts, better-auth's trusted origins and
 * the links a page or feed builds:
 * - APP_URL set: its origin only. Requests arriving under another name are refused.
 * - APP_URL unset: the address the browser used (the Host header, over http or https), so a first
 *   run works on localhost, 127.0.0.1 or a LAN address alike. X-Forwarded-Host/-Proto count only with
 *   TRUST_PROXY=true: otherwise any client could name any host.
 */
export interface OriginPolicy {
  appUrl?: string;
  trustProxy: boolean;
}

/** The policy from the environment (read directly: proxy.ts runs before the app's env is loaded). */
export function originPolicyFromEnv(e: Record<string, string | undefined> = process.env): OriginPolicy {
  const appUrl = e.APP_URL?.trim();
  return { appUrl: appUrl || undefined, trustProxy: e.TRUST_PROXY === "true" };
}

/** `host[:port]` as a browser would send it, lower-cased; null for anything else (paths, users, lists). */
function cleanHost(raw: string | null | undefined): string | null {
  const host = raw?.split(",")[0]?.trim().toLowerCase();
  if (!host || host.length > 255) return null;
  return /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(:\d{1,5})?$/.test(host) ? host : null;
}

function forwardedProto(headers: Headers): "http" | "https" | null {
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return proto === "http" || proto === "https" ? proto : null;
}

function appOrigin(appUrl: string): string | null {
  try {
    return new URL(appUrl).origin.toLowerCase();
  } catch {
    return null; // env validation reports a bad APP_URL at boot
  }
}

/** Origins a state-changing request may come from (compared with its Origin header). */
export function trustedOrigins(headers: Headers, policy: OriginPolicy): string[] {
  if (policy.appUrl) {
    const origin = appOrigin(policy.appUrl);
    return origin ? [origin] : [];
  }
  const origins: string[] = [];
  const host = cleanHost(headers.get("host"));
  // Without a trusted proxy the scheme is unknown (TLS may end in front of us); the host is what
  // ties the Origin to this server, and a cross-site page cannot send ours.
  if (host) origins.push(`http://${host}`, `https://${host}`);
  const forwarded = policy.trustProxy ? cleanHost(headers.get("x-forwarded-host")) : null;
  if (forwarded) {
    const proto = forwardedProto(headers);
    if (proto) origins.push(`${proto}://${forwarded}`);
    else origins.push(`http://${forwarded}`, `https://${forwarded}`);
  }
  return [...new Set(origins)];
}

/**
 * The base for links a response builds (feeds, sitemaps, canonical URLs, redirects): APP_URL, else
 * the request's own address under the rule above. Null when the request names no usable host. Never
 * for email: a message must not carry whatever host its trigger sent (use appUrl()).
 */
export function requestOrigin(headers: Headers, policy: OriginPolicy): string | null {
  if (policy.appUrl) return policy.appUrl.replace(/\/+$/, "");
  const forwarded = policy.trustProxy ? cleanHost(headers.get("x-forwarded-host")) : null;
  const host = forwarded ?? cleanHost(headers.get("host"));
  if (!host) return null;
  return `${(policy.trustProxy && forwardedProto(headers)) || "http"}://${host}`;
}
