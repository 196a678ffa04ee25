import { env } from "@/lib/env";

/**
 * Why a production server cannot send campaigns yet, or null when it can: every link in a
 * campaign (one-click unsubscribe, tracking, the view-online page) is built from APP_URL, and
 * without an https one they point at `http://HOST:PORT` — dead for readers, and a broken
 * List-Unsubscribe that Gmail and Yahoo hold against the sender (RFC 8058 wants https).
 * Development and tests send to local addresses and are not held to it.
 */
export function campaignLinkProblem(): string | null {
  const e = env();
  if (e.NODE_ENV !== "production") return null;
  if (!e.APP_URL) {
    return "Campaigns can't be sent from this server yet: set APP_URL to its public https address (for example https://marketing.example.com) and restart. Unsubscribe and tracking links in emails are built from it; without it they would point at this machine's own address.";
  }
  if (new URL(e.APP_URL).protocol !== "https:") {
    return `Campaigns can't be sent from this server yet: APP_URL (${e.APP_URL}) is not https. Set APP_URL to the server's public https address and restart — one-click unsubscribe links must use https.`;
  }
  return null;
}
