import "server-only";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { DomainError, ValidationError } from "@/server/errors";
import { AuthError, isIntegrationError } from "@/server/integrations/http";
import { getIntegrationRow, noteFailure } from "@/server/integrations/store";
import { queryCreatorInfo } from "@/server/integrations/tiktok/client";
import type { PreflightItem } from "../../content/publisher";
import { PublishError } from "../../content/publisher";
import { getTikTokAccess } from "./access";
import { tiktokEnabled } from "./config";
import type { TikTokFields } from "./publish-state";
import { videoSource } from "./video-source";

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

export const PRIVACY_WORDS: Record<string, string> = {
  PUBLIC_TO_EVERYONE: "Everyone",
  MUTUAL_FOLLOW_FRIENDS: "Friends",
  FOLLOWER_OF_CREATOR: "Followers",
  SELF_ONLY: "Only me",
};
export const privacyWords = (levels: string[]) => levels.map((l) => PRIVACY_WORDS[l] ?? l).join(", ");

/**
 * Why this TikTok post cannot go out, known without asking TikTok (the editor shows it before
 * anyone clicks): no video, no connected account, or a connection that needs reconnecting.
 */
export async function tiktokPublishBlocker(
  db: Db,
  item: Pick<PreflightItem, "workspaceId" | "metadata">,
): Promise<{ message: string; field: string } | null> {
  const fields = (item.metadata.tiktok ?? {}) as TikTokFields;
  try {
    await videoSource(db, item.workspaceId, fields);
  } catch (err) {
    if (!(err instanceof PublishError)) throw err;
    return { message: err.message, field: "tiktok.video" };
  }
  const row = await getIntegrationRow(db, item.workspaceId, "tiktok");
  if (!row || row.status === "disconnected")
    return {
      message: "Connect a TikTok account in Integrations before publishing or scheduling this post",
      field: "tiktok",
    };
  if (row.status === "needs_attention")
    return {
      message: `Your TikTok connection needs to be reconnected in Integrations before this post can go out${row.lastError ? ` (${row.lastError})` : ""}`,
      field: "tiktok",
    };
  return null;
}

/**
 * Before a TikTok post is scheduled or published, so it cannot fail at once or later for a reason
 * known now (400s that say what to do): it needs a video, a connected TikTok account that does not
 * need reconnecting, and a privacy level the creator offers (creator info). When TikTok cannot be
 * asked right now, the publisher checks the privacy level again at publish time.
 */
export async function preflightTikTok(db: Db, item: PreflightItem) {
  if (item.type !== "tiktok" || !tiktokEnabled()) return;
  const blocker = await tiktokPublishBlocker(db, item);
  if (blocker) throw new ValidationError(blocker.message, { [blocker.field]: [blocker.message] });
  const fields = (item.metadata.tiktok ?? {}) as TikTokFields;
  const info = await tiktokCreatorInfo(db, item.workspaceId).catch((err) => {
    logger.warn({ err: String(err) }, "tiktok creator info failed during preflight");
    return null;
  });
  if (!info) return;
  const privacy = fields.privacyLevel ?? "SELF_ONLY";
  if (!info.privacyLevels.includes(privacy)) {
    const message = `Your TikTok account @${info.username} does not offer “${PRIVACY_WORDS[privacy] ?? privacy}”. Choose one of: ${privacyWords(info.privacyLevels)}`;
    throw new ValidationError(message, { "tiktok.privacyLevel": [message] });
  }
}
