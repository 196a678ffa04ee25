import "server-only";
import type { z } from "zod";
import type { Db } from "@/server/db";
import type { youtubeFieldsSchema } from "@/server/services/content/schemas";
import { getWorkspaceMedia } from "@/server/services/media";
import { savePlatformState } from "../../content/platform-state";
import { PublishError } from "../../content/publisher";

export type YoutubeFields = z.infer<typeof youtubeFieldsSchema>;

/** What a YouTube Short remembers of its publishing (content.metadata.youtube_publish), and its video. */

export interface YouTubePublishState {
  contentId: string;
  /** The media library file being uploaded, and its size (a resumed session must send the same bytes). */
  mediaId: string;
  total: number;
  /** The resumable upload session, stored before any byte is sent. */
  sessionUri?: string | null;
  /** YouTube's video id, stored as soon as the final answer arrives: from then on only polled. */
  videoId?: string | null;
  uploadStatus?: string | null;
  failureReason?: string | null;
  rejectionReason?: string | null;
  privacyStatus?: string;
  publishAt?: string | null;
}

export async function saveYouTubeState(
  db: Db,
  item: { id: string; workspaceId: string },
  state: YouTubePublishState,
) {
  await savePlatformState(db, item, "youtube_publish", state);
}

export const youtubeShortUrl = (videoId: string) => `https://www.youtube.com/shorts/${videoId}`;

/** `status.failureReason` / `rejectionReason` and `processingFailureReason` in words (api-contracts-2 §1). */
const REASONS: Record<string, string> = {
  conversion: "the video could not be converted",
  invalidFile: "the file is not a video YouTube can read",
  emptyFile: "the file is empty",
  tooSmall: "the file is too small",
  codec: "the video's codec is not supported",
  uploadAborted: "the upload was cut off",
  copyright: "it infringes someone's copyright",
  inappropriate: "its content is inappropriate",
  duplicate: "it duplicates a video already on the channel",
  termsOfUse: "it breaks YouTube's Terms of Service",
  uploaderAccountSuspended: "the channel is suspended",
  length: "it is too long",
  claim: "of a copyright claim",
  uploaderAccountClosed: "the channel is closed",
  trademark: "it infringes a trademark",
  legal: "of a legal complaint",
  uploadFailed: "the upload failed",
  transcodeFailed: "transcoding failed",
  streamingFailed: "it could not be prepared for streaming",
  other: "of a processing error at YouTube",
};

export function describeReason(reason: string | null | undefined) {
  if (!reason) return "YouTube gave no reason";
  const words = REASONS[reason];
  return words ? `${words} (${reason})` : reason;
}

/** A finished upload status in words, or null while YouTube is still processing. */
export function describeUploadFailure(s: YouTubePublishState): string | null {
  switch (s.uploadStatus) {
    case "failed":
      return `YouTube could not process the video: ${describeReason(s.failureReason)}`;
    case "rejected":
      return `YouTube rejected the video because ${describeReason(s.rejectionReason)}`;
    case "deleted":
      return "The video was deleted on YouTube before it finished processing";
    default:
      return null;
  }
}

const MEDIA_PATH = /^\/api\/media\/([0-9a-f-]{36})\//i;

/**
 * The Short's video: a file of the workspace's media library (by id or its `/api/media/<id>/`
 * address). A public https URL is refused with what to do instead: YouTube cannot pull from a URL,
 * and downloading arbitrary addresses into an upload would need its own size and safety limits.
 */
export async function youtubeVideoSource(db: Db, workspaceId: string, fields: Partial<YoutubeFields>) {
  const mediaId = fields.mediaId ?? fields.videoUrl?.match(MEDIA_PATH)?.[1] ?? null;
  if (mediaId) {
    const asset = await getWorkspaceMedia(db, workspaceId, mediaId);
    if (!asset)
      throw new PublishError("The video picked for this Short is no longer in the media library", false);
    if (asset.kind !== "video") throw new PublishError("YouTube Shorts need a video file", false);
    if (asset.sizeBytes <= 0) throw new PublishError("The video file of this Short is empty", false);
    return asset;
  }
  if (fields.videoUrl) {
    throw new PublishError(
      "YouTube Shorts are uploaded from the media library: upload the video there and pick it for this Short",
      false,
    );
  }
  throw new PublishError("Add a video to this YouTube Short before publishing", false);
}
