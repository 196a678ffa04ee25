import "server-only";
import { lt } from "drizzle-orm";
import { env } from "@/lib/env";
import type { Db } from "@/server/db";
import { sessions, verifications } from "@/server/db/schema";
import { sweepDomainEvents } from "./domain-events/dispatch";
import { sweepOutbox } from "./email/outbox";
import { sweepStagingTables } from "./leads-import/staging";

/**
 * Hourly housekeeping: expired sessions and verification tokens, outbox messages past
 * OUTBOX_RETENTION_DAYS, consumed domain events past DOMAIN_EVENTS_RETENTION_DAYS, and the staging
 * tables of lead imports whose process died (each import also sweeps them when it starts).
 */
export async function runCleanup(db: Db) {
  const now = new Date();
  const s = await db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.id });
  const v = await db
    .delete(verifications)
    .where(lt(verifications.expiresAt, now))
    .returning({ id: verifications.id });
  const outbox = await sweepOutbox(db, env().OUTBOX_RETENTION_DAYS);
  const domainEvents = await sweepDomainEvents(db, env().DOMAIN_EVENTS_RETENTION_DAYS);
  const stagingTables = await sweepStagingTables(db);
  return {
    sessions: s.length,
    verifications: v.length,
    outboxMessages: outbox,
    domainEvents,
    stagingTables: stagingTables.length,
  };
}
