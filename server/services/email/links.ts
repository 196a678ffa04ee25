import { createHmac } from "node:crypto";
import { safeEqual } from "@/lib/crypto";
import { derivedSecretKey } from "@/lib/secrets";

/**
 * Signed tokens for tracking and unsubscribe links. A token is `payload.signature`, both base64url;
 * the payload names what the link is for (open, click, unsubscribe), the ledger row (send id, or
 * "test" for a test send) and, for clicks, the destination. They do not expire: an unsubscribe link
 * must keep working long after the send (CAN-SPAM: 30 days at least).
 */
export type LinkKind = "o" | "c" | "u";

export type LinkPayload =
  | { kind: "o"; sendId: string }
  | { kind: "c"; sendId: string; url: string }
  | { kind: "u"; sendId: string };

/** What a test send puts where a ledger row's id would be: links work, nothing is recorded. */
export const TEST_SEND_ID = "test";

const signingKey = () => derivedSecretKey("email-links");

function sign(data: string): string {
  return createHmac("sha256", signingKey()).update(data).digest().subarray(0, 16).toString("base64url");
}

export function createLinkToken(p: LinkPayload): string {
  const fields = p.kind === "c" ? [p.kind, p.sendId, p.url] : [p.kind, p.sendId];
  const data = Buffer.from(fields.join("\n"), "utf8").toString("base64url");
  return `${data}.${sign(data)}`;
}

const SEND_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|test)$/;

/** The payload of a token whose signature checks out and whose kind is `kind`; null otherwise. */
export function verifyLinkToken<K extends LinkKind>(
  token: string,
  kind: K,
): Extract<LinkPayload, { kind: K }> | null {
  if (typeof token !== "string" || token.length > 8192) return null;
  const dot = token.indexOf(".");
  if (dot <= 0 || dot !== token.lastIndexOf(".")) return null;
  const data = token.slice(0, dot);
  if (!safeEqual(token.slice(dot + 1), sign(data))) return null;
  const fields = Buffer.from(data, "base64url").toString("utf8").split("\n");
  if (fields[0] !== kind || !SEND_ID.test(fields[1] ?? "")) return null;
  if (kind === "c") {
    const url = fields.slice(2).join("\n");
    if (!isTrackableUrl(url)) return null;
    return { kind, sendId: fields[1]!, url } as Extract<LinkPayload, { kind: K }>;
  }
  if (fields.length !== 2) return null;
  return { kind, sendId: fields[1]! } as Extract<LinkPayload, { kind: K }>;
}

/** Only absolute http(s) URLs are rewritten to (and redirected by) the click tracker. */
export function isTrackableUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

export function openPixelUrl(baseUrl: string, sendId: string) {
  return `${baseUrl}/api/track/open/${createLinkToken({ kind: "o", sendId })}`;
}

export function clickUrl(baseUrl: string, sendId: string, url: string) {
  return `${baseUrl}/api/track/click/${createLinkToken({ kind: "c", sendId, url })}`;
}

/** The token both unsubscribe URLs below carry (sign once, use twice). */
export function unsubscribeToken(sendId: string) {
  return createLinkToken({ kind: "u", sendId });
}

/** The page a person opens from the footer link (confirm, no login). */
export function unsubscribePageUrl(baseUrl: string, sendId: string) {
  return `${baseUrl}/u/${createLinkToken({ kind: "u", sendId })}`;
}

/** The RFC 8058 one-click endpoint mail providers POST to (List-Unsubscribe). */
export function oneClickUnsubscribeUrl(baseUrl: string, sendId: string) {
  return `${baseUrl}/api/unsubscribe/${createLinkToken({ kind: "u", sendId })}`;
}
