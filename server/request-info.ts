import { isIP } from "node:net";

/** The caller's IP from proxy headers (first hop), or null when absent or malformed. */
export function clientIp(headers: Headers): string | null {
  const raw = headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip")?.trim();
  if (!raw) return null;
  const ip = raw.startsWith("::ffff:") ? raw.slice(7) : raw;
  return isIP(ip) ? ip : null;
}
