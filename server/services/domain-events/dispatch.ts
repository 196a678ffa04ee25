import "server-only";
import { and, asc, eq, isNull, lt, lte, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { logger as rootLogger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { domainEvents } from "@/server/db/schema";
import type { DomainEvent, DomainEventType } from "./types";

/** Work a consumer leaves for after the commit (enqueue deliveries, publish a live update). */
export type AfterCommit = () => Promise<void>;

/**
 * One consumer of domain events. `handle` runs inside the dispatcher's transaction (pass `tx` to
 * every write): its writes and the record that it is done with the event commit together. It must
 * still be idempotent by a unique key, so a second run of a row that somehow committed twice adds
 * nothing.
 */
export interface DomainEventConsumer {
  name: string;
  handle(tx: Db, event: DomainEvent): Promise<AfterCommit | undefined>;
}

/** Which consumer takes which event types; `enabled` off (a feature flag) skips it. */
export interface ConsumerBinding {
  consumer: DomainEventConsumer;
  types: readonly DomainEventType[];
  enabled?: () => boolean;
}

/** Events claimed per transaction. */
export const DISPATCH_BATCH = 100;
/** A consumer that keeps failing stops being retried after this many attempts (logged as an error). */
export const MAX_EVENT_ATTEMPTS = 20;

const backoffSeconds = (attempts: number) => Math.min(3600, 2 ** Math.min(attempts, 12));

export interface DispatchResult {
  events: number;
  consumed: number;
  failed: number;
}

/**
 * Claims unconsumed events (`FOR UPDATE SKIP LOCKED`: dispatchers in several workers take
 * different rows) and runs each one's pending consumers, each in a savepoint; records which are
 * done, in the same transaction as their writes. A failing consumer is retried later with backoff
 * without holding the others back.
 */
export async function dispatchDomainEvents(
  db: Db,
  bindings: readonly ConsumerBinding[],
  opts: { maxBatches?: number; signal?: AbortSignal; log?: Logger } = {},
): Promise<DispatchResult> {
  const log = opts.log ?? rootLogger;
  const total: DispatchResult = { events: 0, consumed: 0, failed: 0 };
  for (let batch = 0; batch < (opts.maxBatches ?? 50); batch++) {
    if (opts.signal?.aborted) break;
    const after: AfterCommit[] = [];
    const claimed = await db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      const rows = await tx
        .select()
        .from(domainEvents)
        .where(and(isNull(domainEvents.processedAt), lte(domainEvents.availableAt, sql`now()`)))
        .orderBy(asc(domainEvents.id))
        .limit(DISPATCH_BATCH)
        .for("update", { skipLocked: true });
      for (const row of rows) {
        const event = row as unknown as DomainEvent;
        const wanted = bindings.filter((b) => b.types.includes(row.type));
        const done = new Set(row.doneConsumers);
        let error: string | null = null;
        for (const b of wanted) {
          if (done.has(b.consumer.name)) continue;
          if (b.enabled && !b.enabled()) {
            done.add(b.consumer.name);
            continue;
          }
          try {
            const effect = await tx.transaction(async (sp) => b.consumer.handle(sp as unknown as Db, event));
            if (effect) after.push(effect);
            done.add(b.consumer.name);
            total.consumed++;
          } catch (err) {
            total.failed++;
            error = `${b.consumer.name}: ${err instanceof Error ? err.message : String(err)}`;
            log.warn(
              { err, eventId: row.id, type: row.type, consumer: b.consumer.name },
              "event consumer failed",
            );
          }
        }
        const attempts = row.attempts + (error ? 1 : 0);
        const giveUp = error !== null && attempts >= MAX_EVENT_ATTEMPTS;
        if (giveUp) log.error({ eventId: row.id, type: row.type, error }, "event consumer gave up");
        const finished = giveUp || wanted.every((b) => done.has(b.consumer.name));
        await tx
          .update(domainEvents)
          .set({
            doneConsumers: [...done],
            attempts,
            lastError: error ?? row.lastError,
            processedAt: finished ? sql`now()` : null,
            availableAt: error
              ? sql`now() + make_interval(secs => ${backoffSeconds(attempts)})`
              : row.availableAt,
          })
          .where(eq(domainEvents.id, row.id));
      }
      return rows.length;
    });
    total.events += claimed;
    for (const effect of after) {
      await effect().catch((err) => log.warn({ err }, "event consumer follow-up failed"));
    }
    if (claimed < DISPATCH_BATCH) break;
  }
  return total;
}

/** Deletes consumed events older than `retentionDays` (the cleanup job). */
export async function sweepDomainEvents(db: Db, retentionDays: number): Promise<number> {
  const rows = await db
    .delete(domainEvents)
    .where(lt(domainEvents.processedAt, sql`now() - make_interval(days => ${retentionDays})`))
    .returning({ id: domainEvents.id });
  return rows.length;
}
