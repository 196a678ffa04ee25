import "server-only";
import { featureOffMessage } from "@/lib/features";
import type { mediaAssets } from "@/server/db/schema";
import { AuthError, isIntegrationError, PermanentError, QuotaError } from "@/server/integrations/http";
import { noteFailure } from "@/server/integrations/store";
import {
  fetchPublishStatus,
  initDirectPost,
  planChunks,
  queryCreatorInfo,
  uploadChunk,
} from "@/server/integrations/tiktok/client";
import { storageFor } from "@/server/storage";
import type { PublishContext, PublishResult, TikTokPublisher } from "../../content/publisher";
import { PublishError, pollPlan, waitForPlatform } from "../../content/publisher";
import { getTikTokAccess } from "./access";
import { tiktokEnabled, tiktokTiming } from "./config";
import { PRIVACY_WORDS, preflightTikTok, privacyWords } from "./creator-info";
import {
  describeFailReason,
  type PublishState,
  savePublishState,
  type TikTokFields,
  tiktokPostUrl,
} from "./publish-state";
import { videoSource } from "./video-source";

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
  const plan = pollPlan(ctx, tiktokTiming);
  const deadline = plan.deadline;
  let wait = plan.wait;
  for (;;) {
    const s = await fetchPublishStatus(accessToken, state.publishId);
    state = { ...state, status: s.status, postId: s.postId, failReason: s.failReason };
    // A post TikTok took is stored with its outcome (publishResult), in the same statement.
    if (s.status === "PUBLISH_COMPLETE" || s.status === "SEND_TO_USER_INBOX") return state;
    if (s.status === "FAILED") {
      await savePublishState(ctx.db, ctx.content, state);
      return state;
    }
    if (Date.now() + wait > deadline) {
      await savePublishState(ctx.db, ctx.content, state);
      throw new PublishError("TikTok is still processing the video; checking again shortly", true);
    }
    await waitForPlatform(ctx, wait);
    wait = Math.min(wait * 2, tiktokTiming.pollMaxMs);
  }
}

/** Hands the video to TikTok (uploaded from the media library, or pulled from its URL); the state to poll. */
async function startPost(ctx: PublishContext, accessToken: string): Promise<PublishState> {
  const item = ctx.content;
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
    const state: PublishState = {
      contentId: item.id,
      publishId: init.publish_id,
      status: "PROCESSING_UPLOAD",
      username: creator.creator_username,
    };
    await savePublishState(ctx.db, item, state);
    if (!init.upload_url) throw new PublishError("TikTok did not return an upload address", true);
    await uploadFile(init.upload_url, source.asset, plan);
    return state;
  }
  const init = await initDirectPost(accessToken, {
    postInfo,
    source: { kind: "PULL_FROM_URL", url: source.url },
  });
  const state: PublishState = {
    contentId: item.id,
    publishId: init.publish_id,
    status: "PROCESSING_DOWNLOAD",
    username: creator.creator_username,
  };
  await savePublishState(ctx.db, item, state);
  return state;
}

/** What the content hub records for a post TikTok finished with. */
function publishResult(state: PublishState): PublishResult {
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
      metadata: { tiktok_publish: state },
    };
  }
  return {
    externalId: state.postId ?? state.publishId,
    url: tiktokPostUrl(state.username, state.postId),
    details: { provider: "tiktok", publishId: state.publishId, postId: state.postId ?? null },
    metadata: { tiktok_publish: state },
  };
}

export const tiktokPublisher: TikTokPublisher = {
  preflight: preflightTikTok,
  async publish(ctx: PublishContext): Promise<PublishResult> {
    const item = ctx.content;
    if (!tiktokEnabled()) throw new PublishError(featureOffMessage("tiktok"), false);
    const { row, accessToken } = await getTikTokAccess(ctx.db, item.workspaceId);
    try {
      const previous = item.metadata.tiktok_publish as PublishState | undefined;
      // An earlier attempt that already handed the video over is polled again, never posted twice.
      const resumed =
        previous?.publishId && previous.contentId === item.id && previous.status !== "FAILED"
          ? previous
          : null;
      const state = await pollUntilDone(ctx, accessToken, resumed ?? (await startPost(ctx, accessToken)));
      return publishResult(state);
    } catch (err) {
      await noteFailure(ctx.db, row, err);
      publishFailure(err);
    }
  },
};
