import "server-only";
import { z } from "zod";
import { enrollActiveSequences } from "@/server/services/email/sequences";
import { defineJob } from "../types";

/**
 * Every minute: leads that entered an active sequence's segment since the last tick are enrolled
 * (and their ledger rows written). The database decides who is new, so a missed tick loses nothing.
 */
export const sequenceEnrollerJob = defineJob({
  queue: "system",
  name: "sequence-enroller",
  schema: z.object({}).default({}),
  async handler(_payload, { db, log }) {
    const result = await enrollActiveSequences(db);
    if (result.enrolled) log.info(result, "enrolled leads into sequences");
    return result;
  },
});
