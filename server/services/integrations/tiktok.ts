import { setTimeout as sleep } from "node:timers/promises";
import { and, eq, sql } from "drizzle-orm";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { content, contentMetricSnapshots, contentMetrics, mediaAssets } from "@/server/db/schema";
import { DomainError, ValidationError } from "@/server/errors";
import { AuthError, isIntegrationError, PermanentError, QuotaError } from "@/server/integrations/http";
import {
  exchangeTikTokCode,
  fetchPublishStatus,
  getTikTokUser,
  initDirectPost,
  listVideosPage,
  planChunks,
  queryCreatorInfo,
  refreshTikTokToken,
  revokeTikTokToken,
  type TikTokAppCredentials,
  type TikTokToken,
  type TikTokVideo,
  tiktokAppCredentials,
  tiktokAuthorizeUrl,
  uploadChunk,
} from "@/server/integrations/tiktok/client";
import { storageFor } from "@/server/storage";
import { logActivity } from "../activity";
import type { PreflightItem, PublishContext, PublishResult, TikTokPublisher } from "../content/publish";
import { PublishError, recordPublished } from "../content/publish";
import { consumeOAuthState, createOAuthState } from "./oauth-state";
import {
  deleteIntegrationRow,
  getIntegrationRow,
  type IntegrationRow,
  noteFailure,
  readSecrets,
  recordSync,
  saveConnection,
  updateSecrets,
} from "./store";

export interface TikTokSecrets {
  accessToken: string;
  refreshToken: string;
  refreshExpiresAt: string | null;
  openId: string | null;
  scope: string | null;
}

/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export const tiktokTiming = {
  pollBaseMs: 2_000,
  pollMaxMs: 30_000,
  /** How long one publish attempt waits for TikTok to finish; the next attempt resumes polling. */
  pollBudgetMs: 5 * 60_000,
};

export function tiktokEnabled() {
  return env().ENABLE_TIKTOK_INTEGRATION;
}

function appOrThrow(): TikTokAppCredentials {
  if (!tiktokEnabled())
    throw new DomainError("PRECONDITION_FAILED", "The TikTok integration is switched off on this server");
  const app = tiktokAppCredentials();
  if (!app) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "TikTok is not set up on this server: set TIKTOK_CLIENT_KEY and TIKTOK_CLIENT_SECRET",
    );
  }
  return app;
}

const tokenSecrets = (t: TikTokToken, previous?: TikTokSecrets | null): TikTokSecrets => ({
  accessToken: t.access_token,
  // TikTok may rotate the refresh token: always keep the newest one it gives.
  refreshToken: t.refresh_token || previous?.refreshToken || "",
  refreshExpiresAt: t.refresh_expires_in
    ? new Date(Date.now() + t.refresh_expires_in * 1000).toISOString()
    : (previous?.refreshExpiresAt ?? null),
  openId: t.open_id ?? previous?.openId ?? null,
  scope: t.scope ?? previous?.scope ?? null,
});

export async function startTikTokConnect(
  db: Db,
  p: { workspaceId: string; userId: string; baseUrl: string },
) {
  const app = appOrThrow();
  const redirectUri = `${p.baseUrl}/api/integrations/tiktok/callback`;
  const s = await createOAuthState(db, { ...p, provider: "tiktok", redirectUri });
  return {
    url: tiktokAuthorizeUrl({
      clientKey: app.clientKey,
      redirectUri,
      state: s.state,
      codeChallenge: s.codeChallenge,
    }),
  };
}

