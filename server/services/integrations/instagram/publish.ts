import "server-only";
import { featureOffMessage } from "@/lib/features";
import { AuthError, isIntegrationError, PermanentError, QuotaError } from "@/server/integrations/http";
import {
  createReelContainer,
  getContainerStatus,
  getMedia,
  getPublishingLimit,
  listRecentMedia,
  publishContainer,
} from "@/server/integrations/instagram/client";
import { noteFailure } from "@/server/integrations/store";
import type { PublishContext, Publisher, PublishResult } from "../../content/publisher";
import { PublishError, pollPlan, waitForPlatform } from "../../content/publisher";
import { getInstagramAccess, type InstagramAccess } from "./access";
import { instagramEnabled, instagramTiming } from "./config";
import { preflightInstagram } from "./preflight";
import {
  describeContainerError,
  type InstagramFields,
  type InstagramPublishState,
  isDownloadFailure,
  saveInstagramPublishState,
} from "./publish-state";
import { reelVideoUrl } from "./video-source";

/** Meta's limit is on a moving 24 h window. */
const LIMIT_WORDS = "in 24 hours";

/** Maps a provider failure to the content hub's retry rules. */
function publishFailure(err: unknown): never {
  if (err instanceof PublishError) throw err;
  if (err instanceof AuthError) {
    throw new PublishError(
      "Instagram needs to be reconnected in Integrations (the authorization expired or was revoked)",
      false,
    );
  }
  if (err instanceof QuotaError) {
    // The window moves: trying later can succeed.
    throw new PublishError(
      `Instagram's publishing limit for this account is reached; the Reel will be tried again later (${err.message})`,
      true,
    );
  }
  if (err instanceof PermanentError) throw new PublishError(err.message, false);
  if (isIntegrationError(err)) throw new PublishError(err.message, true);
  throw err;
}

/**
 * A limit read this recent still stands before media_publish: a container made moments ago is
 * published without a second read (Meta answers 2207042 anyway if the window filled meanwhile).
 */
const LIMIT_READ_FRESH_MS = 60_000;
const limitReadAt = new WeakMap<InstagramAccess, number>();

/** Refuses before creating a container when the account used every post of its window (quota_total as Meta says). */
async function checkPublishingLimit(access: InstagramAccess) {
  const readAt = limitReadAt.get(access);
  if (readAt !== undefined && Date.now() - readAt < LIMIT_READ_FRESH_MS) return;
  limitReadAt.set(access, Date.now());
  const limit = await getPublishingLimit(access.accessToken, access.userId);
  if (limit.total !== null && limit.usage >= limit.total) {
    const hours = Math.round(limit.durationSeconds / 3600);
    throw new PublishError(
      `This Instagram account has published ${limit.usage} of the ${limit.total} posts Instagram allows ${hours === 24 ? LIMIT_WORDS : `in ${hours} hours`}; the Reel will be tried again once the window moves on`,
      true,
    );
  }
}

async function createContainer(ctx: PublishContext, access: InstagramAccess, expired: string[] = []) {
  const item = ctx.content;
  const fields = (item.metadata.instagram ?? {}) as InstagramFields;
  const videoUrl = await reelVideoUrl(ctx.db, item.workspaceId, fields);
  await checkPublishingLimit(access);
  const caption = item.body ?? "";
  const containerId = await createReelContainer(access.accessToken, access.userId, {
    videoUrl,
    caption,
    shareToFeed: fields.shareToFeed ?? true,
    thumbOffsetMs: fields.coverTimeMs ?? 0,
  });
  const state: InstagramPublishState = {
    contentId: item.id,
    containerId,
    containerCreatedAt: new Date().toISOString(),
    status: "IN_PROGRESS",
    caption,
    ...(expired.length ? { expiredContainerIds: expired } : {}),
  };
  await saveInstagramPublishState(ctx.db, item, state);
  return state;
}

/**
 * The Reel this container became, when media_publish went through but its answer was lost: the
 * account's newest media with our caption, published after the container was made. Meta gives no
 * link from a container to its media, so the caption and time are what identify it.
 */
async function findPublishedReel(access: InstagramAccess, state: InstagramPublishState) {
  const since = Date.parse(state.containerCreatedAt) - 60_000;
  const media = await listRecentMedia(access.accessToken, access.userId);
  const matches = media.filter(
    (m) =>
      (m.caption ?? "") === state.caption &&
      (!m.timestamp || Date.parse(m.timestamp) >= since) &&
      (!m.media_product_type || m.media_product_type === "REELS"),
  );
  return matches.at(-1) ?? null; // the oldest match: the first publish
}

