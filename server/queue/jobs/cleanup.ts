import { lt } from "drizzle-orm";
import { z } from "zod";
import { sessions, verifications } from "@/server/db/schema";
import { sweepStagingTables } from "@/server/services/leads-import/staging";
import { defineJob } from "../types";

/**
 * Hourly housekeeping: drop expired sessions and verification tokens, and the staging tables of
 * lead imports whose process died (each import also sweeps them when it starts).
 */
export const cleanupJob = defineJob({
  queue: "system",
  name: "cleanup",
  schema: z.object({}).default({}),
  async handler(_payload, { db }) {
    const now = new Date();
    const s = await db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.id });
    const v = await db
      .delete(verifications)
      .where(lt(verifications.expiresAt, now))
      .returning({ id: verifications.id });
    const stagingTables = await sweepStagingTables(db);
    return { sessions: s.length, verifications: v.length, stagingTables: stagingTables.length };
  },
});
