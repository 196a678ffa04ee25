import { isIP } from "node:net";
import { appUrl } from "@/lib/env";
import { originPolicyFromEnv, requestOrigin } from "@/lib/security-headers";

/** The caller's IP from proxy headers (first hop), or null when absent or malformed. */
export function clientIp(headers: Headers): string | null {
  const raw = headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip")?.trim();
  if (!raw) return null;
  const ip = raw.startsWith("::ffff:") ? raw.slice(7) : raw;
  return isIP(ip) ? ip : null;
}

/**
 * Base URL for links a response hands back (feeds, sitemaps, canonical URLs, redirects, the API docs
 * page): APP_URL, else the request's own Host (X-Forwarded-* only with TRUST_PROXY=true), else the
 * configured address. Links in emails use appUrl() instead, never a request.
 */
export function requestBaseUrl(headers: Headers): string {
  return requestOrigin(headers, originPolicyFromEnv()) ?? appUrl();
}
