import "server-only";
import { logger } from "@/lib/logger";
import { subscribeEvents } from "@/server/events";
import { enqueue } from "@/server/queue";
import { analyticsRollupJob } from "@/server/queue/jobs/analytics-rollup";
import { onLeadEvent } from "../leads/lead-events";

/** How soon after new data the rollup runs (the repeating job is the safety net). */
export const LIVE_ROLLUP_DELAY_MS = Number(process.env.ANALYTICS_LIVE_DELAY_MS ?? 1500);

/**
 * Asks for a rollup soon. The job id is the same for everything asked within one delay window, so a
 * burst of leads or a send in progress costs one rollup, not one per row.
 */
export async function requestRollupSoon() {
  const slot = Math.floor(Date.now() / LIVE_ROLLUP_DELAY_MS);
  try {
    await enqueue(
      analyticsRollupJob,
      {},
      { jobId: `analytics-rollup-live-${slot}`, delayMs: LIVE_ROLLUP_DELAY_MS },
    );
  } catch (err) {
    logger.warn({ err }, "could not request an analytics rollup");
  }
}

const g = globalThis as unknown as { organicAnalyticsLive?: boolean };

/** Hooks the live triggers once per process: a lead arriving, content publishing, a send progressing. */
export function registerAnalyticsLiveTriggers() {
  if (g.organicAnalyticsLive) return;
  g.organicAnalyticsLive = true;
  onLeadEvent(async (_db, event) => {
    if (event.type === "lead.created") await requestRollupSoon();
  });
  subscribeEvents((e) => {
    if (e.type === "content.published" || (e.type === "job.progress" && e.data.kind === "campaign-send")) {
      void requestRollupSoon();
    }
  });
}
