import "server-only";
import { z } from "zod";
import { defineJob, type RepeatingJob } from "../types";

/**
 * Every minute: leads that entered an active sequence's segment since the last tick are enrolled
 * (and their ledger rows written). The database decides who is new, so a missed tick loses nothing.
 */
export const sequenceEnrollerJob = defineJob({
  queue: "system",
  name: "sequence-enroller",
  schema: z.object({}).default({}),
  feature: "email",
});

export const sequenceEnrollerTick: RepeatingJob = { def: sequenceEnrollerJob, everyMs: 60_000, payload: {} };
