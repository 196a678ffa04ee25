import { env } from "@/lib/env";
import { type GoogleAppCredentials, googleAppCredentials, googleOAuth } from "../google-oauth";
import {
  AuthError,
  type Classification,
  type HttpResponse,
  httpJson,
  httpRequest,
  PermanentError,
  parseRetryAfter,
  providerMessage,
  QuotaError,
  TemporaryError,
} from "../http";
import { channelListSchema, videoListSchema, videoSchema, type YouTubeVideo } from "./schemas";

export type { YouTubeToken, YouTubeVideo } from "./schemas";

/**
 * YouTube Data API v3 for Shorts (shared/api-contracts-2.md §1): Google OAuth with this feature's
 * own scopes (the Gmail Google app), the resumable upload protocol (session, 256 KiB-multiple
 * chunks, 308 + Range, resume probe), videos.list for processing status and statistics, and
 * channels.list to name the account. Typed requests, Zod on every answer, errors mapped to
 * Temporary/Auth/Quota/Permanent through the shared base. Quota units are counted by the service.
 */

const PROVIDER = "youtube";
export const YOUTUBE_SCOPES = [
  "https://www.googleapis.com/auth/youtube.upload",
  "https://www.googleapis.com/auth/youtube.readonly",
] as const;
/** Every chunk but the last is a multiple of this (262,144 B). */
export const CHUNK_UNIT = 256 * 1024;
/** Units per call (api-contracts-2 §1 Quota: videos.insert changed 1,600 → ~100 on 2025-12-04). */
export const YOUTUBE_COSTS = { insert: 100, list: 1 };
/** Ids per videos.list call. */
export const LIST_BATCH = 50;

export type { GoogleAppCredentials };
/** YouTube signs in with the same Google app as Gmail. */
export const youtubeAppCredentials = googleAppCredentials;
export const youtubeApiBase = () => env().YOUTUBE_API_BASE_URL.replace(/\/+$/, "");

const RATE_REASONS = new Set(["rateLimitExceeded", "userRateLimitExceeded"]);

/** YouTube's error rules (Google JSON errors, flat OAuth errors on the token endpoint). */
export function classifyYouTube(res: HttpResponse): Classification | undefined {
  if ((res.status >= 200 && res.status < 300) || res.status === 308) return undefined;
  const { code: reason, message } = providerMessage(res.body);
  const code = reason ?? `http_${res.status}`;
  const init = { provider: PROVIDER, status: res.status, code, retryAfterMs: parseRetryAfter(res.headers) };
  const text = `YouTube: ${message ?? `HTTP ${res.status}`}`;
  if (code === "quotaExceeded") return { error: new QuotaError(text, init), retry: false };
  if (code === "uploadLimitExceeded") return { error: new QuotaError(text, init), retry: false };
  if (res.status === 429 || res.status >= 500 || RATE_REASONS.has(code))
    return { error: new TemporaryError(text, init), retry: true };
  if (res.status === 401 || code === "invalid_grant")
    return { error: new AuthError(text, init), retry: false };
  if (code === "youtubeSignupRequired") {
    const words =
      "YouTube: this Google account has no YouTube channel yet; create one on youtube.com, then connect again";
    return { error: new PermanentError(words, init), retry: false };
  }
  return { error: new PermanentError(text, init), retry: false };
}

/** On an upload session, 404 and 410 mean the session expired (Postiz; YouTube's wording UNCONFIRMED). */
function classifySession(res: HttpResponse): Classification | undefined {
  if (res.status === 404 || res.status === 410) {
    const init = { provider: PROVIDER, status: res.status, code: "session_expired" };
    return { error: new PermanentError("YouTube: the upload session expired", init), retry: false };
  }
  return classifyYouTube(res);
}

export const isSessionExpired = (err: unknown) =>
  err instanceof PermanentError && err.code === "session_expired";

const oauth = googleOAuth({
  provider: PROVIDER,
  scopes: YOUTUBE_SCOPES,
  classify: (res) => classifyYouTube(res),
});
export const youtubeAuthorizeUrl = oauth.authorizeUrl;
export const exchangeYouTubeCode = oauth.exchangeCode;
export const refreshYouTubeToken = oauth.refreshToken;
export const revokeYouTubeToken = oauth.revokeToken;

const authed = (accessToken: string) => ({ authorization: `Bearer ${accessToken}` });

/** channels.list?part=snippet&mine=true (1 unit): the connected channel's id and title. */
export async function getMyChannel(accessToken: string) {
  const r = await httpJson({
    provider: PROVIDER,
    url: `${youtubeApiBase()}/youtube/v3/channels`,
    query: { part: "snippet", mine: "true" },
    headers: authed(accessToken),
    schema: channelListSchema,
    classify: classifyYouTube,
    secrets: [accessToken],
  });
  const c = r.items[0];
  return c ? { id: c.id, title: c.snippet?.title ?? null } : null;
}

