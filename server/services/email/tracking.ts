import { eq } from "drizzle-orm";
import type { Db } from "@/server/db";
import { emailEvents, emailSends } from "@/server/db/schema";
import { TEST_SEND_ID, verifyLinkToken } from "./links";

/** A transparent 1×1 GIF. */
export const PIXEL_GIF = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

export interface TrackRequest {
  ip: string | null;
  userAgent: string | null;
  headers: Headers;
}

// Image proxies that fetch on the reader's behalf (or before they read), and link scanners.
const MACHINE_UA =
  /GoogleImageProxy|ggpht\.com|YahooMailProxy|Yahoo! Slurp|Outlook-iOS-Android|Microsoft Office|Mimecast|Barracuda|Proofpoint|ppops|Symantec|MessageLabs|Trend ?Micro|FireEye|Forcepoint|SafeLinks|bot\b|crawler|spider|preview|HeadlessChrome|PhantomJS|curl\/|Wget|python-requests|python-urllib|Go-http-client|okhttp|Java\/|libwww|node-fetch|axios|undici/i;
// Apple Mail Privacy Protection loads images through a proxy with a bare WebKit user agent (no Safari/Version).
const APPLE_MPP =
  /^Mozilla\/5\.0 \(Macintosh; Intel Mac OS X [\d_]+\) AppleWebKit\/[\d.]+ \(KHTML, like Gecko\)$/;

/** How soon after delivery a click is a scanner following every link rather than a person. */
export const MACHINE_CLICK_MS = 2000;

export function isMachineRequest(
  r: Pick<TrackRequest, "userAgent" | "headers">,
  p: { type: "open" | "click"; sentAt: Date | null; now?: Date },
): boolean {
  const ua = r.userAgent?.trim() ?? "";
  if (!ua) return true;
  if (MACHINE_UA.test(ua) || APPLE_MPP.test(ua)) return true;
  const purpose = `${r.headers.get("purpose") ?? ""} ${r.headers.get("sec-purpose") ?? ""} ${r.headers.get("x-purpose") ?? ""} ${r.headers.get("x-moz") ?? ""}`;
  if (/prefetch|preview|prerender/i.test(purpose)) return true;
  if (p.type === "click" && p.sentAt) {
    const elapsed = (p.now ?? new Date()).getTime() - p.sentAt.getTime();
    if (elapsed >= 0 && elapsed < MACHINE_CLICK_MS) return true;
  }
  return false;
}

const INET = /^[0-9a-fA-F:.]{2,45}$/;

async function recordEvent(
  db: Db,
  sendId: string,
  type: "open" | "click",
  r: TrackRequest,
  url: string | null,
): Promise<boolean> {
  if (sendId === TEST_SEND_ID) return false;
  const [send] = await db
    .select({
      workspaceId: emailSends.workspaceId,
      campaignId: emailSends.campaignId,
      leadId: emailSends.leadId,
      sentAt: emailSends.sentAt,
    })
    .from(emailSends)
    .where(eq(emailSends.id, sendId));
  if (!send) return false;
  await db.insert(emailEvents).values({
    workspaceId: send.workspaceId,
    sendId,
    campaignId: send.campaignId,
    leadId: send.leadId,
    type,
    url: url?.slice(0, 4000) ?? null,
    isMachine: isMachineRequest(r, { type, sentAt: send.sentAt }),
    ipAddress: r.ip && INET.test(r.ip) ? r.ip : null,
    userAgent: r.userAgent?.slice(0, 1000) ?? null,
  });
  return true;
}

/** An open pixel load: records the open (flagged when a machine fetched it). False for a bad token. */
export async function trackOpen(db: Db, token: string, r: TrackRequest, record = true): Promise<boolean> {
  const payload = verifyLinkToken(token, "o");
  if (!payload) return false;
  if (record) await recordEvent(db, payload.sendId, "open", r, null);
  return true;
}

/**
 * A click: the destination signed into the token (null for a bad or tampered token — answer 400,
 * never redirect to a URL the token did not sign) after recording the click.
 */
export async function trackClick(
  db: Db,
  token: string,
  r: TrackRequest,
  record = true,
): Promise<string | null> {
  const payload = verifyLinkToken(token, "c");
  if (!payload) return null;
  if (record) await recordEvent(db, payload.sendId, "click", r, payload.url);
  return payload.url;
}
