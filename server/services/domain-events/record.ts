import "server-only";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { domainEvents } from "@/server/db/schema";
import { enqueueDomainEventDispatch } from "@/server/queue/jobs/domain-events";
import type { NewDomainEvent } from "./types";

/**
 * Records events in the caller's transaction (pass the transaction): they commit or roll back with
 * the change itself. Returns their ids for `dispatchSoon` once the transaction has committed.
 */
export async function recordDomainEvents(tx: Db, events: NewDomainEvent[]): Promise<number[]> {
  if (events.length === 0) return [];
  const rows = await tx
    .insert(domainEvents)
    .values(events.map((e) => ({ workspaceId: e.workspaceId, type: e.type, payload: e.payload })))
    .returning({ id: domainEvents.id });
  return rows.map((r) => r.id);
}

/**
 * The fast path, after the commit: asks for a dispatch now. Never throws — if the enqueue is lost
 * the repeating tick consumes the events a moment later.
 */
export async function dispatchSoon(eventIds: number[]) {
  if (eventIds.length === 0) return;
  try {
    await enqueueDomainEventDispatch(Math.min(...eventIds));
  } catch (err) {
    logger.warn({ err }, "could not enqueue the domain-event dispatch; the tick will run it");
  }
}

/** Records events outside a caller's transaction (a single statement is its own) and dispatches. */
export async function emitDomainEvents(db: Db, events: NewDomainEvent[]) {
  await dispatchSoon(await recordDomainEvents(db, events));
}

/**
 * Runs `fn` in a transaction; the events it pushes are recorded in that same transaction and
 * dispatched once it has committed. Nothing is recorded if `fn` throws.
 */
export async function transactWithEvents<T>(
  db: Db,
  fn: (tx: Db, events: NewDomainEvent[]) => Promise<T>,
): Promise<T> {
  const { result, ids } = await db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const events: NewDomainEvent[] = [];
    const result = await fn(tx, events);
    return { result, ids: await recordDomainEvents(tx, events) };
  });
  await dispatchSoon(ids);
  return result;
}
