import type { z } from "zod";
import { env } from "@/lib/env";
import { clearLwaTokens, LWA_USER_AGENT, type LwaCredentials, LwaTokens, lwaCallCount } from "../amazon/lwa";
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
import { ADS_REGION_ENDPOINTS, type AmazonRegion } from "./regions";
import {
  advertisersResponse,
  profilesResponse,
  publishersResponse,
  reportResponse,
  tagsResponse,
} from "./schemas";

/**
 * Amazon Ads API client for Amazon Attribution (docs/AMAZON-ATTRIBUTION.md): Login with Amazon
 * (refresh token → access token, cached per grant until shortly before it expires), `Authorization: Bearer`, `Amazon-Advertising-API-ClientId` and the profile in
 * `Amazon-Advertising-API-Scope` on every call, Zod on every answer. Every request goes through the
 * shared HTTP path (server/integrations/http.ts): timeouts, retries on 429/5xx honouring
 * Retry-After, typed errors; a 401 drops the cached token and tries once more with a fresh one.
 */

export { ADS_REGION_ENDPOINTS, AMAZON_REGIONS, type AmazonRegion } from "./regions";

export const USER_AGENT = LWA_USER_AGENT;
const PROVIDER = "amazon-ads";

export type AmazonAdsCredentials = LwaCredentials;

export interface AmazonAdsClientOptions {
  credentials: AmazonAdsCredentials;
  region: AmazonRegion;
  /** Overrides (tests, sandbox); default from env, then the region's host. */
  baseUrl?: string;
  tokenUrl?: string;
  timeoutMs?: number;
  retries?: number;
  maxRetryWaitMs?: number;
}

export type AttributionReportType = "PERFORMANCE" | "PRODUCTS";
export type AttributionGroupBy = "CAMPAIGN" | "ADGROUP" | "CREATIVE";

/** The metrics Organic keeps (14-day click attribution); both report types carry these names. */
export const PERFORMANCE_METRICS = [
  "Click-throughs",
  "attributedDetailPageViewsClicks14d",
  "attributedAddToCartClicks14d",
  "attributedPurchases14d",
  "unitsSold14d",
  "attributedSales14d",
] as const;
export const PRODUCTS_METRICS = PERFORMANCE_METRICS.filter((m) => m !== "Click-throughs");

/** Test hooks: token exchanges made by this process; forget cached tokens. */
export const adsLwaStats = {
  get calls() {
    return lwaCallCount(PROVIDER);
  },
};
export function clearAmazonAdsTokenCache() {
  clearLwaTokens(PROVIDER);
}

export function adsApiBaseUrl(region: AmazonRegion): string {
  return (env().AMAZON_ADS_API_BASE_URL ?? ADS_REGION_ENDPOINTS[region].api).replace(/\/$/, "");
}
/** North America's is the endpoint SP-API uses (AMAZON_LWA_URL); Europe and Far East have their own. */
export function adsTokenUrl(region: AmazonRegion): string {
  const e = env();
  return e.AMAZON_ADS_TOKEN_URL ?? (region === "na" ? e.AMAZON_LWA_URL : ADS_REGION_ENDPOINTS[region].token);
}

/** Ads API errors: `{code, details}` (MaaSError) or `{code, message}`; LWA's are OAuth's. */
function adsMessage(body: unknown): { code?: string; message?: string } {
  const known = providerMessage(body);
  if (known.code || known.message) return known;
  if (!body || typeof body !== "object") return {};
  const b = body as Record<string, unknown>;
  const code = typeof b.code === "string" ? b.code : undefined;
  const message =
    (typeof b.details === "string" && b.details) || (typeof b.message === "string" && b.message) || undefined;
  return { code, message };
}

function classifyAds(res: HttpResponse): Classification | undefined {
  if (res.status >= 200 && res.status < 300) return undefined;
  const { code, message } = adsMessage(res.body);
  const init = { provider: PROVIDER, status: res.status, code, retryAfterMs: parseRetryAfter(res.headers) };
  if (res.status === 429 || res.status >= 500) {
    const text =
      res.status === 429
        ? "Amazon Ads' rate limit was reached; try again shortly"
        : `Amazon Ads is having trouble (${res.status}${message ? `: ${message}` : ""})`;
    return { error: new TemporaryError(text, init), retry: true };
  }
  if (res.status === 401) {
    return {
      error: new AuthError(`Amazon Ads refused the token (${message ?? code ?? "unauthorized"})`, init),
      retry: false,
    };
  }
  return {
    error: new PermanentError(
      message ? `Amazon Ads: ${message}` : `Amazon Ads answered ${res.status}${code ? ` (${code})` : ""}`,
      init,
    ),
    retry: false,
  };
}

