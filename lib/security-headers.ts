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
 * The headers of a route the proxy does not run for (STREAMED_UPLOAD_PATHS), set by next.config.ts:
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
