import "server-only";

export { getAttribution } from "./attribution";
/** Dashboard queries, one per file (see ./common for what they share). */
export { CACHE_TTL_MS, cacheNamespace, type Freshness, type Kpi } from "./common";
export { type ContentRow, getContentAnalytics } from "./content";
export { getEmailAnalytics } from "./email";
export { getFunnel } from "./funnel";
export { getLeadsAnalytics } from "./leads";
export { getOverview } from "./overview";
export { getRevenueAnalytics } from "./revenue";
export { upcomingContent } from "./upcoming-content";
