import type { z } from "zod";
import { env } from "@/lib/env";
import {
  AuthError,
  type Classification,
  type HttpResponse,
  httpJson,
  PermanentError,
  parseRetryAfter,
  QuotaError,
  TemporaryError,
} from "../http";
import {
  containerSchema,
  idSchema,
  insightsSchema,
  longTokenSchema,
  mediaListSchema,
  mediaSchema,
  meSchema,
  publishingLimitSchema,
  shortTokenSchema,
} from "./schemas";

export type { ContainerStatus, InstagramLongToken, InstagramMedia, InstagramShortToken } from "./schemas";

/**
 * Instagram API with Instagram Login (shared/api-contracts-2.md §2): Business Login OAuth (code →
 * short-lived token → long-lived token, refreshed with ig_refresh_token), Reels publishing
 * (container, status, media_publish, permalink, publishing limit) and media insights. Typed
 * requests, Zod on every answer, errors mapped to Temporary/Auth/Quota/Permanent through the base.
 */

const PROVIDER = "instagram";
export const INSTAGRAM_SCOPES = [
  "instagram_business_basic",
  "instagram_business_content_publish",
  "instagram_business_manage_insights",
] as const;

/** Error subcode Meta answers when the account reached its publishing limit. */
export const PUBLISHING_LIMIT_SUBCODE = 2207042;

/**
 * The insight metrics we ask for. Only current names: a retired one (`plays`, `impressions`,
 * `video_views`, `clips_replays_count`…) makes Meta refuse the whole request.
 */
export const INSIGHT_METRICS = [
  "views",
  "reach",
  "likes",
  "comments",
  "shares",
  "saved",
  "total_interactions",
] as const;

export interface InstagramAppCredentials {
  clientId: string;
  clientSecret: string;
}

export function instagramAppCredentials(): InstagramAppCredentials | null {
  const e = env();
  if (!e.INSTAGRAM_CLIENT_ID || !e.INSTAGRAM_CLIENT_SECRET) return null;
  return { clientId: e.INSTAGRAM_CLIENT_ID, clientSecret: e.INSTAGRAM_CLIENT_SECRET };
}

const trim = (u: string) => u.replace(/\/+$/, "");
const authBase = () => trim(env().INSTAGRAM_AUTH_BASE_URL);
const tokenBase = () => trim(env().INSTAGRAM_TOKEN_BASE_URL);
const graphBase = () => trim(env().INSTAGRAM_GRAPH_BASE_URL);
const graph = (path: string) => `${graphBase()}/${env().INSTAGRAM_API_VERSION}/${path}`;

/** Graph API codes: 190 dead token; 4/17/32/613 rate limits; 1/2 transient; subcode 2207042 the publishing limit. */
const AUTH_CODES = new Set([102, 190]);
const RATE_CODES = new Set([4, 17, 32, 613]);
const TRANSIENT_CODES = new Set([1, 2]);

/**
 * Meta reports failures as `{error: {message, type, code, error_subcode}}` (Graph) or, from the
 * OAuth token endpoint, flat `{error_type, code, error_message}`.
 */
export function classifyInstagram(res: HttpResponse): Classification | undefined {
  if (res.status >= 200 && res.status < 300) return undefined;
  const body = (res.body && typeof res.body === "object" ? res.body : {}) as Record<string, unknown>;
  const nested = (body.error && typeof body.error === "object" ? body.error : null) as Record<
    string,
    unknown
  > | null;
  const code = Number(nested?.code ?? body.code ?? Number.NaN);
  const subcode = Number(nested?.error_subcode ?? Number.NaN);
  const type = String(nested?.type ?? body.error_type ?? "");
  const message =
    (typeof nested?.error_user_msg === "string" && nested.error_user_msg) ||
    (typeof nested?.message === "string" && nested.message) ||
    (typeof body.error_message === "string" && body.error_message) ||
    `HTTP ${res.status}`;
  const init = {
    provider: PROVIDER,
    status: res.status,
    code: Number.isNaN(subcode)
      ? Number.isNaN(code)
        ? type || `http_${res.status}`
        : String(code)
      : String(subcode),
    retryAfterMs: parseRetryAfter(res.headers),
  };
  const text = `Instagram: ${message}`;
  if (subcode === PUBLISHING_LIMIT_SUBCODE) return { error: new QuotaError(text, init), retry: false };
  if (res.status >= 500 || res.status === 429 || RATE_CODES.has(code) || TRANSIENT_CODES.has(code)) {
    return { error: new TemporaryError(text, init), retry: true };
  }
  if (AUTH_CODES.has(code) || res.status === 401 || (type === "OAuthException" && !nested)) {
    return { error: new AuthError(text, init), retry: false };
  }
  return { error: new PermanentError(text, init), retry: false };
}

export function instagramAuthorizeUrl(p: { clientId: string; redirectUri: string; state: string }): string {
  const u = new URL(`${authBase()}/oauth/authorize`);
  u.searchParams.set("client_id", p.clientId);
  u.searchParams.set("redirect_uri", p.redirectUri);
  u.searchParams.set("response_type", "code");
  u.searchParams.set("scope", INSTAGRAM_SCOPES.join(","));
  u.searchParams.set("state", p.state);
  return u.toString();
}

/** Step 2: the code for a short-lived (1 h) token. */
export function exchangeInstagramCode(
  app: InstagramAppCredentials,
  p: { code: string; redirectUri: string },
) {
  return httpJson({
    provider: PROVIDER,
    url: `${tokenBase()}/oauth/access_token`,
    form: {
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: "authorization_code",
      redirect_uri: p.redirectUri,
      code: p.code,
    },
    schema: shortTokenSchema,
    classify: classifyInstagram,
    secrets: [app.clientSecret, p.code],
    // A code works once: a lost answer cannot be asked for again.
    retries: 0,
  });
}

