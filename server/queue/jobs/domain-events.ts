import "server-only";
import { z } from "zod";
import { env } from "@/lib/env";
import { enqueue, getQueue } from "..";
import { defineJob, type RepeatingJob } from "../types";

/**
 * Runs the consumers of unconsumed domain events (triggered campaigns, webhooks, notifications,
 * live updates). The rows are the truth: this job is enqueued right after a change commits (the
 * fast path), and the repeating tick runs it too, so a lost enqueue only delays.
 */
export const dispatchDomainEventsJob = defineJob({
  queue: "system",
  name: "dispatch-domain-events",
  schema: z.object({}).default({}),
});

export const domainEventsTick = (): RepeatingJob => ({
  def: dispatchDomainEventsJob,
  everyMs: env().DOMAIN_EVENTS_INTERVAL_MS,
  payload: {},
});

/** With Redis, commits within one window share one dispatch that runs when the window closes. */
export const DISPATCH_WINDOW_MS = 100;
/** Slack for clocks of different hosts: the window's job runs this long after the window closes. */
const CLOCK_SLACK_MS = 50;
let lastWindow = -1;

/**
 * The fast path after a commit. In-process (embedded), one job per commit (its first event's id),
 * so none is merged into a run that has already read the table. With Redis, one job per 100 ms
 * window, delayed until the window has closed: every commit that asked for it committed before it
 * runs, and a burst of 10,000 publishes costs ~10 dispatch jobs a second instead of 10,000; this
 * process asks once per window.
 */
export async function enqueueDomainEventDispatch(firstEventId: number) {
  if (getQueue().kind === "inline") {
    await enqueue(dispatchDomainEventsJob, {}, { jobId: `domain-events-${firstEventId}` });
    return;
  }
  const now = Date.now();
  const window = Math.floor(now / DISPATCH_WINDOW_MS);
  if (window === lastWindow) return;
  // Claimed before the await: the other commits of this window finishing meanwhile skip it too.
  lastWindow = window;
  try {
    await enqueue(
      dispatchDomainEventsJob,
      {},
      {
        jobId: `domain-events-w${window}`,
        delayMs: (window + 1) * DISPATCH_WINDOW_MS - now + CLOCK_SLACK_MS,
      },
    );
  } catch (err) {
    if (lastWindow === window) lastWindow = -1;
    throw err;
  }
}
