import "server-only";
import { featureOffMessage } from "@/lib/features";
import type { Db } from "@/server/db";
import { ValidationError } from "@/server/errors";
import { AuthError, isIntegrationError, PermanentError, QuotaError } from "@/server/integrations/http";
import { getIntegrationRow, noteFailure } from "@/server/integrations/store";
import { listVideos, YOUTUBE_COSTS } from "@/server/integrations/youtube/client";
import type { PreflightItem, PublishContext, Publisher, PublishResult } from "../../content/publisher";
import { PublishError, pollPlan, waitForPlatform } from "../../content/publisher";
import { type YouTubeCaller, youtubeCaller } from "./access";
import { youtubeEnabled, youtubeTiming } from "./config";
import {
  describeUploadFailure,
  saveYouTubeState,
  type YouTubePublishState,
  type YoutubeFields,
  youtubeShortUrl,
  youtubeVideoSource,
} from "./publish-state";
import { YouTubeQuotaExhaustedError } from "./quota";
import { ensureUploaded } from "./upload";

const MADE_FOR_KIDS =
  "Choose whether this Short is made for kids before publishing: YouTube requires the declaration";
const UPLOAD_LIMIT = "YouTube's upload limit for this channel was reached; try again in 24 hours";
const RECONNECT =
  "YouTube needs to be reconnected in Integrations (the authorization expired or was revoked)";

/**
 * Why this Short cannot go out, known without asking YouTube (the editor shows it before anyone
 * clicks): the made-for-kids choice, a media library video, a connected channel.
 */
export async function youtubePublishBlocker(
  db: Db,
  item: Pick<PreflightItem, "workspaceId" | "metadata">,
): Promise<{ message: string; field: string } | null> {
  const fields = (item.metadata.youtube ?? {}) as Partial<YoutubeFields>;
  if (fields.madeForKids === null || fields.madeForKids === undefined)
    return { message: MADE_FOR_KIDS, field: "youtube.madeForKids" };
  try {
    await youtubeVideoSource(db, item.workspaceId, fields);
  } catch (err) {
    if (!(err instanceof PublishError)) throw err;
    return { message: err.message, field: "youtube.video" };
  }
  const row = await getIntegrationRow(db, item.workspaceId, "youtube");
  if (!row || row.status === "disconnected")
    return {
      message: "Connect a YouTube channel in Integrations before publishing or scheduling this Short",
      field: "youtube",
    };
  if (row.status === "needs_attention")
    return {
      message: `Your YouTube connection needs to be reconnected in Integrations before this Short can go out${row.lastError ? ` (${row.lastError})` : ""}`,
      field: "youtube",
    };
  return null;
}

/** Before a Short is scheduled or published: a 400 that says what to do instead of a failed post later. */
export async function preflightYouTube(db: Db, item: PreflightItem) {
  if (item.type !== "youtube" || !youtubeEnabled()) return;
  const blocker = await youtubePublishBlocker(db, item);
  if (blocker) throw new ValidationError(blocker.message, { [blocker.field]: [blocker.message] });
}

/** Maps a provider failure to the content hub's retry rules. */
function publishFailure(err: unknown): never {
  if (err instanceof PublishError) throw err;
  if (err instanceof AuthError) throw new PublishError(RECONNECT, false);
  if (err instanceof QuotaError && err.code === "quotaExceeded") throw new YouTubeQuotaExhaustedError();
  if (err instanceof QuotaError && err.code === "uploadLimitExceeded")
    throw new PublishError(UPLOAD_LIMIT, false);
  if (err instanceof QuotaError || err instanceof PermanentError) throw new PublishError(err.message, false);
  if (isIntegrationError(err)) throw new PublishError(err.message, true);
  throw err;
}

/** Polls videos.list (status, processingDetails) until YouTube has processed the video, failed it, or the budget ends. */
async function pollProcessing(
  ctx: PublishContext,
  yt: YouTubeCaller,
  state: YouTubePublishState,
): Promise<YouTubePublishState> {
  const videoId = state.videoId as string;
  const plan = pollPlan(ctx, youtubeTiming);
  const deadline = plan.deadline;
  let wait = plan.wait;
  for (;;) {
    const [v] = await yt.call(YOUTUBE_COSTS.list, (t) =>
      listVideos(t, [videoId], "status,processingDetails"),
    );
    if (v) {
      const processing = v.processingDetails?.processingStatus;
      const upload = v.status?.uploadStatus ?? state.uploadStatus ?? null;
      // uploadStatus says how it ended; processingDetails only adds a failure while it still says "uploaded".
      const failedProcessing =
        (processing === "failed" || processing === "terminated") && upload === "uploaded";
      state = {
        ...state,
        uploadStatus: failedProcessing ? "failed" : upload,
        failureReason: v.status?.failureReason ?? v.processingDetails?.processingFailureReason ?? null,
        rejectionReason: v.status?.rejectionReason ?? null,
      };
      if (state.uploadStatus !== "uploaded") {
        // A processed video is stored with its outcome (publishResult), in the same statement.
        if (state.uploadStatus !== "processed") await saveYouTubeState(ctx.db, ctx.content, state);
        return state;
      }
    }
    if (Date.now() + wait > deadline) {
      await saveYouTubeState(ctx.db, ctx.content, state);
      throw new PublishError("YouTube is still processing the video; checking again shortly", true);
    }
    await waitForPlatform(ctx, wait);
    wait = Math.min(wait * 2, youtubeTiming.pollMaxMs);
  }
}

function publishResult(state: YouTubePublishState): PublishResult {
  const failure = describeUploadFailure(state);
  if (failure) throw new PublishError(failure, false);
  if (state.uploadStatus !== "processed") {
    throw new PublishError(`YouTube reported the upload as “${state.uploadStatus ?? "unknown"}”`, false);
  }
  const videoId = state.videoId as string;
  return {
    externalId: videoId,
    url: youtubeShortUrl(videoId),
    details: {
      provider: "youtube",
      videoId,
      privacyStatus: state.privacyStatus ?? null,
      publishAt: state.publishAt ?? null,
    },
    metadata: { youtube_publish: state },
  };
}

const DONE = new Set(["failed", "rejected", "deleted"]);

export const youtubePublisher: Publisher = {
  preflight: preflightYouTube,
  async publish(ctx: PublishContext): Promise<PublishResult> {
    const item = ctx.content;
    if (!youtubeEnabled()) throw new PublishError(featureOffMessage("youtube"), false);
    const fields = (item.metadata.youtube ?? {}) as Partial<YoutubeFields>;
    if (fields.madeForKids === null || fields.madeForKids === undefined)
      throw new PublishError(MADE_FOR_KIDS, false);
    const row = await getIntegrationRow(ctx.db, item.workspaceId, "youtube");
    if (!row || row.status === "disconnected")
      throw new PublishError("Connect YouTube in Integrations to publish YouTube Shorts", false);
    // One token and app read for the whole attempt (the row just read carries the token).
    const yt = youtubeCaller(ctx.db, item.workspaceId, row);
    try {
      const stored = item.metadata.youtube_publish as YouTubePublishState | undefined;
      // A video that failed or was rejected is not resumed: publishing again uploads it anew.
      const previous = stored?.contentId === item.id && !DONE.has(stored.uploadStatus ?? "") ? stored : null;
      // With a video id an earlier attempt's upload is finished: only its processing is polled.
      const uploaded = previous?.videoId ? previous : await ensureUploaded(ctx, yt, previous);
      return publishResult(await pollProcessing(ctx, yt, uploaded));
    } catch (err) {
      await noteFailure(ctx.db, row, err);
      publishFailure(err);
    }
  },
};
