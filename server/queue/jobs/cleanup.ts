import { lt } from "drizzle-orm";
import { z } from "zod";
import { env } from "@/lib/env";
import { sessions, verifications } from "@/server/db/schema";
import { sweepOutbox } from "@/server/services/email/outbox";
import { sweepStagingTables } from "@/server/services/leads-import/staging";
import { defineJob } from "../types";

/**
 * Hourly housekeeping: drop expired sessions and verification tokens, outbox messages past
 * OUTBOX_RETENTION_DAYS, and the staging tables of lead imports whose process died (each import
 * also sweeps them when it starts).
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
    const outbox = await sweepOutbox(db, env().OUTBOX_RETENTION_DAYS);
    const stagingTables = await sweepStagingTables(db);
    return {
      sessions: s.length,
      verifications: v.length,
      outboxMessages: outbox,
      stagingTables: stagingTables.length,
    };
  },
});
