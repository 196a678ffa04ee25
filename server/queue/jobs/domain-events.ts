import "server-only";
import { z } from "zod";
import { env } from "@/lib/env";
import { enqueue } from "..";
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

/** The fast path: one job per commit (its first event's id), so none is merged into a finished one. */
export function enqueueDomainEventDispatch(firstEventId: number) {
  return enqueue(dispatchDomainEventsJob, {}, { jobId: `domain-events-${firstEventId}` });
}
