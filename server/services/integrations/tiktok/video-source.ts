import "server-only";
import type { Db } from "@/server/db";
import { getWorkspaceMedia } from "@/server/services/media";
import { PublishError } from "../../content/publisher";
import type { TikTokFields } from "./publish-state";

/**
 * Where a TikTok post's video comes from: a file in the workspace's media library (by id, or by
 * its `/api/media/<id>/` address) or a public https URL TikTok pulls. Throws a non-retryable
 * PublishError that says what to do when there is none; preflight turns it into a 400.
 */
const MEDIA_PATH = /^\/api\/media\/([0-9a-f-]{36})\//i;

export async function videoSource(db: Db, workspaceId: string, fields: TikTokFields) {
  const mediaId = fields.mediaId ?? fields.videoUrl?.match(MEDIA_PATH)?.[1] ?? null;
  if (mediaId) {
    const asset = await getWorkspaceMedia(db, workspaceId, mediaId);
    if (!asset)
      throw new PublishError("The video picked for this post is no longer in the media library", false);
    if (asset.kind !== "video") throw new PublishError("TikTok posts need a video file", false);
    return { kind: "file" as const, asset };
  }
  if (fields.videoUrl && /^https?:\/\//i.test(fields.videoUrl))
    return { kind: "url" as const, url: fields.videoUrl };
  throw new PublishError("Add a video to this TikTok post before publishing", false);
}
