import { env } from "@/lib/env";
import {
  AuthError,
  type Classification,
  type HttpResponse,
  httpJson,
  httpRequest,
  PermanentError,
  parseRetryAfter,
  QuotaError,
  TemporaryError,
} from "../http";
import type { TikTokCreatorInfo } from "./schemas";
import {
  clientTokenSchema,
  creatorInfoSchema,
  initSchema,
  statusSchema,
  tokenSchema,
  userInfoSchema,
  videoListSchema,
} from "./schemas";

export type { TikTokCreatorInfo, TikTokToken, TikTokVideo } from "./schemas";

/**
 * TikTok API v2 (shared/api-contracts.md §A): Login Kit OAuth with PKCE, Content Posting (creator
 * info, direct post init, chunk upload, status) and the Display API video list. Typed requests,
 * Zod on every answer, errors mapped to Temporary/Auth/Quota/Permanent through the shared base.
 */

const PROVIDER = "tiktok";
export const TIKTOK_SCOPES = ["user.info.basic", "video.publish", "video.upload", "video.list"] as const;
export const MIN_CHUNK = 5 * 1024 * 1024;
export const MAX_CHUNK = 64 * 1024 * 1024;
const DEFAULT_CHUNK = 10 * 1024 * 1024;

export interface TikTokAppCredentials {
  clientKey: string;
  clientSecret: string;
}

export function tiktokAppCredentials(): TikTokAppCredentials | null {
  const e = env();
  if (!e.TIKTOK_CLIENT_KEY || !e.TIKTOK_CLIENT_SECRET) return null;
  return { clientKey: e.TIKTOK_CLIENT_KEY, clientSecret: e.TIKTOK_CLIENT_SECRET };
}

const apiBase = () => env().TIKTOK_API_BASE_URL.replace(/\/+$/, "");
const authBase = () => env().TIKTOK_AUTH_BASE_URL.replace(/\/+$/, "");

const AUTH_CODES = new Set(["access_token_invalid", "scope_not_authorized", "invalid_grant"]);
const QUOTA_CODES = new Set([
  "spam_risk_too_many_posts",
  "spam_risk_too_many_pending_share",
  "spam_risk_user_banned_from_posting",
  "reached_active_user_cap",
]);

/** TikTok reports failures in a body (`error.code` in the envelope, or a flat OAuth `error`). */
export function classifyTikTok(res: HttpResponse): Classification | undefined {
  const body = (res.body && typeof res.body === "object" ? res.body : {}) as Record<string, unknown>;
  let code: string | undefined;
  let message: string | undefined;
  if (typeof body.error === "string") {
    code = body.error;
    message = typeof body.error_description === "string" ? body.error_description : body.error;
  } else if (body.error && typeof body.error === "object") {
    const e = body.error as Record<string, unknown>;
    if (typeof e.code === "string" && e.code !== "ok") {
      code = e.code;
      message = typeof e.message === "string" && e.message ? e.message : e.code;
    }
  }
  const ok = res.status >= 200 && res.status < 300;
  if (!code) {
    if (ok) return undefined;
    code =
      res.status >= 500
        ? "internal_error"
        : res.status === 429
          ? "rate_limit_exceeded"
          : `http_${res.status}`;
  }
  const init = { provider: PROVIDER, status: res.status, code, retryAfterMs: parseRetryAfter(res.headers) };
  const text = `TikTok: ${message ?? code}`;
  if (
    code === "rate_limit_exceeded" ||
    code === "internal_error" ||
    res.status >= 500 ||
    res.status === 429
  ) {
    return { error: new TemporaryError(text, init), retry: true };
  }
  if (AUTH_CODES.has(code) || res.status === 401) return { error: new AuthError(text, init), retry: false };
  if (QUOTA_CODES.has(code)) return { error: new QuotaError(text, init), retry: false };
  return { error: new PermanentError(text, init), retry: false };
}