/** The callback: state checked and consumed, code exchanged, account stored encrypted. */
export async function completeTikTokConnect(
  db: Db,
  p: { state: string; code: string; userId: string; ip?: string | null; userAgent?: string | null },
) {
  const pending = await consumeOAuthState(db, { state: p.state, userId: p.userId, provider: "tiktok" });
  const app = appOrThrow();
  const token = await exchangeTikTokCode(app, {
    code: p.code,
    redirectUri: pending.redirectUri,
    codeVerifier: pending.codeVerifier,
  });
  const user = await getTikTokUser(token.access_token).catch((err) => {
    logger.warn({ err: String(err) }, "tiktok user info failed after connect");
    return null;
  });
  const row = await saveConnection(db, {
    workspaceId: pending.workspaceId,
    provider: "tiktok",
    accountName: user?.display_name ?? null,
    accountId: token.open_id ?? user?.open_id ?? null,
    secrets: tokenSecrets(token),
    settings: { scope: token.scope ?? null, avatarUrl: user?.avatar_url ?? null },
    tokenExpiresAt: new Date(Date.now() + token.expires_in * 1000),
    connectedBy: p.userId,
  });
  await logActivity(db, {
    workspaceId: pending.workspaceId,
    userId: p.userId,
    action: "integration.connected",
    entityType: "integration",
    entityId: row.id,
    metadata: { provider: "tiktok", account: row.accountName },
    ip: p.ip ?? null,
    userAgent: p.userAgent ?? null,
  });
  return { workspaceId: pending.workspaceId };
}

/**
 * A usable access token, refreshed when it is about to expire. Concurrent refreshes are settled
 * by an optimistic write on the previous secrets: the loser re-reads and uses the winner's token.
 */
export async function getTikTokAccess(
  db: Db,
  workspaceId: string,
): Promise<{ row: IntegrationRow; accessToken: string }> {
  for (let round = 0; round < 3; round++) {
    const row = await getIntegrationRow(db, workspaceId, "tiktok");
    const secrets = row ? readSecrets<TikTokSecrets>(row) : null;
    if (!row || !secrets || row.status === "disconnected") {
      throw new PublishError("Connect TikTok in Integrations to publish TikTok posts", false);
    }
    const expiresAt = row.tokenExpiresAt?.getTime() ?? 0;
    if (expiresAt - Date.now() > REFRESH_MARGIN_MS) return { row, accessToken: secrets.accessToken };
    const app = appOrThrow();
    let token: TikTokToken;
    try {
      token = await refreshTikTokToken(app, secrets.refreshToken);
    } catch (err) {
      if (err instanceof AuthError) {
        const again = await getIntegrationRow(db, workspaceId, "tiktok");
        if (again && again.secrets !== row.secrets) continue; // another process refreshed meanwhile
        await noteFailure(db, row, err);
      }
      throw err;
    }
    const next = tokenSecrets(token, secrets);
    const written = await updateSecrets(db, row, next, new Date(Date.now() + token.expires_in * 1000));
    if (written) return { row, accessToken: next.accessToken };
  }
  throw new PublishError("TikTok tokens kept changing while refreshing; try again", true);
}

export async function disconnectTikTok(db: Db, p: { workspaceId: string; userId: string | null }) {
  const row = await getIntegrationRow(db, p.workspaceId, "tiktok");
  if (!row) return { revoked: false };
  const secrets = readSecrets<TikTokSecrets>(row);
  const app = tiktokAppCredentials();
  let revoked = false;
  if (app && secrets) {
    // Best effort: a provider outage must not keep the account connected here.
    revoked = await revokeTikTokToken(app, secrets.accessToken).then(
      () => true,
      (err) => {
        logger.warn({ err: String(err) }, "tiktok revoke failed");
        return false;
      },
    );
  }
  await deleteIntegrationRow(db, p.workspaceId, "tiktok");
  await logActivity(db, {
    workspaceId: p.workspaceId,
    userId: p.userId,
    action: "integration.disconnected",
    entityType: "integration",
    entityId: row.id,
    metadata: { provider: "tiktok", revoked },
  });
  return { revoked };
}

/**
 * What the connected creator may post (TikTok asks apps to query this before every post and offer
 * only these options): null when TikTok is off or not connected. A provider failure is a 412 with
 * a message the editor can show, never a 500.
 */
