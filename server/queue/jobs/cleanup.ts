import { z } from "zod";
import { defineJob, type RepeatingJob } from "../types";

/**
 * Hourly housekeeping: expired sessions and verification tokens, outbox messages past
 * OUTBOX_RETENTION_DAYS, consumed domain events past DOMAIN_EVENTS_RETENTION_DAYS, and the staging
 * tables of lead imports whose process died (each import also sweeps them when it starts).
 */
export const cleanupJob = defineJob({
  queue: "system",
  name: "cleanup",
  schema: z.object({}).default({}),
});

export const cleanupTick: RepeatingJob = { def: cleanupJob, everyMs: 60 * 60 * 1000, payload: {} };
