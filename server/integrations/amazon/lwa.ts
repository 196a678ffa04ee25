import "server-only";
import { createHash } from "node:crypto";
import {
  AuthError,
  type Classification,
  defaultClassification,
  type HttpResponse,
  httpJson,
  PermanentError,
  parseRetryAfter,
  providerMessage,
} from "../http";
import { lwaTokenResponse } from "./schemas";

/*
 * Login with Amazon (LWA): the refresh-token → access-token exchange SP-API and the Ads API share.
 * One cached token per (token endpoint, client id, refresh token), renewed a minute before Amazon
 * says it dies; concurrent callers share one exchange.
 */

export const LWA_USER_AGENT = "Organic/1.0 (Language=TypeScript)";
/** Refresh a little before Amazon says the token dies, so a request never carries a dying one. */
const EXPIRY_MARGIN_MS = 60_000;

export interface LwaCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

interface CachedToken {
  accessToken: string;
  expiresAt: number;
}

const g = globalThis as unknown as {
  lwaTokens?: Map<string, CachedToken>;
  lwaInflight?: Map<string, Promise<CachedToken>>;
  lwaCalls?: Map<string, number>;
};
g.lwaTokens ??= new Map();
g.lwaInflight ??= new Map();
g.lwaCalls ??= new Map();
const tokens = g.lwaTokens;
const inflight = g.lwaInflight;
const calls = g.lwaCalls;

/** Test hooks: how many exchanges this process made for `provider`; forget its cached tokens. */
export function lwaCallCount(provider: string): number {
  return calls.get(provider) ?? 0;
}
export function clearLwaTokens(provider: string) {
  for (const map of [tokens, inflight] as Map<string, unknown>[])
    for (const key of [...map.keys()]) if (key.startsWith(`${provider}\n`)) map.delete(key);
}

/** LWA says invalid_grant / invalid_client / unauthorized_client: these credentials are dead. */
function classifyLwa(provider: string, res: HttpResponse): Classification | undefined {
  if (res.status >= 200 && res.status < 300) return undefined;
  const { code, message } = providerMessage(res.body);
  const init = { provider, status: res.status, code, retryAfterMs: parseRetryAfter(res.headers) };
  if (res.status === 429 || res.status >= 500) return defaultClassification(provider, res);
  if (
    res.status === 401 ||
    code === "invalid_grant" ||
    code === "invalid_client" ||
    code === "unauthorized_client"
  ) {
    return {
      error: new AuthError(
        `Login with Amazon refused the credentials (${code ?? res.status}${message && message !== code ? `: ${message}` : ""})`,
        init,
      ),
      retry: false,
    };
  }
  return {
    error: new PermanentError(
      `Login with Amazon answered ${res.status}: ${message ?? code ?? "error"}`,
      init,
    ),
    retry: false,
  };
}

/** One set of LWA credentials at one token endpoint: its access token, cached and shared. */
export class LwaTokens {
  /** Per connection: the same credentials at the same endpoint share one token (and pacing key). */
  readonly cacheKey: string;
  private readonly key: string;

  constructor(
    private readonly p: {
      provider: string;
      tokenUrl: string;
      credentials: LwaCredentials;
      timeoutMs?: number;
      retries?: number;
      maxRetryWaitMs?: number;
    },
  ) {
    this.cacheKey = createHash("sha256")
      .update(`${p.tokenUrl}\n${p.credentials.clientId}\n${p.credentials.refreshToken}`)
      .digest("hex");
    this.key = `${p.provider}\n${this.cacheKey}`;
  }

  /** What must never appear in a log or an error: the secret, the grant, the current token. */
  get secrets(): (string | undefined)[] {
    const c = this.p.credentials;
    return [c.clientSecret, c.refreshToken, tokens.get(this.key)?.accessToken];
  }

  /** A valid access token: the cached one, or one exchange shared by concurrent callers. */
  async accessToken(): Promise<string> {
    const cached = tokens.get(this.key);
    if (cached && cached.expiresAt - EXPIRY_MARGIN_MS > Date.now()) return cached.accessToken;
    let pending = inflight.get(this.key);
    if (!pending) {
      pending = this.exchange().finally(() => inflight.delete(this.key));
      inflight.set(this.key, pending);
    }
    return (await pending).accessToken;
  }

  /** Forgets the cached token (the API refused it): the next call exchanges again. */
  forget() {
    tokens.delete(this.key);
  }

  private async exchange(): Promise<CachedToken> {
    const { provider, credentials: c } = this.p;
    calls.set(provider, (calls.get(provider) ?? 0) + 1);
    const body = await httpJson({
      provider,
      method: "POST",
      url: this.p.tokenUrl,
      headers: { "user-agent": LWA_USER_AGENT },
      form: {
        grant_type: "refresh_token",
        refresh_token: c.refreshToken,
        client_id: c.clientId,
        client_secret: c.clientSecret,
      },
      schema: lwaTokenResponse,
      classify: (res) => classifyLwa(provider, res),
      secrets: [c.clientSecret, c.refreshToken],
      timeoutMs: this.p.timeoutMs,
      retries: this.p.retries,
      maxRetryWaitMs: this.p.maxRetryWaitMs,
    });
    const token = { accessToken: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
    tokens.set(this.key, token);
    return token;
  }
}
