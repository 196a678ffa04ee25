import "server-only";
import { sql } from "drizzle-orm";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { rowsOf } from "@/server/db/raw-rows";
import { enqueue } from "@/server/queue";
import { analyticsRollupJob } from "@/server/queue/jobs/analytics-rollup";
import type { DomainEventConsumer } from "../domain-events/dispatch";

/**
 * A live run starts no sooner than this many times the last run's length after that run ended, so
 * rollups take at most about a tenth of a core while data keeps arriving (a campaign sending),
 * however long the day's figures make each run: the day's email is recomputed whole on each one
 * (132 ms at 100k events), and run every ANALYTICS_LIVE_DELAY_MS that was a fifth of the database's
 * time during a large send.
 */
export const LIVE_PACE = 10;
/** However long the last run took, live runs are at most this far apart. */
export const LIVE_PACE_MAX_MS = 30_000;

let lastSlot = -1;

/**
 * Asks for a rollup soon. The job id is the same for everything asked within one delay window, so a
 * burst of leads or a send in progress costs one rollup, not one per row.
 */
export async function requestRollupSoon() {
  const delayMs = env().ANALYTICS_LIVE_DELAY_MS;
  const slot = delayMs > 0 ? Math.floor(Date.now() / delayMs) : Date.now();
  // This process has asked for this window already: another enqueue would be merged into it anyway.
  if (slot === lastSlot) return;
  lastSlot = slot;
  try {
    await enqueue(analyticsRollupJob, { live: true }, { jobId: `analytics-rollup-live-${slot}`, delayMs });
  } catch (err) {
    if (lastSlot === slot) lastSlot = -1;
    logger.warn({ err }, "could not request an analytics rollup");
  }
}

/**
 * How long a live run should still wait (ms; 0: run now), from the last run's start and end as the
 * database recorded them (rollup.ts, writeWatermark): every process paces on the same figures, on
 * the database's clock.
 */
export async function livePaceWaitMs(db: Db): Promise<number> {
  const rows = rowsOf<{ wait_ms: number | null }>(
    await db.execute(sql`
      select ceil(extract(epoch from e.watermark - clock_timestamp()
        + least((e.watermark - a.watermark) * ${LIVE_PACE}, make_interval(secs => ${LIVE_PACE_MAX_MS / 1000})))
        * 1000)::int as wait_ms
      from analytics_watermarks a
      join analytics_watermarks e on e.source = 'all:ended'
      where a.source = 'all'`),
  );
  return Math.max(0, Number(rows[0]?.wait_ms ?? 0));
}

/** A live run that came too soon after the last one runs again when its pace allows. */
export async function deferLiveRollup(waitMs: number) {
  // One deferred run per second of the time it is due at, however many live runs came too soon.
  const at = Math.ceil((Date.now() + waitMs) / 1000) * 1000;
  await enqueue(
    analyticsRollupJob,
    { live: true },
    { jobId: `analytics-rollup-live-at-${at}`, delayMs: at - Date.now() },
  );
  return { mode: "deferred" as const, waitMs };
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
