import "server-only";

export type { YouTubeSecrets } from "@/server/integrations/youtube/token-store";
/**
 * YouTube Shorts for the workspace, by concern: config, oauth (connect/disconnect), access (token
 * refresh, quota-counted calls), quota (the server's daily units), upload (resumable, durable),
 * publish (preflight and the content hub's publisher) with publish-state, metrics, and platform.
 */
export { callYouTube, getYouTubeAccess, type YouTubeCaller, youtubeCaller } from "./access";
export { youtubeEnabled, youtubeTiming } from "./config";
export { syncYouTubeMetrics } from "./metrics";
export { completeYouTubeConnect, disconnectYouTube, startYouTubeConnect } from "./oauth";
export { youtubePlatform } from "./platform";
export { youtubePublisher } from "./publish";
export { describeReason } from "./publish-state";
export { quotaUsedToday, YouTubeQuotaExhaustedError } from "./quota";
