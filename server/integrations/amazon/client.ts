import { createHash } from "node:crypto";
import type { z } from "zod";
import { env } from "@/lib/env";
import {
  AuthError,
  type Classification,
  defaultClassification,
  type HttpResponse,
  httpJson,
  PermanentError,
  parseRetryAfter,
  providerMessage,
  TemporaryError,
} from "../http";
import { drainSpApiBucket, type SpApiOperation, takeSpApiToken } from "./rate-limit";
import { type AmazonRegion, REGION_HOSTS } from "./regions";
import {
  emptyResponse,
  getOrderResponse,
  listOrdersResponse,
  lwaTokenResponse,
  marketplaceParticipations,
  orders2026Response,
  ordersV0Response,
  previewResponse,
} from "./schemas";

/**
 * Amazon Selling Partner API client (shared/api-contracts.md, section C): Login with Amazon
 * refresh-token exchange, the access token cached per connection until shortly before it
 * expires, `x-amz-access-token` on every call (no SigV4), Zod on every answer, and SP-API errors
 * mapped to the shared typed errors — a 5xx or 429 is temporary and never disconnects anyone.
 */

export { AMAZON_REGIONS, type AmazonRegion, REGION_HOSTS } from "./regions";

export const USER_AGENT = "Organic/1.0 (Language=TypeScript)";
const PROVIDER = "amazon";
/** Refresh a little before Amazon says the token dies, so a request never carries a dying one. */
const EXPIRY_MARGIN_MS = 60_000;

export interface AmazonCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

export interface AmazonClientOptions {
  credentials: AmazonCredentials;
  region: AmazonRegion;
  /** Overrides (tests, sandbox); default from env, then the region's host. */
  baseUrl?: string;
  lwaUrl?: string;
  timeoutMs?: number;
  retries?: number;
  maxRetryWaitMs?: number;
  /** Longest a call waits for a pacing token (default amazonPacing.maxWaitMs); interactive calls wait less. */
  maxPacingWaitMs?: number;
}

interface CachedToken {
  accessToken: string;
  expiresAt: number;
}

const g = globalThis as unknown as {
  amazonTokens?: Map<string, CachedToken>;
  amazonTokenInflight?: Map<string, Promise<CachedToken>>;
  amazonLwaCalls?: number;
};
g.amazonTokens ??= new Map();
g.amazonTokenInflight ??= new Map();
const tokens = g.amazonTokens;
const inflight = g.amazonTokenInflight;

/** Test hooks: how many token exchanges this process made; forget cached tokens. */
export const lwaStats = {
  get calls() {
    return g.amazonLwaCalls ?? 0;
  },
};
export function clearAmazonTokenCache() {
  tokens.clear();
  inflight.clear();
}

export function spApiBaseUrl(region: AmazonRegion): string {
  return (env().AMAZON_SP_API_BASE_URL ?? REGION_HOSTS[region]).replace(/\/$/, "");
}

