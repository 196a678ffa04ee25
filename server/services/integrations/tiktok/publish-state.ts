import "server-only";
import type { Db } from "@/server/db";
import { savePlatformState } from "../../content/platform-state";

/** What a TikTok post remembers of its publishing (content.metadata.tiktok_publish), and its fields. */

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

export interface TikTokFields {
  privacyLevel?: string;
  allowComments?: boolean;
  allowDuet?: boolean;
  allowStitch?: boolean;
  coverTimeMs?: number;
  videoUrl?: string | null;
  mediaId?: string | null;
}

export interface PublishState {
  contentId: string;
  publishId: string;
  status?: string;
  postId?: string | null;
  failReason?: string | null;
  username?: string | null;
}

export async function savePublishState(
  db: Db,
  item: { id: string; workspaceId: string },
  state: PublishState,
) {
  await savePlatformState(db, item, "tiktok_publish", state);
}

/** The public address of a published video, when TikTok has given its post id. */
export function tiktokPostUrl(username: string | null | undefined, postId: string | null | undefined) {
  return postId && username ? `https://www.tiktok.com/@${username}/video/${postId}` : undefined;
}
