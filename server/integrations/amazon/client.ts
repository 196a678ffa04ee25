import type { z } from "zod";
import { env } from "@/lib/env";
import {
  AuthError,
  type Classification,
  type HttpResponse,
  httpJson,
  PermanentError,
  parseRetryAfter,
  providerMessage,
  TemporaryError,
} from "../http";
import { clearLwaTokens, LWA_USER_AGENT, type LwaCredentials, LwaTokens, lwaCallCount } from "./lwa";
import { drainSpApiBucket, type SpApiOperation, takeSpApiToken } from "./rate-limit";
import { type AmazonRegion, REGION_HOSTS } from "./regions";
import {
  emptyResponse,
  getOrderResponse,
  listOrdersResponse,
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

export const USER_AGENT = LWA_USER_AGENT;
export { AMAZON_REGIONS, type AmazonRegion, REGION_HOSTS } from "./regions";

const PROVIDER = "amazon";

export type AmazonCredentials = LwaCredentials;

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

/** Test hooks: how many token exchanges this process made; forget cached tokens. */
export const lwaStats = {
  get calls() {
    return lwaCallCount(PROVIDER);
  },
};
export function clearAmazonTokenCache() {
  clearLwaTokens(PROVIDER);
}

export function spApiBaseUrl(region: AmazonRegion): string {
  return (env().AMAZON_SP_API_BASE_URL ?? REGION_HOSTS[region]).replace(/\/$/, "");
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
  private readonly lwa: LwaTokens;
  private readonly cacheKey: string;
  private readonly opts: AmazonClientOptions;

  constructor(opts: AmazonClientOptions) {
    this.opts = opts;
    this.region = opts.region;
    this.baseUrl = (opts.baseUrl ?? spApiBaseUrl(opts.region)).replace(/\/$/, "");
    this.lwa = new LwaTokens({
      provider: PROVIDER,
      tokenUrl: opts.lwaUrl ?? env().AMAZON_LWA_URL,
      credentials: opts.credentials,
      timeoutMs: opts.timeoutMs,
      retries: opts.retries,
      maxRetryWaitMs: opts.maxRetryWaitMs,
    });
    // Per connection: the same credentials at the same LWA endpoint share one token and one pace.
    this.cacheKey = this.lwa.cacheKey;
  }

  private get secrets() {
    return this.lwa.secrets;
  }

  /** A valid access token: the cached one, or one exchange (shared by concurrent callers). */
  accessToken(): Promise<string> {
    return this.lwa.accessToken();
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
        this.lwa.forget();
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