export interface VideoMetadata {
  snippet: { title: string; description: string; tags?: string[]; categoryId?: string };
  status: {
    privacyStatus: string;
    publishAt?: string;
    selfDeclaredMadeForKids: boolean;
    containsSyntheticMedia?: boolean;
  };
}

/**
 * Step 1 of the resumable protocol (videos.insert): opens an upload session and returns its URI.
 * Creates no video (that happens at the final byte), so a lost answer costs only quota; not retried
 * in place because every call is charged.
 */
export async function startUploadSession(
  accessToken: string,
  p: { metadata: VideoMetadata; total: number; contentType: string; notifySubscribers: boolean },
) {
  const res = await httpRequest({
    provider: PROVIDER,
    url: `${youtubeApiBase()}/upload/youtube/v3/videos`,
    query: {
      uploadType: "resumable",
      part: "snippet,status",
      notifySubscribers: p.notifySubscribers ? undefined : "false",
    },
    json: p.metadata,
    headers: {
      ...authed(accessToken),
      "x-upload-content-length": String(p.total),
      "x-upload-content-type": p.contentType,
    },
    classify: classifyYouTube,
    secrets: [accessToken],
    retries: 0,
  });
  const location = res.headers.get("location");
  if (!location) {
    throw new TemporaryError("YouTube did not return an upload session address", {
      provider: PROVIDER,
      status: res.status,
      code: "malformed_response",
    });
  }
  const uri = new URL(location, youtubeApiBase());
  // The session address comes from the answer: only ever send the video to YouTube's own host.
  if (uri.origin !== new URL(youtubeApiBase()).origin) {
    throw new PermanentError("YouTube returned an upload address on another host", {
      provider: PROVIDER,
      code: "foreign_session",
    });
  }
  return uri.toString();
}

export type UploadProgress = { done: false; next: number } | { done: true; video: YouTubeVideo };

/** 308 Resume Incomplete: resume after the last byte YouTube kept (`Range: bytes=0-<last>`); none kept without a Range. */
function progressOf(res: HttpResponse): UploadProgress {
  if (res.status === 308) {
    const last = /bytes=0-(\d+)/.exec(res.headers.get("range") ?? "")?.[1];
    return { done: false, next: last === undefined ? 0 : Number(last) + 1 };
  }
  const video = videoSchema.safeParse(res.body);
  if (!video.success) {
    throw new TemporaryError("YouTube finished the upload but sent an unexpected answer", {
      provider: PROVIDER,
      status: res.status,
      code: "malformed_response",
    });
  }
  return { done: true, video: video.data };
}

/** Steps 3–4: one chunk with its Content-Range. Not retried in place: the caller probes and resumes. */
export async function putChunk(
  sessionUri: string,
  accessToken: string,
  p: { bytes: Uint8Array; first: number; last: number; total: number; contentType: string },
): Promise<UploadProgress> {
  const res = await httpRequest({
    provider: PROVIDER,
    method: "PUT",
    url: sessionUri,
    body: p.bytes,
    headers: {
      ...authed(accessToken),
      "content-type": p.contentType,
      "content-range": `bytes ${p.first}-${p.last}/${p.total}`,
    },
    okStatuses: [308],
    classify: classifySession,
    secrets: [accessToken, sessionUri],
    timeoutMs: 120_000,
    retries: 0,
  });
  return progressOf(res);
}

/** Step 5: an empty PUT with `Content-Range: bytes *\/total` asks how far the session got. */
export async function probeUpload(sessionUri: string, accessToken: string, total: number) {
  const res = await httpRequest({
    provider: PROVIDER,
    method: "PUT",
    url: sessionUri,
    body: "",
    headers: { ...authed(accessToken), "content-range": `bytes */${total}` },
    okStatuses: [308],
    classify: classifySession,
    secrets: [accessToken, sessionUri],
  });
  return progressOf(res);
}

/** videos.list by id (1 unit per call, at most LIST_BATCH ids): status/processingDetails or statistics. */
export async function listVideos(accessToken: string, ids: string[], part: string) {
  if (ids.length > LIST_BATCH) throw new Error(`videos.list takes at most ${LIST_BATCH} ids`);
  const r = await httpJson({
    provider: PROVIDER,
    url: `${youtubeApiBase()}/youtube/v3/videos`,
    query: { part, id: ids.join(","), maxResults: LIST_BATCH },
    headers: authed(accessToken),
    schema: videoListSchema,
    classify: classifyYouTube,
    secrets: [accessToken],
  });
  return r.items;
}