async function finish(
  ctx: PublishContext,
  access: InstagramAccess,
  state: InstagramPublishState,
  mediaId: string,
): Promise<PublishResult> {
  state = { ...state, status: "PUBLISHED", mediaId };
  let media: Awaited<ReturnType<typeof getMedia>>;
  try {
    media = await getMedia(access.accessToken, mediaId);
  } catch (err) {
    // The retry finishes from the stored media id. (Only a crash right here falls back to finding
    // the Reel among the account's media, as after a lost media_publish answer.)
    await saveInstagramPublishState(ctx.db, ctx.content, state);
    throw err;
  }
  // The media id and permalink are stored with the outcome, in the same statement.
  state = { ...state, permalink: media.permalink ?? null };
  return {
    externalId: mediaId,
    url: state.permalink ?? undefined,
    details: { provider: "instagram", containerId: state.containerId, mediaId },
    metadata: { instagram_publish: state },
  };
}

/** Polls the container until it can be published, then publishes it exactly once. */
async function drive(
  ctx: PublishContext,
  access: InstagramAccess,
  state: InstagramPublishState,
): Promise<PublishResult> {
  const plan = pollPlan(ctx, instagramTiming);
  const deadline = plan.deadline;
  let wait = plan.wait;
  let renewed = false;
  for (;;) {
    if (state.mediaId) return finish(ctx, access, state, state.mediaId);
    const s = await getContainerStatus(access.accessToken, state.containerId);
    if (s.statusCode === "ERROR") {
      await saveInstagramPublishState(ctx.db, ctx.content, {
        ...state,
        status: "ERROR",
        statusText: s.status,
      });
      throw new PublishError(
        `Instagram could not process the video: ${describeContainerError(s.status)}`,
        isDownloadFailure(s.status),
      );
    }
    if (s.statusCode === "PUBLISHED") {
      const found = await findPublishedReel(access, state);
      if (!found) {
        await saveInstagramPublishState(ctx.db, ctx.content, { ...state, status: "PUBLISHED" });
        throw new PublishError(
          "Instagram says this Reel was published, but it is not among the account's newest media yet; checking again shortly",
          true,
        );
      }
      return finish(ctx, access, state, found.id);
    }
    if (s.statusCode === "EXPIRED") {
      // Not published within 24 h: Meta will never publish it, so a new container is safe.
      if (renewed) throw new PublishError("Instagram's container expired again; try again", true);
      renewed = true;
      state = await createContainer(ctx, access, [...(state.expiredContainerIds ?? []), state.containerId]);
      continue;
    }
    if (s.statusCode === "FINISHED") {
      if (state.publishRequestedAt) {
        // An earlier attempt called media_publish and lost the answer: look before publishing again.
        const found = await findPublishedReel(access, state);
        if (found) return finish(ctx, access, state, found.id);
      }
      await checkPublishingLimit(access);
      state = { ...state, status: "FINISHED", publishRequestedAt: new Date().toISOString() };
      await saveInstagramPublishState(ctx.db, ctx.content, state);
      const mediaId = await publishContainer(access.accessToken, access.userId, state.containerId);
      return finish(ctx, access, state, mediaId);
    }
    if (Date.now() + wait > deadline) {
      await saveInstagramPublishState(ctx.db, ctx.content, { ...state, status: s.statusCode });
      throw new PublishError("Instagram is still processing the video; checking again shortly", true);
    }
    await waitForPlatform(ctx, wait);
    wait = Math.min(wait * 2, instagramTiming.pollMaxMs);
  }
}

export const instagramPublisher: Publisher = {
  preflight: preflightInstagram,
  async publish(ctx: PublishContext): Promise<PublishResult> {
    const item = ctx.content;
    if (!instagramEnabled()) throw new PublishError(featureOffMessage("instagram"), false);
    let access: InstagramAccess;
    try {
      access = await getInstagramAccess(ctx.db, item.workspaceId);
    } catch (err) {
      publishFailure(err);
    }
    try {
      const previous = item.metadata.instagram_publish as InstagramPublishState | undefined;
      // An earlier attempt's container (or media) is resumed, never published twice.
      const resumed =
        previous?.containerId && previous.contentId === item.id && previous.status !== "ERROR"
          ? previous
          : null;
      return await drive(ctx, access, resumed ?? (await createContainer(ctx, access)));
    } catch (err) {
      await noteFailure(ctx.db, access.row, err);
      publishFailure(err);
    }
  },
};
