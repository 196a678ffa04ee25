import { and, asc, eq, gt, max } from "drizzle-orm";
import type { Db } from "@/server/db";
import { domainEvents } from "@/server/db/schema";
import type { DomainEvent } from "@/server/services/domain-events/types";
import { type LeadEvent, leadEventOf } from "@/server/services/email/triggers";

/**
 * The lead events (trigger-shaped) a workspace recorded since `clear()`, read from the outbox
 * table — what triggered campaigns see, whatever module a process imported.
 */
export function leadEventLog(db: Db, workspaceId: () => string) {
  let mark = 0;
  return {
    async clear() {
      const [row] = await db.select({ id: max(domainEvents.id) }).from(domainEvents);
      mark = Number(row?.id ?? 0);
    },
    async list(): Promise<LeadEvent[]> {
      const rows = await db
        .select()
        .from(domainEvents)
        .where(and(eq(domainEvents.workspaceId, workspaceId()), gt(domainEvents.id, mark)))
        .orderBy(asc(domainEvents.id));
      return rows
        .map((r) => leadEventOf(r as unknown as DomainEvent))
        .filter((e): e is LeadEvent => e !== null);
    },
  };
}
