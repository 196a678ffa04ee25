import "server-only";
import type { mediaAssets } from "@/server/db/schema";
import { TemporaryError } from "@/server/integrations/http";
import {
  CHUNK_UNIT,
  isSessionExpired,
  probeUpload,
  putChunk,
  startUploadSession,
  type UploadProgress,
  type VideoMetadata,
  YOUTUBE_COSTS,
  type YouTubeVideo,
} from "@/server/integrations/youtube/client";
import { storageFor } from "@/server/storage";
import type { PublishContext } from "../../content/publisher";
import { PublishError } from "../../content/publisher";
import type { YouTubeCaller } from "./access";
import { youtubeTiming } from "./config";
import {
  saveYouTubeState,
  type YouTubePublishState,
  type YoutubeFields,
  youtubeVideoSource,
} from "./publish-state";

/**
 * The resumable upload of a Short's video, durable across crashes: the session URI is stored on the
 * item before any byte is sent and the video id the moment the final answer arrives. A retry with a
 * session probes it first (`bytes *\/total`): a 200/201 there is the video a lost final answer
 * created, so it is never uploaded twice; a 308 resumes after the bytes YouTube kept; 404/410 (the
 * session expired, no video id yet) opens a new session.
 */

type Asset = typeof mediaAssets.$inferSelect;

/** The video resource YouTube creates: title and description from the item, the rest from its fields. */
function videoMetadata(ctx: PublishContext, fields: YoutubeFields): VideoMetadata {
  const item = ctx.content;
  const at = item.scheduledAt;
  // publishAt is only allowed while private: YouTube makes the video public at the item's time.
  const youtubeSchedules = fields.scheduleWith === "youtube" && at !== null && at.getTime() > Date.now();
  return {
    snippet: {
      title: item.title.slice(0, 100),
      description: item.body ?? "",
      ...(fields.tags?.length ? { tags: fields.tags } : {}),
      categoryId: fields.categoryId ?? "22",
    },
    status: {
      privacyStatus: youtubeSchedules ? "private" : (fields.privacyStatus ?? "private"),
      ...(youtubeSchedules ? { publishAt: at.toISOString() } : {}),
      selfDeclaredMadeForKids: fields.madeForKids === true,
      containsSyntheticMedia: fields.containsSyntheticMedia === true,
    },
  };
}

async function openSession(ctx: PublishContext, yt: YouTubeCaller, asset: Asset, fields: YoutubeFields) {
  const item = ctx.content;
  const metadata = videoMetadata(ctx, fields);
  const sessionUri = await yt.call(YOUTUBE_COSTS.insert, (token) =>
    startUploadSession(token, {
      metadata,
      total: asset.sizeBytes,
      contentType: asset.mimeType.startsWith("video/") ? asset.mimeType : "application/octet-stream",
      notifySubscribers: fields.notifySubscribers !== false,
    }),
  );
  const state: YouTubePublishState = {
    contentId: item.id,
    mediaId: asset.id,
    total: asset.sizeBytes,
    sessionUri,
    videoId: null,
    privacyStatus: metadata.status.privacyStatus,
    publishAt: metadata.status.publishAt ?? null,
  };
  await saveYouTubeState(ctx.db, item, state);
  return state;
}

/** The configured chunk size, kept a whole multiple of 256 KiB (YouTube refuses any other but the last). */
const chunkSize = () => Math.max(1, Math.floor(youtubeTiming.chunkBytes / CHUNK_UNIT)) * CHUNK_UNIT;

async function readRange(asset: Asset, first: number, last: number) {
  const obj = await storageFor(asset.storage).getStream(asset.storageKey, { start: first, end: last });
  const parts: Buffer[] = [];
  for await (const part of obj.stream) parts.push(part as Buffer);
  const bytes = Buffer.concat(parts);
  if (bytes.length !== last - first + 1) throw new PublishError("Reading the video file failed", true);
  return bytes;
}

/** Sends the file from `offset` in chunks until YouTube answers with the video. */
async function sendFrom(yt: YouTubeCaller, state: YouTubePublishState, asset: Asset, offset: number) {
  const sessionUri = state.sessionUri as string;
  let stalls = 0;
  for (;;) {
    let progress: UploadProgress;
    if (offset >= state.total) {
      progress = await yt.call(0, (t) => probeUpload(sessionUri, t, state.total));
    } else {
      const last = Math.min(offset + chunkSize(), state.total) - 1;
      const bytes = await readRange(asset, offset, last);
      progress = await yt.call(0, (t) =>
        putChunk(sessionUri, t, {
          bytes,
          first: offset,
          last,
          total: state.total,
          contentType: asset.mimeType,
        }),
      );
    }
    if (progress.done) return progress.video;
    stalls = progress.next > offset ? 0 : stalls + 1;
    if (stalls >= 3)
      throw new PublishError("YouTube stopped accepting the video's bytes; trying again later", true);
    offset = progress.next;
  }
}

async function finished(ctx: PublishContext, state: YouTubePublishState, video: YouTubeVideo) {
  const done: YouTubePublishState = {
    ...state,
    videoId: video.id,
    uploadStatus: video.status?.uploadStatus ?? "uploaded",
  };
  await saveYouTubeState(ctx.db, ctx.content, done);
  return done;
}

/** Uploads the Short's video (or finishes an earlier attempt's upload); the state with its video id. */
export async function ensureUploaded(
  ctx: PublishContext,
  yt: YouTubeCaller,
  previous: YouTubePublishState | null,
): Promise<YouTubePublishState> {
  const item = ctx.content;
  const fields = (item.metadata.youtube ?? {}) as YoutubeFields;
  const asset = await youtubeVideoSource(ctx.db, item.workspaceId, fields);
  const probe = (s: YouTubePublishState) =>
    yt.call(0, (t) => probeUpload(s.sessionUri as string, t, s.total));

  let state: YouTubePublishState | null =
    previous?.sessionUri && previous.mediaId === asset.id && previous.total === asset.sizeBytes
      ? previous
      : null;
  let offset = 0;
  if (state) {
    try {
      const p = await probe(state);
      if (p.done) return finished(ctx, state, p.video);
      offset = p.next;
    } catch (err) {
      if (!isSessionExpired(err)) throw err;
      state = null;
    }
  }
  if (!state) state = await openSession(ctx, yt, asset, fields);

  let resumes = 0;
  let restarted = false;
  for (;;) {
    try {
      return await finished(ctx, state, await sendFrom(yt, state, asset, offset));
    } catch (err) {
      if (isSessionExpired(err) && !restarted) {
        restarted = true;
        state = await openSession(ctx, yt, asset, fields);
        offset = 0;
        continue;
      }
      if (!(err instanceof TemporaryError) || resumes++ >= youtubeTiming.maxResumes) throw err;
      // A chunk got no clean answer: ask the session how far it got and go on from there.
      const p = await probe(state);
      if (p.done) return finished(ctx, state, p.video);
      offset = p.next;
    }
  }
}
