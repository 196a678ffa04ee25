import "server-only";
import { tiktokHealth } from "@/server/integrations/tiktok/health";
import { TIKTOK_CAPTION_MAX } from "@/server/services/content/schemas";
import type { VideoPlatform } from "../platform";
import { tiktokCreatorInfo, tiktokPublishBlocker } from "./creator-info";
import { syncTikTokMetrics } from "./metrics";
import { completeTikTokConnect, disconnectTikTok, startTikTokConnect } from "./oauth";
import { tiktokPublisher } from "./publish";

/** TikTok on the platform interface (Content Posting API direct post; metrics from video/list). */
export const tiktokPlatform: VideoPlatform = {
  id: "tiktok",
  label: "TikTok",
  limits: { captionMax: TIKTOK_CAPTION_MAX, titleMax: null, hashtagsMax: null, maxDurationSeconds: 600 },
  connect: { start: startTikTokConnect, complete: completeTikTokConnect },
  disconnect: disconnectTikTok,
  async accountInfo(db, workspaceId) {
    const info = await tiktokCreatorInfo(db, workspaceId);
    if (!info) return null;
    const { username, nickname, ...options } = info;
    return { accountName: nickname ?? username, options: { username, ...options } };
  },
  publishBlocker: tiktokPublishBlocker,
  publisher: tiktokPublisher,
  async syncMetrics(db, workspaceId) {
    const r = await syncTikTokMetrics(db, workspaceId);
    return "skipped" in r ? r : { matched: r.matched, read: r.videos };
  },
  health: tiktokHealth,
};
