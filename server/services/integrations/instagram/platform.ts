import "server-only";
import { instagramHealth } from "@/server/integrations/instagram/health";
import { INSTAGRAM_CAPTION_MAX, INSTAGRAM_HASHTAGS_MAX } from "@/server/services/content/schemas";
import type { VideoPlatform } from "../platform";
import { instagramAccountInfo } from "./account";
import { syncInstagramMetrics } from "./metrics";
import { completeInstagramConnect, disconnectInstagram, startInstagramConnect } from "./oauth";
import { instagramPublisher } from "./publish";

/** Instagram Reels on the platform interface (Instagram API with Instagram Login; metrics from insights). */
export const instagramPlatform: VideoPlatform = {
  id: "instagram",
  label: "Instagram",
  limits: {
    captionMax: INSTAGRAM_CAPTION_MAX,
    titleMax: null,
    hashtagsMax: INSTAGRAM_HASHTAGS_MAX,
    maxDurationSeconds: 15 * 60,
  },
  connect: { start: startInstagramConnect, complete: completeInstagramConnect },
  disconnect: disconnectInstagram,
  accountInfo: instagramAccountInfo,
  publisher: instagramPublisher,
  async syncMetrics(db, workspaceId) {
    const r = await syncInstagramMetrics(db, workspaceId);
    return "skipped" in r ? r : { matched: r.matched, read: r.read };
  },
  health: instagramHealth,
};
