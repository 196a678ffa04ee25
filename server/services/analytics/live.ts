import "server-only";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { enqueue } from "@/server/queue";
import { analyticsRollupJob } from "@/server/queue/jobs/analytics-rollup";
import type { DomainEventConsumer } from "../domain-events/dispatch";

/** How soon after new data the rollup runs (the repeating job is the safety net). */
export const LIVE_ROLLUP_DELAY_MS = env().ANALYTICS_LIVE_DELAY_MS;

let lastSlot = -1;

/**
 * Asks for a rollup soon. The job id is the same for everything asked within one delay window, so a
 * burst of leads or a send in progress costs one rollup, not one per row.
 */
export async function requestRollupSoon() {
  const slot = LIVE_ROLLUP_DELAY_MS > 0 ? Math.floor(Date.now() / LIVE_ROLLUP_DELAY_MS) : Date.now();
  // This process has asked for this window already: another enqueue would be merged into it anyway.
  if (slot === lastSlot) return;
  lastSlot = slot;
  try {
    await enqueue(
      analyticsRollupJob,
      {},
      { jobId: `analytics-rollup-live-${slot}`, delayMs: LIVE_ROLLUP_DELAY_MS },
    );
  } catch (err) {
    if (lastSlot === slot) lastSlot = -1;
    logger.warn({ err }, "could not request an analytics rollup");
  }
}

/**
 * The domain-event consumer that keeps analytics fresh (a lead arriving, content publishing; the
 * sender asks after each batch itself). Bound in server/queue/handlers.ts.
 */
export const analyticsLiveConsumer: DomainEventConsumer = {
  name: "analytics-live",
  async handle() {
    return requestRollupSoon;
  },
  async handleMany() {
    return requestRollupSoon;
  },
};
