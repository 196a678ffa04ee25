import "server-only";

export type { InstagramSecrets } from "@/server/integrations/instagram/token-store";
/**
 * Instagram Reels for the workspace, by concern: config, oauth (connect/disconnect), access (token
 * refresh), account (username, publishing limit), preflight, publish (the content hub's publisher)
 * with publish-state and video-source (signed media address), and metrics (insights).
 */
export { getInstagramAccess } from "./access";
export { instagramAccountInfo } from "./account";
export { instagramEnabled, instagramTiming } from "./config";
export { syncInstagramMetrics } from "./metrics";
export { completeInstagramConnect, disconnectInstagram, startInstagramConnect } from "./oauth";
export { instagramPlatform } from "./platform";
export { instagramPublisher } from "./publish";
export { describeContainerError } from "./publish-state";
