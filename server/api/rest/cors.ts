import "server-only";
import { env } from "@/lib/env";

/**
 * CORS for /api/v1 only (tRPC sends none): origins listed in `API_CORS_ORIGINS` (comma list, `*`
 * for any) may call the API from a browser with a Bearer key. No credentials: the API never reads
 * cookies, so `Access-Control-Allow-Credentials` is never sent.
 */
export function corsHeaders(request: Request): Record<string, string> {
  const origin = request.headers.get("origin");
  if (!origin) return {};
  const allowed = env().API_CORS_ORIGINS;
  const o = origin.replace(/\/$/, "").toLowerCase();
  if (!allowed.includes("*") && !allowed.includes(o)) return {};
  return {
    "access-control-allow-origin": allowed.includes("*") ? "*" : origin,
    "access-control-expose-headers":
      "Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Idempotent-Replayed, Location",
    vary: "Origin",
  };
}

/** Answer to a preflight: allowed origin → 204 with the methods and headers; otherwise 204 without them (the browser refuses). */
export function preflightResponse(request: Request): Response {
  const base = corsHeaders(request);
  const headers: Record<string, string> = { ...base, vary: "Origin" };
  if (base["access-control-allow-origin"]) {
    headers["access-control-allow-methods"] = "GET, POST, PATCH, DELETE, OPTIONS";
    headers["access-control-allow-headers"] = "Authorization, Content-Type, Idempotency-Key";
    headers["access-control-max-age"] = "600";
  }
  return new Response(null, { status: 204, headers });
}