export class AmazonAdsClient {
  readonly region: AmazonRegion;
  readonly baseUrl: string;
  private readonly creds: AmazonAdsCredentials;
  private readonly lwa: LwaTokens;
  private readonly opts: AmazonAdsClientOptions;

  constructor(opts: AmazonAdsClientOptions) {
    this.opts = opts;
    this.creds = opts.credentials;
    this.region = opts.region;
    this.baseUrl = (opts.baseUrl ?? adsApiBaseUrl(opts.region)).replace(/\/$/, "");
    this.lwa = new LwaTokens({
      provider: PROVIDER,
      tokenUrl: opts.tokenUrl ?? adsTokenUrl(opts.region),
      credentials: opts.credentials,
      timeoutMs: opts.timeoutMs,
      retries: opts.retries,
      maxRetryWaitMs: opts.maxRetryWaitMs,
    });
  }

  private get secrets() {
    return this.lwa.secrets;
  }

  /** A valid access token: the cached one, or one exchange shared by concurrent callers. */
  accessToken(): Promise<string> {
    return this.lwa.accessToken();
  }

  /** One Ads API call; `profileId` goes in Amazon-Advertising-API-Scope (all but /v2/profiles). */
  async call<T>(
    method: "GET" | "POST",
    path: string,
    p: {
      profileId?: string;
      query?: Record<string, string | number | undefined>;
      json?: unknown;
      schema: z.ZodType<T>;
    },
    fresh = false,
  ): Promise<T> {
    const token = await this.accessToken();
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      "amazon-advertising-api-clientid": this.creds.clientId,
      "user-agent": USER_AGENT,
    };
    if (p.profileId) headers["amazon-advertising-api-scope"] = p.profileId;
    try {
      return await httpJson({
        provider: PROVIDER,
        method,
        url: `${this.baseUrl}${path}`,
        query: p.query,
        json: p.json,
        headers,
        schema: p.schema,
        classify: classifyAds,
        secrets: this.secrets,
        timeoutMs: this.opts.timeoutMs,
        retries: this.opts.retries,
        maxRetryWaitMs: this.opts.maxRetryWaitMs,
      });
    } catch (err) {
      // An access token Amazon no longer takes (expired early, revoked): one fresh exchange.
      if (err instanceof AuthError && !fresh) {
        this.lwa.forget();
        return this.call(method, path, p, true);
      }
      throw err;
    }
  }

  profiles() {
    return this.call("GET", "/v2/profiles", { schema: profilesResponse });
  }

  advertisers(profileId: string) {
    return this.call("GET", "/attribution/advertisers", { profileId, schema: advertisersResponse });
  }

  publishers(profileId: string) {
    return this.call("GET", "/attribution/publishers", { profileId, schema: publishersResponse });
  }

  /** The publisher's tag for the advertiser: a macro tag, or a non-macro template with placeholders. */
  async tag(p: { profileId: string; advertiserId: string; publisherId: string; macro: boolean }) {
    const path = p.macro ? "/attribution/tags/macroTag" : "/attribution/tags/nonMacroTemplateTag";
    const body = await this.call("GET", path, {
      profileId: p.profileId,
      query: { publisherIds: p.publisherId, advertiserIds: p.advertiserId },
      schema: tagsResponse,
    });
    return body.advertiserAttributionTagMap[p.advertiserId]?.[p.publisherId] ?? null;
  }

  /** One page of an Attribution report; pass the previous page's cursorId for the next. */
  report(p: {
    profileId: string;
    advertiserId: string;
    reportType: AttributionReportType;
    groupBy?: AttributionGroupBy;
    startDate: string;
    endDate: string;
    cursorId?: string;
    count?: number;
  }) {
    const body: Record<string, unknown> = {
      reportType: p.reportType,
      advertiserIds: p.advertiserId,
      startDate: p.startDate,
      endDate: p.endDate,
      count: p.count ?? 5000,
      cursorId: p.cursorId ?? "",
      metrics: (p.reportType === "PRODUCTS" ? PRODUCTS_METRICS : PERFORMANCE_METRICS).join(","),
    };
    // PRODUCTS reports refuse groupBy (always ad group level).
    if (p.reportType === "PERFORMANCE") body.groupBy = p.groupBy ?? "CREATIVE";
    return this.call("POST", "/attribution/report", {
      profileId: p.profileId,
      json: body,
      schema: reportResponse,
    });
  }
}