/** LWA says invalid_grant / invalid_client / unauthorized_client: these credentials are dead. */
function classifyLwa(res: HttpResponse): Classification | undefined {
  if (res.status >= 200 && res.status < 300) return undefined;
  const { code, message } = providerMessage(res.body);
  const init = { provider: PROVIDER, status: res.status, code, retryAfterMs: parseRetryAfter(res.headers) };
  if (res.status === 429 || res.status >= 500) return defaultClassification(PROVIDER, res);
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

/** SP-API: `{"errors":[{code,message,details}]}`; 403 Unauthorized means the token or grant is gone. */
function classifySpApi(res: HttpResponse): Classification | undefined {
  if (res.status >= 200 && res.status < 300) return undefined;
  const { code, message } = providerMessage(res.body);
  const init = { provider: PROVIDER, status: res.status, code, retryAfterMs: parseRetryAfter(res.headers) };
  if (res.status === 429 || res.status >= 500) {
    const text =
      res.status === 429
        ? `Amazon's rate limit was reached (${code ?? "QuotaExceeded"}); try again shortly`
        : `Amazon is having trouble (${res.status}${message ? `: ${message}` : ""})`;
    return { error: new TemporaryError(text, init), retry: true };
  }
  if (res.status === 401 || res.status === 403) {
    return {
      error: new AuthError(
        `Amazon refused access (${code ?? res.status}${message ? `: ${message}` : ""})`,
        init,
      ),
      retry: false,
    };
  }
  return {
    error: new PermanentError(message ? `Amazon: ${message}` : `Amazon answered ${res.status}`, init),
    retry: false,
  };
}

export class AmazonClient {
  readonly region: AmazonRegion;
  readonly baseUrl: string;
  private readonly lwaUrl: string;
  private readonly creds: AmazonCredentials;
  private readonly cacheKey: string;
  private readonly opts: AmazonClientOptions;

  constructor(opts: AmazonClientOptions) {
    this.opts = opts;
    this.creds = opts.credentials;
    this.region = opts.region;
    this.baseUrl = (opts.baseUrl ?? spApiBaseUrl(opts.region)).replace(/\/$/, "");
    this.lwaUrl = opts.lwaUrl ?? env().AMAZON_LWA_URL;
    // Per connection: the same credentials at the same LWA endpoint share one token.
    this.cacheKey = createHash("sha256")
      .update(`${this.lwaUrl}\n${this.creds.clientId}\n${this.creds.refreshToken}`)
      .digest("hex");
  }

  private get secrets() {
    return [this.creds.clientSecret, this.creds.refreshToken, tokens.get(this.cacheKey)?.accessToken];
  }

  /** A valid access token: the cached one, or one exchange (shared by concurrent callers). */
  async accessToken(): Promise<string> {
    const cached = tokens.get(this.cacheKey);
    if (cached && cached.expiresAt - EXPIRY_MARGIN_MS > Date.now()) return cached.accessToken;
    let pending = inflight.get(this.cacheKey);
    if (!pending) {
      pending = this.exchange().finally(() => inflight.delete(this.cacheKey));
      inflight.set(this.cacheKey, pending);
    }
    return (await pending).accessToken;
  }

  private async exchange(): Promise<CachedToken> {
    g.amazonLwaCalls = (g.amazonLwaCalls ?? 0) + 1;
    const body = await httpJson({
      provider: PROVIDER,
      method: "POST",
      url: this.lwaUrl,
      headers: { "user-agent": USER_AGENT },
      form: {
        grant_type: "refresh_token",
        refresh_token: this.creds.refreshToken,
        client_id: this.creds.clientId,
        client_secret: this.creds.clientSecret,
      },
      schema: lwaTokenResponse,
      classify: classifyLwa,
      secrets: [this.creds.clientSecret, this.creds.refreshToken],
      timeoutMs: this.opts.timeoutMs,
      retries: this.opts.retries,
      maxRetryWaitMs: this.opts.maxRetryWaitMs,
    });
    const token = { accessToken: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
    tokens.set(this.cacheKey, token);
    return token;
  }

  /** One SP-API call. A 403 first drops the cached token and tries once more with a fresh one. */
  async call<T>(
    method: "GET" | "POST" | "PUT",
    path: string,
    p: {
      query?: Record<string, string | number | undefined>;
      json?: unknown;
      schema: z.ZodType<T>;
      /** The operation's token bucket to take from first (client-side pacing). */
      op?: SpApiOperation;
    },
    fresh = false,
  ): Promise<T> {
    if (p.op && !fresh) await takeSpApiToken(this.cacheKey, p.op, this.opts.maxPacingWaitMs);
    const token = await this.accessToken();
    try {
      return await httpJson({
        provider: PROVIDER,
        method,
        url: `${this.baseUrl}${path}`,
        query: p.query,
        json: p.json,
        headers: { "x-amz-access-token": token, "user-agent": USER_AGENT },
        schema: p.schema,
        classify: classifySpApi,
        secrets: this.secrets,
        timeoutMs: this.opts.timeoutMs,
        retries: this.opts.retries,
        maxRetryWaitMs: this.opts.maxRetryWaitMs,
      });
    } catch (err) {
      if (err instanceof AuthError && !fresh) {
        tokens.delete(this.cacheKey);
        return this.call(method, path, p, true);
      }
      if (p.op && err instanceof TemporaryError && err.status === 429) drainSpApiBucket(this.cacheKey, p.op);
      throw err;
    }
  }

  // ---- Sellers ----
  marketplaceParticipations() {
    return this.call("GET", "/sellers/v1/marketplaceParticipations", {
      schema: marketplaceParticipations,
      op: "getMarketplaceParticipations",
    });
  }

  // ---- Orders ----
  /** v0: exactly one of CreatedAfter / LastUpdatedAfter; a NextToken page carries only the token. */
  ordersV0(p: { marketplaceId: string; lastUpdatedAfter: string; nextToken?: string }) {
    const query = p.nextToken
      ? { MarketplaceIds: p.marketplaceId, NextToken: p.nextToken }
      : { MarketplaceIds: p.marketplaceId, LastUpdatedAfter: p.lastUpdatedAfter, MaxResultsPerPage: 100 };
    return this.call("GET", "/orders/v0/orders", { query, schema: ordersV0Response, op: "getOrders" });
  }

  orders2026(p: { marketplaceId: string; lastUpdatedAfter: string; paginationToken?: string }) {
    const query = {
      marketplaceIds: p.marketplaceId,
      lastUpdatedAfter: p.lastUpdatedAfter,
      maxResultsPerPage: 100,
      paginationToken: p.paginationToken,
      // Totals and status are opt-in datasets in 2026-01-01 (orders_2026-01-01.json `includedData`).
      includedData: "PROCEEDS,FULFILLMENT",
    };
    return this.call("GET", "/orders/2026-01-01/orders", {
      query,
      schema: orders2026Response,
      op: "searchOrders",
    });
  }

  // ---- Multi-Channel Fulfillment (fulfillmentOutbound 2020-07-01) ----
  previewFulfillment(body: unknown) {
    return this.call("POST", "/fba/outbound/2020-07-01/fulfillmentOrders/preview", {
      json: body,
      schema: previewResponse,
      op: "getFulfillmentPreview",
    });
  }

  createFulfillmentOrder(body: unknown) {
    return this.call("POST", "/fba/outbound/2020-07-01/fulfillmentOrders", {
      json: body,
      schema: emptyResponse,
      op: "createFulfillmentOrder",
    });
  }

  listFulfillmentOrders(p: { queryStartDate?: string; nextToken?: string }) {
    return this.call("GET", "/fba/outbound/2020-07-01/fulfillmentOrders", {
      query: { queryStartDate: p.queryStartDate, nextToken: p.nextToken },
      schema: listOrdersResponse,
      op: "listAllFulfillmentOrders",
    });
  }

  getFulfillmentOrder(sellerFulfillmentOrderId: string) {
    return this.call(
      "GET",
      `/fba/outbound/2020-07-01/fulfillmentOrders/${encodeURIComponent(sellerFulfillmentOrderId)}`,
      { schema: getOrderResponse, op: "getFulfillmentOrder" },
    );
  }

  cancelFulfillmentOrder(sellerFulfillmentOrderId: string) {
    return this.call(
      "PUT",
      `/fba/outbound/2020-07-01/fulfillmentOrders/${encodeURIComponent(sellerFulfillmentOrderId)}/cancel`,
      { schema: emptyResponse, op: "cancelFulfillmentOrder" },
    );
  }
}
