import { env } from "@/lib/env";
import { type GoogleAppCredentials, googleAppCredentials, googleOAuth } from "../google-oauth";
import {
  AuthError,
  type Classification,
  type HttpResponse,
  httpJson,
  PermanentError,
  parseRetryAfter,
  providerMessage,
  QuotaError,
  TemporaryError,
} from "../http";
import { sendSchema } from "./schemas";

export type { GoogleToken } from "./schemas";

/**
 * Google OAuth (web server flow, offline access) and Gmail users.messages.send
 * (shared/api-contracts.md §B). Only the narrow gmail.send scope, plus openid/email to name the account.
 */

const PROVIDER = "gmail";
export const GMAIL_SCOPES = ["openid", "email", "https://www.googleapis.com/auth/gmail.send"];

export type { GoogleAppCredentials };

export { googleAppCredentials };

const gmailBase = () => env().GMAIL_API_BASE_URL.replace(/\/+$/, "");

const RATE_REASONS = new Set(["rateLimitExceeded", "userRateLimitExceeded"]);
const DAILY_REASONS = new Set(["dailyLimitExceeded", "quotaExceeded"]);

/** Gmail's error rules: 401 dead token; domainPolicy never retried; quotas held; 5xx retried. */
export function classifyGmail(res: HttpResponse): Classification | undefined {
  if (res.status >= 200 && res.status < 300) return undefined;
  const { code, message } = providerMessage(res.body);
  const retryAfterMs = parseRetryAfter(res.headers);
  const init = { provider: PROVIDER, status: res.status, code, retryAfterMs };
  const text = `Gmail: ${message ?? `HTTP ${res.status}`}`;
  if (res.status === 401 || code === "invalid_grant")
    return { error: new AuthError(text, init), retry: false };
  if (code === "domainPolicy") {
    return {
      error: new PermanentError(
        "Gmail: your Google Workspace administrator does not allow this app to send mail (domainPolicy)",
        init,
      ),
      retry: false,
    };
  }
  if (res.status === 429 || (res.status === 403 && code && RATE_REASONS.has(code))) {
    // The mail-sending limit can last hours: only a short in-place retry, then a hold.
    return { error: new QuotaError(text, init), retry: true };
  }
  if (res.status === 403 && code && DAILY_REASONS.has(code))
    return { error: new QuotaError(text, init), retry: false };
  if (res.status >= 500) return { error: new TemporaryError(text, init), retry: true };
  return { error: new PermanentError(text, init), retry: false };
}

const oauth = googleOAuth({
  provider: PROVIDER,
  scopes: GMAIL_SCOPES,
  classify: (res) => classifyGmail(res),
  includeGrantedScopes: true,
});
export const googleAuthorizeUrl = oauth.authorizeUrl;
export const exchangeGoogleCode = oauth.exchangeCode;
export const refreshGoogleToken = oauth.refreshToken;
export const revokeGoogleToken = oauth.revokeToken;

/** The email claim of an ID token received straight from Google's token endpoint over TLS. */
export function emailFromIdToken(idToken: string | undefined): string | null {
  if (!idToken) return null;
  try {
    const payload = JSON.parse(Buffer.from(idToken.split(".")[1] ?? "", "base64url").toString("utf8"));
    return typeof payload.email === "string" ? payload.email : null;
  } catch {
    return null;
  }
}

/** users.messages.send with the full RFC 2822 message, base64url-encoded (headers intact). */
export function sendGmailRaw(accessToken: string, rfc822: Buffer | string, maxRetryWaitMs = 10_000) {
  const raw = Buffer.from(rfc822).toString("base64url");
  return httpJson({
    provider: PROVIDER,
    url: `${gmailBase()}/gmail/v1/users/me/messages/send`,
    json: { raw },
    headers: { authorization: `Bearer ${accessToken}` },
    schema: sendSchema,
    classify: classifyGmail,
    secrets: [accessToken],
    maxRetryWaitMs,
  });
}
