import "server-only";
import { z } from "zod";
import { refreshAnalytics } from "@/server/services/analytics/refresh";
import { defineJob } from "../types";

/**
 * Every minute (and a moment after a lead arrives, a post publishes or a send progresses): rolls up
 * what changed since the last run into the daily analytics tables. Only touched buckets are
 * recomputed; a run that finds another one in progress skips.
 */
export const analyticsRollupJob = defineJob({
  queue: "analytics",
  name: "analytics-rollup",
  schema: z.object({ full: z.boolean().optional() }).default({}),
  async handler(payload, { db, log }) {
    const result = await refreshAnalytics(db, { full: payload.full });
    if (result.buckets) log.info(result, "analytics rolled up");
    return result;
  },
});