/** Step 3 (server only: carries the app secret): the short-lived token for a 60-day one. */
export function exchangeLongLivedToken(app: InstagramAppCredentials, shortToken: string) {
  return httpJson({
    provider: PROVIDER,
    url: `${graphBase()}/access_token`,
    query: { grant_type: "ig_exchange_token", client_secret: app.clientSecret, access_token: shortToken },
    schema: longTokenSchema,
    classify: classifyInstagram,
    secrets: [app.clientSecret, shortToken],
  });
}

/** Step 4: a long-lived token at least 24 h old and unexpired, for a new 60-day one. */
export function refreshInstagramToken(longToken: string) {
  return httpJson({
    provider: PROVIDER,
    url: `${graphBase()}/refresh_access_token`,
    query: { grant_type: "ig_refresh_token", access_token: longToken },
    schema: longTokenSchema,
    classify: classifyInstagram,
    secrets: [longToken],
  });
}

function get<T>(
  accessToken: string,
  path: string,
  query: Record<string, string>,
  schema: z.ZodType<T>,
  timeoutMs?: number,
) {
  return httpJson({
    provider: PROVIDER,
    url: graph(path),
    query: { ...query, access_token: accessToken },
    schema,
    classify: classifyInstagram,
    secrets: [accessToken],
    timeoutMs,
  });
}

export async function getInstagramUser(accessToken: string) {
  const me = await get(accessToken, "me", { fields: "user_id,username,name" }, meSchema);
  return { userId: me.user_id ?? me.id ?? null, username: me.username ?? null, name: me.name ?? null };
}

/** The account's publishing limit: posts in the moving 24 h window, and how many it allows. */
export async function getPublishingLimit(accessToken: string, igUserId: string) {
  const since = Math.floor(Date.now() / 1000) - 86_400 + 60;
  const r = await get(
    accessToken,
    `${igUserId}/content_publishing_limit`,
    { fields: "quota_usage,config", since: String(since) },
    publishingLimitSchema,
  );
  const first = r.data[0]!;
  return {
    usage: first.quota_usage,
    total: first.config?.quota_total ?? null,
    durationSeconds: first.config?.quota_duration ?? 86_400,
  };
}

export interface ReelInput {
  videoUrl: string;
  caption: string;
  shareToFeed: boolean;
  thumbOffsetMs: number;
}

/** Creates a REELS container; Meta fetches `video_url` itself. Not retried in place (each try is a container). */
export async function createReelContainer(accessToken: string, igUserId: string, p: ReelInput) {
  const r = await httpJson({
    provider: PROVIDER,
    url: graph(`${igUserId}/media`),
    form: {
      media_type: "REELS",
      video_url: p.videoUrl,
      caption: p.caption,
      share_to_feed: String(p.shareToFeed),
      thumb_offset: String(p.thumbOffsetMs),
      access_token: accessToken,
    },
    schema: idSchema,
    classify: classifyInstagram,
    secrets: [accessToken],
    retries: 0,
  });
  return r.id;
}

export async function getContainerStatus(accessToken: string, containerId: string) {
  const r = await get(accessToken, containerId, { fields: "status_code,status" }, containerSchema);
  return { statusCode: r.status_code, status: r.status ?? null };
}

/** Publishes a FINISHED container. Never retried in place: a lost answer to a success is a second post. */
export async function publishContainer(accessToken: string, igUserId: string, containerId: string) {
  const r = await httpJson({
    provider: PROVIDER,
    method: "POST",
    url: graph(`${igUserId}/media_publish`),
    query: { creation_id: containerId, access_token: accessToken },
    schema: idSchema,
    classify: classifyInstagram,
    secrets: [accessToken],
    retries: 0,
  });
  return r.id;
}

export function getMedia(accessToken: string, mediaId: string) {
  return get(accessToken, mediaId, { fields: "id,permalink,timestamp,media_product_type" }, mediaSchema);
}

/** The account's newest media (first page), to find a Reel whose publish answer was lost. */
export async function listRecentMedia(accessToken: string, igUserId: string, limit = 25) {
  const r = await get(
    accessToken,
    `${igUserId}/media`,
    { fields: "id,caption,permalink,timestamp,media_type,media_product_type", limit: String(limit) },
    mediaListSchema,
  );
  return r.data;
}

/**
 * A media's insights, by name. An empty `data` (the figures are not ready, up to 48 h) is an
 * empty record, not zeros.
 */
export async function getMediaInsights(accessToken: string, mediaId: string) {
  const r = await get(
    accessToken,
    `${mediaId}/insights`,
    { metric: INSIGHT_METRICS.join(",") },
    insightsSchema,
  );
  const out: Partial<Record<(typeof INSIGHT_METRICS)[number], number>> = {};
  for (const m of r.data) {
    const value = m.values?.[0]?.value ?? m.total_value?.value;
    if (value !== undefined && (INSIGHT_METRICS as readonly string[]).includes(m.name)) {
      out[m.name as (typeof INSIGHT_METRICS)[number]] = value;
    }
  }
  return out;
}

/** Health: the app's credentials cannot be checked without a user token; the Graph host answering is what we can prove. */
export function pingGraph(timeoutMs?: number) {
  return httpJson({
    provider: PROVIDER,
    url: graph("me"),
    query: { fields: "id" },
    classify: (res) => (res.status >= 500 ? classifyInstagram(res) : undefined),
    okStatuses: [400, 401, 403],
    timeoutMs,
    retries: 0,
  });
}
