import { type NextRequest, NextResponse } from "next/server";
import { featureOffMessage } from "@/lib/features";
import {
  crossSiteRefusedResponse,
  isMalformedTarget,
  malformedTargetResponse,
  REQUEST_PATH_HEADER,
} from "@/lib/request-guard";
import {
  generateNonce,
  isSameOriginRequest,
  needsSameOrigin,
  originPolicyFromEnv,
  securityHeaders,
  trustedOrigins,
} from "@/lib/security-headers";
import { blogPageFillMark, blogPageFromCache, isBlogPageFill } from "@/server/blog-page-cache";
import { switchedOffPath } from "@/server/features";

/** Our own origins, by the rule better-auth also uses (lib/security-headers.ts: trustedOrigins). */
export function allowedOrigins(request: NextRequest): string[] {
  let headers = request.headers;
  // HTTP/1.1 always sends Host; a request without one is judged by the address it was sent to.
  if (!headers.has("host")) {
    headers = new Headers(headers);
    headers.set("host", request.nextUrl.host);
  }
  return trustedOrigins(headers, originPolicyFromEnv());
}

/**
 * Every request goes through guardRequest; a public blog page that is not switched off is answered
 * from the blog page cache (server/blog-page-cache.ts), which renders it through guardRequest too.
 */
export async function proxy(request: NextRequest): Promise<Response> {
  if (isBlogPageFill(request)) {
    const response = guardRequest(request);
    response.headers.set(...blogPageFillMark());
    return response;
  }
  if (
    !switchedOffPath(request.nextUrl.pathname) &&
    !isMalformedTarget(request.nextUrl.pathname, request.nextUrl.search)
  ) {
    const cached = await blogPageFromCache(request);
    if (cached) return cached;
  }
  return guardRequest(request);
}

/**
 * Refuse a path or query that cannot be decoded to clean text (400), refuse cross-site state changes
 * to cookie-authenticated endpoints (CSRF), then set a fresh CSP nonce (forwarded to rendering
 * through the request headers, where Next.js picks it up for its own scripts) and the security
 * headers.
 */
export function guardRequest(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (isMalformedTarget(pathname, request.nextUrl.search)) return malformedTargetResponse();
  if (
    needsSameOrigin(request.method, pathname) &&
    !isSameOriginRequest(request.headers, allowedOrigins(request))
  ) {
    return crossSiteRefusedResponse();
  }

  const nonce = generateNonce();
  const headers = securityHeaders({ nonce, pathname, production: process.env.NODE_ENV === "production" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", headers["Content-Security-Policy"]!);
  // The page asked for, so a signed-out visit can come back to it after sign-in (server/page-context.ts).
  // Always set here: a client cannot pass its own.
  requestHeaders.set(REQUEST_PATH_HEADER, pathname + request.nextUrl.search);
  const response =
    switchedOffResponse(request, requestHeaders) ??
    NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/**
 * A part switched off by its ENABLE_* flag (lib/features.ts): its public paths are a 404, its
 * dashboard pages show the workspace's "turned off" page in their place.
 */
function switchedOffResponse(request: NextRequest, requestHeaders: Headers): NextResponse | null {
  const off = switchedOffPath(request.nextUrl.pathname);
  if (!off) return null;
  if (off.kind === "public") {
    return new NextResponse(featureOffMessage(off.feature), {
      status: 404,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  }
  const url = request.nextUrl.clone();
  url.pathname = `/${request.nextUrl.pathname.split("/")[1]}/turned-off/${off.feature}`;
  return NextResponse.rewrite(url, { request: { headers: requestHeaders } });
}

/**
 * Next.js buffers the body of every request the proxy runs for, and cuts it at 10 MB
 * (proxyClientMaxBodySize): an import or video past that arrived truncated. The upload routes are
 * left out (STREAMED_UPLOAD_PATHS) so their bodies stream straight to the handler; they apply the
 * same checks themselves (server/upload-guard.ts). REST API paths made only of characters that
 * need no decoding (/api/v1/leads, /api/v1/leads/<uuid>: Bearer keys only, so nothing for the CSRF
 * check to guard), tRPC's plain paths (/api/trpc/leads.list, a batch /api/trpc/a,b: the route makes
 * the two refusals itself, proxyRefusal in server/upload-guard.ts) and /api/health are left out for speed; a path with percent-encoding still comes
 * here, since Next.js's own decoding of a broken one would answer 500 before any handler. All of them get their
 * headers from next.config.ts (PROXY_FREE_PATHS).
 */
export const config = {
  matcher: [
    {
      source:
        "/((?!_next/static|_next/image|favicon.ico|icon.svg|api/media/upload$|api/leads/import/upload$|api/v1/[A-Za-z0-9/._~-]*$|api/trpc/[A-Za-z0-9.,]*$|api/health$).*)",
    },
  ],
};
