import { lt } from "drizzle-orm";
import { z } from "zod";
import { sessions, verifications } from "@/server/db/schema";
import { defineJob } from "../types";

/** Hourly housekeeping: drop expired sessions and verification tokens. */
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
    return { sessions: s.length, verifications: v.length };
  },
});
