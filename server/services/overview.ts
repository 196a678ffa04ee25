/** The overview page's figures come from the analytics rollups (see ./analytics/queries). */
export { getOverview, upcomingContent } from "./analytics/queries";