export function tiktokAuthorizeUrl(p: {
  clientKey: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
}): string {
  const u = new URL(`${authBase()}/v2/auth/authorize/`);
  u.searchParams.set("client_key", p.clientKey);
  u.searchParams.set("scope", TIKTOK_SCOPES.join(","));
  u.searchParams.set("redirect_uri", p.redirectUri);
  u.searchParams.set("state", p.state);
  u.searchParams.set("response_type", "code");
  u.searchParams.set("code_challenge", p.codeChallenge);
  u.searchParams.set("code_challenge_method", "S256");
  return u.toString();
}

export function exchangeTikTokCode(
  app: TikTokAppCredentials,
  p: { code: string; redirectUri: string; codeVerifier: string },
) {
  return httpJson({
    provider: PROVIDER,
    url: `${apiBase()}/v2/oauth/token/`,
    form: {
      client_key: app.clientKey,
      client_secret: app.clientSecret,
      code: p.code,
      grant_type: "authorization_code",
      redirect_uri: p.redirectUri,
      code_verifier: p.codeVerifier,
    },
    schema: tokenSchema,
    classify: classifyTikTok,
    secrets: [app.clientSecret, p.code, p.codeVerifier],
  });
}

export function refreshTikTokToken(app: TikTokAppCredentials, refreshToken: string) {
  return httpJson({
    provider: PROVIDER,
    url: `${apiBase()}/v2/oauth/token/`,
    form: {
      client_key: app.clientKey,
      client_secret: app.clientSecret,
      grant_type: "refresh_token",
      refresh_token: refreshToken,
    },
    schema: tokenSchema,
    classify: classifyTikTok,
    secrets: [app.clientSecret, refreshToken],
  });
}

export async function revokeTikTokToken(app: TikTokAppCredentials, token: string) {
  await httpRequest({
    provider: PROVIDER,
    url: `${apiBase()}/v2/oauth/revoke/`,
    form: { client_key: app.clientKey, client_secret: app.clientSecret, token },
    classify: classifyTikTok,
    secrets: [app.clientSecret, token],
    retries: 1,
  });
}

/** Client-credentials token: proves the app's key and secret work (health check). */
export function tiktokClientToken(app: TikTokAppCredentials, timeoutMs?: number) {
  return httpJson({
    provider: PROVIDER,
    url: `${apiBase()}/v2/oauth/token/`,
    form: { client_key: app.clientKey, client_secret: app.clientSecret, grant_type: "client_credentials" },
    schema: clientTokenSchema,
    classify: classifyTikTok,
    secrets: [app.clientSecret],
    timeoutMs,
    retries: 0,
  });
}

function authed(accessToken: string) {
  return { authorization: `Bearer ${accessToken}` };
}

export async function getTikTokUser(accessToken: string) {
  const r = await httpJson({
    provider: PROVIDER,
    url: `${apiBase()}/v2/user/info/`,
    query: { fields: "open_id,display_name,avatar_url" },
    headers: authed(accessToken),
    schema: userInfoSchema,
    classify: classifyTikTok,
    secrets: [accessToken],
  });
  return r.data.user;
}

export const PRIVACY_LEVELS = [
  "PUBLIC_TO_EVERYONE",
  "MUTUAL_FOLLOW_FRIENDS",
  "FOLLOWER_OF_CREATOR",
  "SELF_ONLY",
] as const;

export async function queryCreatorInfo(accessToken: string): Promise<TikTokCreatorInfo> {
  const r = await httpJson({
    provider: PROVIDER,
    url: `${apiBase()}/v2/post/publish/creator_info/query/`,
    json: {},
    headers: authed(accessToken),
    schema: creatorInfoSchema,
    classify: classifyTikTok,
    secrets: [accessToken],
  });
  return r.data;
}

export interface ChunkPlan {
  videoSize: number;
  chunkSize: number;
  totalChunkCount: number;
  /** Inclusive byte ranges, in upload order; the last chunk takes the remainder. */
  chunks: Array<{ first: number; last: number }>;
}

/**
 * TikTok's chunk rules: files under 5 MB go whole; otherwise chunks of 5–64 MB,
 * total_chunk_count = floor(size / chunk_size) (1–1000), the remainder riding on the last chunk
 * (which may reach 128 MB).
 */
