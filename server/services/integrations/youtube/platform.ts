import "server-only";
import { getIntegrationRow } from "@/server/integrations/store";
import { youtubeHealth } from "@/server/integrations/youtube/health";
import {
  YOUTUBE_DESCRIPTION_MAX,
  YOUTUBE_PRIVACY,
  YOUTUBE_TITLE_MAX,
} from "@/server/services/content/schemas";
import type { VideoPlatform } from "../platform";
import { youtubeEnabled } from "./config";
import { syncYouTubeMetrics } from "./metrics";
import { completeYouTubeConnect, disconnectYouTube, startYouTubeConnect } from "./oauth";
import { youtubePublisher } from "./publish";

/** YouTube Shorts on the platform interface (resumable videos.insert; statistics from videos.list). */
export const youtubePlatform: VideoPlatform = {
  id: "youtube",
  label: "YouTube Shorts",
  // Shorts: square or taller and at most 3 minutes (uploads since 2024-10-15); YouTube decides from the file.
  limits: {
    captionMax: YOUTUBE_DESCRIPTION_MAX,
    titleMax: YOUTUBE_TITLE_MAX,
    hashtagsMax: null,
    maxDurationSeconds: 180,
  },
  connect: { start: startYouTubeConnect, complete: completeYouTubeConnect },
  disconnect: disconnectYouTube,
  // From what was stored at connect: no API call, so opening the editor costs no quota.
  async accountInfo(db, workspaceId) {
    if (!youtubeEnabled()) return null;
    const row = await getIntegrationRow(db, workspaceId, "youtube");
    if (!row || row.status === "disconnected") return null;
    return {
      accountName: row.accountName,
      options: {
        channelId: row.accountId,
        privacyStatuses: [...YOUTUBE_PRIVACY],
        needsReconnect: row.status === "needs_attention",
      },
    };
  },
  publisher: youtubePublisher,
  async syncMetrics(db, workspaceId) {
    const r = await syncYouTubeMetrics(db, workspaceId);
    return "skipped" in r ? r : { matched: r.matched, read: r.videos };
  },
  health: youtubeHealth,
};
