import "server-only";
import type { Db } from "@/server/db";
import { ValidationError } from "@/server/errors";
import { getIntegrationRow } from "@/server/integrations/store";
import type { PreflightItem } from "../../content/publisher";
import { PublishError } from "../../content/publisher";
import { INSTAGRAM_CAPTION_MAX, INSTAGRAM_HASHTAGS_MAX } from "../../content/schemas";
import { instagramEnabled } from "./config";
import type { InstagramFields } from "./publish-state";
import { reelVideoUrl } from "./video-source";

const HASHTAG = /(^|\s)#[^\s#]+/g;

/**
 * Why this Reel cannot go out, known without asking Meta (the editor shows it before anyone
 * clicks): no video, a caption over Instagram's limits, no connected account, or a connection that
 * needs reconnecting.
 */
export async function instagramPublishBlocker(
  db: Db,
  item: Pick<PreflightItem, "workspaceId" | "metadata" | "body">,
): Promise<{ message: string; field: string } | null> {
  const fields = (item.metadata.instagram ?? {}) as InstagramFields;
  try {
    await reelVideoUrl(db, item.workspaceId, fields);
  } catch (err) {
    if (!(err instanceof PublishError)) throw err;
    return { message: err.message, field: "instagram.video" };
  }
  const caption = item.body ?? "";
  if (caption.length > INSTAGRAM_CAPTION_MAX)
    return {
      message: `Instagram captions are limited to ${INSTAGRAM_CAPTION_MAX.toLocaleString("en-US")} characters`,
      field: "body",
    };
  if ((caption.match(HASHTAG) ?? []).length > INSTAGRAM_HASHTAGS_MAX)
    return { message: `Instagram allows at most ${INSTAGRAM_HASHTAGS_MAX} hashtags`, field: "body" };
  const row = await getIntegrationRow(db, item.workspaceId, "instagram");
  if (!row || row.status === "disconnected")
    return {
      message: "Connect an Instagram account in Integrations before publishing or scheduling this Reel",
      field: "instagram",
    };
  if (row.status === "needs_attention" || (row.tokenExpiresAt && row.tokenExpiresAt.getTime() <= Date.now()))
    return {
      message: `Your Instagram connection needs to be reconnected in Integrations before this Reel can go out${row.lastError ? ` (${row.lastError})` : ""}`,
      field: "instagram",
    };
  return null;
}

/** Before a Reel is scheduled or published: a 400 that says what to do, instead of a failed post later. */
export async function preflightInstagram(db: Db, item: PreflightItem) {
  if (item.type !== "instagram" || !instagramEnabled()) return;
  const blocker = await instagramPublishBlocker(db, item);
  if (blocker) throw new ValidationError(blocker.message, { [blocker.field]: [blocker.message] });
}