export async function tiktokCreatorInfo(db: Db, workspaceId: string) {
  if (!tiktokEnabled()) return null;
  const existing = await getIntegrationRow(db, workspaceId, "tiktok");
  if (!existing || existing.status === "disconnected") return null;
  let row = existing;
  try {
    const access = await getTikTokAccess(db, workspaceId);
    row = access.row;
    const info = await queryCreatorInfo(access.accessToken);
    return {
      username: info.creator_username,
      nickname: info.creator_nickname ?? null,
      privacyLevels: info.privacy_level_options,
      commentDisabled: info.comment_disabled ?? false,
      duetDisabled: info.duet_disabled ?? false,
      stitchDisabled: info.stitch_disabled ?? false,
      maxDurationSec: info.max_video_post_duration_sec ?? null,
    };
  } catch (err) {
    await noteFailure(db, row, err);
    if (err instanceof AuthError || (err instanceof PublishError && !err.retryable)) {
      throw new DomainError(
        "PRECONDITION_FAILED",
        "TikTok needs to be reconnected in Integrations before posting (the authorization expired or was revoked)",
      );
    }
    if (isIntegrationError(err) || err instanceof PublishError) {
      throw new DomainError(
        "PRECONDITION_FAILED",
        `TikTok did not answer with this account's posting options right now; try again in a minute (${err.message})`,
      );
    }
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Publishing (the content hub's TikTokPublisher)

/** TikTok's `fail_reason` codes (Content Posting API, status/fetch) in words a creator can act on. */
const FAIL_REASONS: Record<string, string> = {
  file_format_check_failed: "the file format is not supported (use MP4, MOV or WebM)",
  duration_check_failed: "the video is longer than this account may post",
  frame_rate_check_failed: "the frame rate is not supported",
  picture_size_check_failed: "the picture size is not supported",
  internal: "an internal error at TikTok; try again",
  video_pull_failed: "it could not download the video from its URL",
  photo_pull_failed: "it could not download the photo from its URL",
  publish_cancelled: "the post was cancelled",
  auth_removed: "the app's access was removed in TikTok",
  spam_risk_too_many_posts: "the account posted too many times today",
  spam_risk_user_banned_from_posting: "the account is banned from posting",
  spam_risk_text: "the caption was flagged as spam",
  spam_risk: "the post was flagged as a spam risk",
};

export function describeFailReason(reason: string | null | undefined) {
  if (!reason) return "TikTok gave no reason";
  const words = FAIL_REASONS[reason];
  return words ? `${words} (${reason})` : reason;
}

const PRIVACY_WORDS: Record<string, string> = {
  PUBLIC_TO_EVERYONE: "Everyone",
  MUTUAL_FOLLOW_FRIENDS: "Friends",
  FOLLOWER_OF_CREATOR: "Followers",
  SELF_ONLY: "Only me",
};
const privacyWords = (levels: string[]) => levels.map((l) => PRIVACY_WORDS[l] ?? l).join(", ");

interface TikTokFields {
  privacyLevel?: string;
  allowComments?: boolean;
  allowDuet?: boolean;
  allowStitch?: boolean;
  coverTimeMs?: number;
  videoUrl?: string | null;
  mediaId?: string | null;
}

interface PublishState {
  contentId: string;
  publishId: string;
  status?: string;
  postId?: string | null;
  failReason?: string | null;
  username?: string | null;
}

async function savePublishState(db: Db, item: { id: string; workspaceId: string }, state: PublishState) {
  await db
    .update(content)
    .set({ metadata: sql`${content.metadata} || ${JSON.stringify({ tiktok_publish: state })}::jsonb` })
    .where(and(eq(content.id, item.id), eq(content.workspaceId, item.workspaceId)));
}

const MEDIA_PATH = /^\/api\/media\/([0-9a-f-]{36})\//i;

async function videoSource(db: Db, workspaceId: string, fields: TikTokFields) {
  const mediaId = fields.mediaId ?? fields.videoUrl?.match(MEDIA_PATH)?.[1] ?? null;
  if (mediaId) {
    const [asset] = await db
      .select()
      .from(mediaAssets)
      .where(and(eq(mediaAssets.id, mediaId), eq(mediaAssets.workspaceId, workspaceId)));
    if (!asset)
      throw new PublishError("The video picked for this post is no longer in the media library", false);
    if (asset.kind !== "video") throw new PublishError("TikTok posts need a video file", false);
    return { kind: "file" as const, asset };
  }
  if (fields.videoUrl && /^https?:\/\//i.test(fields.videoUrl))
    return { kind: "url" as const, url: fields.videoUrl };
  throw new PublishError("Add a video to this TikTok post before publishing", false);
}

async function uploadFile(
  uploadUrl: string,
  asset: typeof mediaAssets.$inferSelect,
  plan: ReturnType<typeof planChunks>,
) {
  const storage = storageFor(asset.storage);
  for (const chunk of plan.chunks) {
    const obj = await storage.getStream(asset.storageKey, { start: chunk.first, end: chunk.last });
    const parts: Buffer[] = [];
    for await (const part of obj.stream) parts.push(part as Buffer);
    const bytes = Buffer.concat(parts);
    if (bytes.length !== chunk.last - chunk.first + 1)
      throw new PublishError("Reading the video file failed", true);
    await uploadChunk(uploadUrl, {
      bytes,
      first: chunk.first,
      last: chunk.last,
      total: plan.videoSize,
      contentType: asset.mimeType,
    });
  }
}

/** Maps a provider failure to the content hub's retry rules. */
function publishFailure(err: unknown): never {
  if (err instanceof PublishError) throw err;
  if (err instanceof AuthError) {
    throw new PublishError(
      "TikTok needs to be reconnected in Integrations (the authorization expired or was revoked)",
      false,
    );
  }
  if (err instanceof QuotaError || err instanceof PermanentError) throw new PublishError(err.message, false);
  if (isIntegrationError(err)) throw new PublishError(err.message, true);
  throw err;
}

async function pollUntilDone(
  ctx: PublishContext,
  accessToken: string,
  state: PublishState,
): Promise<PublishState> {
  const deadline = Date.now() + tiktokTiming.pollBudgetMs;
  let wait = tiktokTiming.pollBaseMs;
  for (;;) {
    const s = await fetchPublishStatus(accessToken, state.publishId);
    state = { ...state, status: s.status, postId: s.postId, failReason: s.failReason };
    if (s.status === "PUBLISH_COMPLETE" || s.status === "FAILED" || s.status === "SEND_TO_USER_INBOX") {
      await savePublishState(ctx.db, ctx.content, state);
      return state;
    }
    if (Date.now() + wait > deadline) {
      await savePublishState(ctx.db, ctx.content, state);
      throw new PublishError("TikTok is still processing the video; checking again shortly", true);
    }
    await sleep(wait);
    wait = Math.min(wait * 2, tiktokTiming.pollMaxMs);
  }
}

/**
 * Before a TikTok post is scheduled or published: its privacy level must be one the connected
 * creator offers (creator info), else a 400 that names the allowed ones. Without a connected
 * account, or when TikTok cannot be asked right now, the publisher checks again at publish time.
 */
async function preflightTikTok(db: Db, item: PreflightItem) {
  if (item.type !== "tiktok" || !tiktokEnabled()) return;
  const row = await getIntegrationRow(db, item.workspaceId, "tiktok");
  if (!row || row.status === "disconnected") return;
  const info = await tiktokCreatorInfo(db, item.workspaceId).catch((err) => {
    logger.warn({ err: String(err) }, "tiktok creator info failed during preflight");
    return null;
  });
  if (!info) return;
  const fields = (item.metadata.tiktok ?? {}) as TikTokFields;
  const privacy = fields.privacyLevel ?? "SELF_ONLY";
  if (!info.privacyLevels.includes(privacy)) {
    const message = `Your TikTok account @${info.username} does not offer “${PRIVACY_WORDS[privacy] ?? privacy}”. Choose one of: ${privacyWords(info.privacyLevels)}`;
    throw new ValidationError(message, { "tiktok.privacyLevel": [message] });
  }
}

export const tiktokPublisher: TikTokPublisher = {
  preflight: preflightTikTok,
  async publish(ctx: PublishContext): Promise<PublishResult> {
    const item = ctx.content;
    if (!tiktokEnabled())
      throw new PublishError("The TikTok integration is switched off on this server", false);
    const { row, accessToken } = await getTikTokAccess(ctx.db, item.workspaceId);
    try {
      const previous = item.metadata.tiktok_publish as PublishState | undefined;
      let state: PublishState;
      if (previous?.publishId && previous.contentId === item.id && previous.status !== "FAILED") {
        // An earlier attempt already handed the video over: never post it twice, keep polling.
        state = previous;
      } else {
        const fields = (item.metadata.tiktok ?? {}) as TikTokFields;
        const creator = await queryCreatorInfo(accessToken);
        const privacy = fields.privacyLevel ?? "SELF_ONLY";
        if (!creator.privacy_level_options.includes(privacy)) {
          throw new PublishError(
            `This TikTok account does not offer “${PRIVACY_WORDS[privacy] ?? privacy}” (${privacy}); choose one of ${privacyWords(creator.privacy_level_options)}`,
            false,
          );
        }
        const postInfo = {
          title: (item.body ?? item.title).slice(0, 2200),
          privacy_level: privacy,
          disable_comment: creator.comment_disabled || fields.allowComments === false,
          disable_duet: creator.duet_disabled || fields.allowDuet === false,
          disable_stitch: creator.stitch_disabled || fields.allowStitch === false,
          video_cover_timestamp_ms: fields.coverTimeMs ?? 0,
        };
        const source = await videoSource(ctx.db, item.workspaceId, fields);
        if (source.kind === "file") {
          const plan = planChunks(source.asset.sizeBytes);
          const init = await initDirectPost(accessToken, { postInfo, source: { kind: "FILE_UPLOAD", plan } });
          state = {
            contentId: item.id,
            publishId: init.publish_id,
            status: "PROCESSING_UPLOAD",
            username: creator.creator_username,
          };
          await savePublishState(ctx.db, item, state);
          if (!init.upload_url) throw new PublishError("TikTok did not return an upload address", true);
          await uploadFile(init.upload_url, source.asset, plan);
        } else {
          const init = await initDirectPost(accessToken, {
            postInfo,
            source: { kind: "PULL_FROM_URL", url: source.url },
          });
          state = {
            contentId: item.id,
            publishId: init.publish_id,
            status: "PROCESSING_DOWNLOAD",
            username: creator.creator_username,
          };
          await savePublishState(ctx.db, item, state);
        }
      }
      state = await pollUntilDone(ctx, accessToken, state);
      if (state.status === "FAILED") {
        throw new PublishError(
          `TikTok could not publish the video: ${describeFailReason(state.failReason)}`,
          false,
        );
      }
      if (state.status === "SEND_TO_USER_INBOX") {
        // Not published and not failed: the creator finishes posting it in the TikTok app.
        return {
          sentToInbox: true,
          details: { provider: "tiktok", publishId: state.publishId, status: state.status },
        };
      }
      const username = state.username ?? null;
      return {
        externalId: state.postId ?? state.publishId,
        url:
          state.postId && username ? `https://www.tiktok.com/@${username}/video/${state.postId}` : undefined,
        details: { provider: "tiktok", publishId: state.publishId, postId: state.postId ?? null },
      };
    } catch (err) {
      await noteFailure(ctx.db, row, err);
      publishFailure(err);
    }
  },
};

// ---------------------------------------------------------------------------------------------
// Metrics sync

const MAX_PAGES = 50;

/**
 * Items sent to the creator's TikTok inbox become published once the creator posts them in the app
 * (status/fetch then says PUBLISH_COMPLETE); FAILED there (e.g. the creator discarded it) fails them.
 */
async function settleInboxPosts(db: Db, workspaceId: string, accessToken: string) {
  const waiting = await db
    .select()
    .from(content)
    .where(
      and(
        eq(content.workspaceId, workspaceId),
        eq(content.type, "tiktok"),
        eq(content.status, "sent_to_inbox"),
      ),
    );
  for (const item of waiting) {
    const st = item.metadata.tiktok_publish as PublishState | undefined;
    if (!st?.publishId) continue;
    const s = await fetchPublishStatus(accessToken, st.publishId).catch(() => null);
    if (!s || s.status === st.status) continue;
    const next = { ...st, status: s.status, postId: s.postId, failReason: s.failReason };
    await savePublishState(db, item, next);
    if (s.status === "PUBLISH_COMPLETE") {
      const username = st.username ?? null;
      await recordPublished(
        db,
        item,
        {
          externalId: s.postId ?? st.publishId,
          url: s.postId && username ? `https://www.tiktok.com/@${username}/video/${s.postId}` : undefined,
          details: { provider: "tiktok", publishId: st.publishId, postId: s.postId ?? null },
        },
        "sent_to_inbox",
      );
    } else if (s.status === "FAILED") {
      const message = `TikTok could not publish the video: ${describeFailReason(s.failReason)}`;
      await db
        .update(content)
        .set({
          status: "failed",
          metadata: sql`${content.metadata} || ${JSON.stringify({ error: { message, at: new Date().toISOString() } })}::jsonb`,
        })
        .where(
          and(
            eq(content.id, item.id),
            eq(content.workspaceId, workspaceId),
            eq(content.status, "sent_to_inbox"),
          ),
        );
    }
  }
}

export async function syncTikTokMetrics(db: Db, workspaceId: string) {
  if (!tiktokEnabled()) return { skipped: "disabled" as const };
  const existing = await getIntegrationRow(db, workspaceId, "tiktok");
  if (!existing || existing.status === "disconnected") return { skipped: "not_connected" as const };
  let row = existing;
  try {
    const access = await getTikTokAccess(db, workspaceId);
    row = access.row;
    await settleInboxPosts(db, workspaceId, access.accessToken);
    const published = await db
      .select({ id: content.id, metadata: content.metadata })
      .from(content)
      .where(
        and(
          eq(content.workspaceId, workspaceId),
          eq(content.type, "tiktok"),
          eq(content.status, "published"),
        ),
      );
    // Post ids appear only after moderation: ask again for items published without one.
    const byPostId = new Map<string, string>();
    for (const c of published) {
      const st = c.metadata.tiktok_publish as PublishState | undefined;
      let postId = st?.postId ?? null;
      if (!postId && st?.publishId) {
        const s = await fetchPublishStatus(access.accessToken, st.publishId).catch(() => null);
        if (s?.postId) {
          postId = s.postId;
          await savePublishState(db, { id: c.id, workspaceId }, { ...st, postId });
        }
      }
      if (postId) byPostId.set(postId, c.id);
    }
    const videos: TikTokVideo[] = [];
    let cursor: number | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const r = await listVideosPage(access.accessToken, cursor);
      videos.push(...r.videos);
      if (!r.has_more || r.cursor === undefined || r.cursor === null) break;
      cursor = r.cursor;
    }
    let matched = 0;
    const capturedAt = new Date();
    for (const v of videos) {
      const contentId = byPostId.get(v.id);
      if (!contentId) continue;
      matched++;
      const figures = {
        views: v.view_count ?? 0,
        likes: v.like_count ?? 0,
        shares: v.share_count ?? 0,
        comments: v.comment_count ?? 0,
      };
      const clamp = (n: number) => Math.min(n, 2_147_483_647);
      await db
        .insert(contentMetrics)
        .values({
          contentId,
          views: clamp(figures.views),
          likes: clamp(figures.likes),
          shares: clamp(figures.shares),
        })
        .onConflictDoUpdate({
          target: contentMetrics.contentId,
          set: {
            views: clamp(figures.views),
            likes: clamp(figures.likes),
            shares: clamp(figures.shares),
            updatedAt: capturedAt,
          },
        });
      await db.insert(contentMetricSnapshots).values({ workspaceId, contentId, capturedAt, ...figures });
    }
    const summary = { videos: videos.length, matched };
    await recordSync(db, row, { ok: true, summary });
    return summary;
  } catch (err) {
    await noteFailure(db, row, err);
    await recordSync(db, row, { ok: false, error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}
