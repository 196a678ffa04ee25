import "server-only";

export type { TikTokSecrets } from "@/server/integrations/tiktok/token-store";
/**
 * TikTok for the workspace, by concern: config, oauth (connect/disconnect), access (token refresh),
 * creator-info (posting options, preflight), publish (the content hub's publisher) with
 * publish-state, and metrics (sync, settling posts left in the creator's inbox).
 */
export { getTikTokAccess } from "./access";
export { tiktokEnabled, tiktokTiming } from "./config";
export { tiktokCreatorInfo } from "./creator-info";
export { syncTikTokMetrics } from "./metrics";
export { completeTikTokConnect, disconnectTikTok, startTikTokConnect } from "./oauth";
export { tiktokPublisher } from "./publish";
export { describeFailReason } from "./publish-state";
