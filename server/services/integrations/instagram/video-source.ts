import "server-only";
import type { Db } from "@/server/db";
import { PublishError } from "../../content/publisher";
import { getWorkspaceMedia } from "../../media";
import { signedMediaUrl } from "../../media-signed";
import type { InstagramFields } from "./publish-state";

/**
 * Where Meta downloads a Reel's video from: a file of the workspace's media library (by id, or by
 * its `/api/media/<id>/` address) through a signed, expiring address on APP_URL, or a public https
 * URL the person typed, passed as is. Throws a non-retryable PublishError that says what to do
 * when there is none; preflight turns it into a 400.
 */
const MEDIA_PATH = /^\/api\/media\/([0-9a-f-]{36})\//i;

export async function reelVideoUrl(db: Db, workspaceId: string, fields: InstagramFields) {
  const mediaId = fields.mediaId ?? fields.videoUrl?.match(MEDIA_PATH)?.[1] ?? null;
  if (mediaId) {
    const asset = await getWorkspaceMedia(db, workspaceId, mediaId);
    if (!asset)
      throw new PublishError("The video picked for this Reel is no longer in the media library", false);
    if (asset.kind !== "video") throw new PublishError("Instagram Reels need a video file", false);
    return signedMediaUrl(asset);
  }
  if (fields.videoUrl && /^https:\/\//i.test(fields.videoUrl)) return fields.videoUrl;
  throw new PublishError("Add a video to this Reel before publishing", false);
}