export function planChunks(videoSize: number, preferredChunk = DEFAULT_CHUNK): ChunkPlan {
  if (!Number.isInteger(videoSize) || videoSize <= 0) throw new Error("The video is empty");
  if (videoSize < MIN_CHUNK) {
    return {
      videoSize,
      chunkSize: videoSize,
      totalChunkCount: 1,
      chunks: [{ first: 0, last: videoSize - 1 }],
    };
  }
  let chunkSize = Math.min(Math.max(preferredChunk, MIN_CHUNK, Math.ceil(videoSize / 1000)), MAX_CHUNK);
  chunkSize = Math.min(chunkSize, videoSize);
  const count = Math.floor(videoSize / chunkSize);
  if (count > 1000) throw new Error("The video is too large for TikTok (over 1,000 chunks of 64 MB)");
  const chunks = Array.from({ length: count }, (_, i) => ({
    first: i * chunkSize,
    last: i === count - 1 ? videoSize - 1 : (i + 1) * chunkSize - 1,
  }));
  return { videoSize, chunkSize, totalChunkCount: count, chunks };
}

export interface PostInfo {
  title: string;
  privacy_level: string;
  disable_duet: boolean;
  disable_comment: boolean;
  disable_stitch: boolean;
  video_cover_timestamp_ms: number;
}

export async function initDirectPost(
  accessToken: string,
  p: {
    postInfo: PostInfo;
    source: { kind: "FILE_UPLOAD"; plan: ChunkPlan } | { kind: "PULL_FROM_URL"; url: string };
  },
) {
  const source_info =
    p.source.kind === "FILE_UPLOAD"
      ? {
          source: "FILE_UPLOAD",
          video_size: p.source.plan.videoSize,
          chunk_size: p.source.plan.chunkSize,
          total_chunk_count: p.source.plan.totalChunkCount,
        }
      : { source: "PULL_FROM_URL", video_url: p.source.url };
  const r = await httpJson({
    provider: PROVIDER,
    url: `${apiBase()}/v2/post/publish/video/init/`,
    json: { post_info: p.postInfo, source_info },
    headers: authed(accessToken),
    schema: initSchema,
    classify: classifyTikTok,
    secrets: [accessToken],
    // Never retried in place: a lost answer to a successful init would create a second post.
    retries: 0,
  });
  return r.data;
}

export async function uploadChunk(
  uploadUrl: string,
  p: { bytes: Uint8Array; first: number; last: number; total: number; contentType: string },
) {
  await httpRequest({
    provider: PROVIDER,
    method: "PUT",
    url: uploadUrl,
    body: p.bytes,
    headers: {
      "content-type": p.contentType,
      "content-range": `bytes ${p.first}-${p.last}/${p.total}`,
    },
    classify: classifyTikTok,
    timeoutMs: 120_000,
  });
}

export const PUBLISH_STATUSES = [
  "PROCESSING_UPLOAD",
  "PROCESSING_DOWNLOAD",
  "SEND_TO_USER_INBOX",
  "PUBLISH_COMPLETE",
  "FAILED",
] as const;

export async function fetchPublishStatus(accessToken: string, publishId: string) {
  const r = await httpJson({
    provider: PROVIDER,
    url: `${apiBase()}/v2/post/publish/status/fetch/`,
    json: { publish_id: publishId },
    headers: authed(accessToken),
    schema: statusSchema,
    classify: classifyTikTok,
    secrets: [accessToken],
  });
  return {
    status: r.data.status,
    failReason: r.data.fail_reason ?? null,
    postId: r.data.publicaly_available_post_id?.length ? String(r.data.publicaly_available_post_id[0]) : null,
  };
}

const VIDEO_FIELDS =
  "id,title,create_time,cover_image_url,share_url,view_count,like_count,comment_count,share_count";
export async function listVideosPage(accessToken: string, cursor?: number) {
  const r = await httpJson({
    provider: PROVIDER,
    url: `${apiBase()}/v2/video/list/`,
    query: { fields: VIDEO_FIELDS },
    json: cursor === undefined ? { max_count: 20 } : { cursor, max_count: 20 },
    headers: authed(accessToken),
    schema: videoListSchema,
    classify: classifyTikTok,
    secrets: [accessToken],
  });
  return r.data;
}
