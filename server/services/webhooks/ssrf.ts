import { env } from "@/lib/env";
import { guardedFetch, isPrivateHost } from "@/server/http/guarded-fetch";

/**
 * Webhook endpoints are URLs a workspace types in: they are checked when saved (below) and again at
 * connect time by the guarded HTTP path (server/http/guarded-fetch.ts), which holds the address rules.
 */
export {
  BlockedAddressError,
  createGuardedLookup,
  isPrivateAddress,
} from "@/server/http/guarded-fetch";

export function privateAddressesAllowed(): boolean {
  return env().WEBHOOKS_ALLOW_PRIVATE;
}

/** Why a URL can never be a webhook endpoint, or null. Resolution is checked again at connect time. */
export function webhookUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Enter a full URL, e.g. https://example.com/webhooks";
  }
  const allowPrivate = privateAddressesAllowed();
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) {
    return "Webhook URLs must use https://";
  }
  if (url.username || url.password) return "Webhook URLs must not contain a user name or password";
  if (!allowPrivate && isPrivateHost(url.hostname)) {
    return "Webhook URLs must not point to a private or loopback address";
  }
  return null;
}

export interface PostResult {
  status: number;
  body: string;
}

const MAX_RESPONSE_BYTES = 4096;

/**
 * POSTs `body` without following redirects (a redirect could point anywhere), keeping at most a few
 * KB of the answer. Private addresses are refused unless WEBHOOKS_ALLOW_PRIVATE=true.
 */
export async function postWebhook(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs = 10_000,
): Promise<PostResult> {
  const problem = webhookUrlProblem(rawUrl);
  if (problem) throw new Error(problem);
  const res = await guardedFetch(rawUrl, {
    method: "POST",
    headers,
    body,
    timeoutMs,
    allowPrivate: privateAddressesAllowed(),
    maxResponseBytes: MAX_RESPONSE_BYTES,
    onTooLarge: "truncate",
  });
  return { status: res.status, body: (await res.text()).slice(0, MAX_RESPONSE_BYTES) };
}
