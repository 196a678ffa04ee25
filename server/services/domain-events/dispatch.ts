import "server-only";
import { and, asc, eq, inArray, isNull, lt, lte, sql } from "drizzle-orm";
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
  /**
   * Optional: the same for several events at once (a few statements for a whole batch instead of
   * a few per event). The fast pass uses it; a batch that fails runs again event by event through
   * `handle`.
   */
  handleMany?(tx: Db, events: DomainEvent[]): Promise<AfterCommit | undefined>;
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

/** A consumer threw during the fast pass: the batch is rolled back and run again with savepoints. */
class FastPassFailed extends Error {
  constructor(
    /** null when a whole batch failed in `handleMany`: nothing is known of which event did. */
    readonly eventId: number | null,
    readonly consumer: string,
    readonly cause: unknown,
  ) {
    super(`${consumer}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

type EventRow = typeof domainEvents.$inferSelect;

/**
 * Claims unconsumed events (`FOR UPDATE SKIP LOCKED`: dispatchers in several workers take
 * different rows) and runs each one's pending consumers; records which are done, in the same
 * transaction as their writes. The fast pass runs a batch without savepoints and marks it done in
 * one statement per set of consumers. If any consumer throws, that pass is rolled back as a whole
 * and the batch runs again with a savepoint per consumer, so a failing consumer is retried later
 * with backoff without holding the others back (consumers are idempotent, so the rolled-back pass
 * left nothing behind that a second run would double).
 */
export async function dispatchDomainEvents(
  db: Db,
  bindings: readonly ConsumerBinding[],
  opts: {
    maxBatches?: number;
    signal?: AbortSignal;
    log?: Logger;
    /** Only this workspace's events. */
    workspaceId?: string;
  } = {},
): Promise<DispatchResult> {
  const log = opts.log ?? rootLogger;
  const total: DispatchResult = { events: 0, consumed: 0, failed: 0 };
  for (let batch = 0; batch < (opts.maxBatches ?? 50); batch++) {
    if (opts.signal?.aborted) break;
    let pass: BatchPass;
    try {
      pass = await db.transaction((tx) => runFastPass(tx as unknown as Db, bindings, opts.workspaceId));
    } catch (err) {
      if (!(err instanceof FastPassFailed)) throw err;
      const failed = err;
      pass = await db.transaction((tx) =>
        runCarefulPass(tx as unknown as Db, bindings, log, failed, opts.workspaceId),
      );
    }
    total.events += pass.events;
    total.consumed += pass.consumed;
    total.failed += pass.failed;
    for (const effect of pass.after) {
      await effect().catch((err) => log.warn({ err }, "event consumer follow-up failed"));
    }
    if (pass.events < DISPATCH_BATCH) break;
  }
  return total;
}

interface BatchPass extends DispatchResult {
  after: AfterCommit[];
}

/** `workspaceId`: only that workspace's events (re-running one tenant's; tests on a shared database). */
function claimBatch(tx: Db, workspaceId?: string) {
  return tx
    .select()
    .from(domainEvents)
    .where(
      and(
        isNull(domainEvents.processedAt),
        lte(domainEvents.availableAt, sql`now()`),
        workspaceId ? eq(domainEvents.workspaceId, workspaceId) : undefined,
      ),
    )
    .orderBy(asc(domainEvents.id))
    .limit(DISPATCH_BATCH)
    .for("update", { skipLocked: true });
}

/** The consumers an event still waits for; switched-off ones count as done. */
function pendingConsumers(row: EventRow, bindings: readonly ConsumerBinding[]) {
  const wanted = bindings.filter((b) => b.types.includes(row.type));
  const done = new Set(row.doneConsumers);
  const pending: ConsumerBinding[] = [];
  for (const b of wanted) {
    if (done.has(b.consumer.name)) continue;
    if (b.enabled && !b.enabled()) done.add(b.consumer.name);
    else pending.push(b);
  }
  return { wanted, done, pending };
}

async function runFastPass(
  tx: Db,
  bindings: readonly ConsumerBinding[],
  workspaceId?: string,
): Promise<BatchPass> {
  const rows = await claimBatch(tx, workspaceId);
  const pass: BatchPass = { events: rows.length, consumed: 0, failed: 0, after: [] };
  const states = rows.map((row) => ({ row, ...pendingConsumers(row, bindings) }));
  // Consumer by consumer, each with the events (in order) still waiting for it.
  for (const b of bindings) {
    const events = states.filter((s) => s.pending.includes(b)).map((s) => s.row as unknown as DomainEvent);
    if (events.length === 0) continue;
    if (b.consumer.handleMany) {
      try {
        const effect = await b.consumer.handleMany(tx, events);
        if (effect) pass.after.push(effect);
      } catch (err) {
        throw new FastPassFailed(events.length === 1 ? events[0]!.id : null, b.consumer.name, err);
      }
    } else {
      for (const event of events) {
        try {
          const effect = await b.consumer.handle(tx, event);
          if (effect) pass.after.push(effect);
        } catch (err) {
          throw new FastPassFailed(event.id, b.consumer.name, err);
        }
      }
    }
    pass.consumed += events.length;
  }
  // Rows that end with the same set of done consumers are marked in one statement.
  const finished = new Map<string, { done: string[]; ids: number[] }>();
  for (const { row, done, pending } of states) {
    for (const b of pending) done.add(b.consumer.name);
    const key = [...done].sort().join(",");
    const group = finished.get(key) ?? { done: [...done], ids: [] };
    group.ids.push(row.id);
    finished.set(key, group);
  }
  for (const { done, ids } of finished.values()) {
    await tx
      .update(domainEvents)
      .set({ doneConsumers: done, processedAt: sql`now()` })
      .where(inArray(domainEvents.id, ids));
  }
  return pass;
}

/** `failedFirst`: the fast pass's failure, recorded as this run's attempt (not called again). */
async function runCarefulPass(
  tx: Db,
  bindings: readonly ConsumerBinding[],
  log: Logger,
  failedFirst: FastPassFailed,
  workspaceId?: string,
): Promise<BatchPass> {
  const rows = await claimBatch(tx, workspaceId);
  const pass: BatchPass = { events: rows.length, consumed: 0, failed: 0, after: [] };
  for (const row of rows) {
    const { wanted, done, pending } = pendingConsumers(row, bindings);
    let error: string | null = null;
    for (const b of pending) {
      try {
        if (row.id === failedFirst.eventId && b.consumer.name === failedFirst.consumer) {
          throw failedFirst.cause;
        }
        const effect = await tx.transaction(async (sp) =>
          b.consumer.handle(sp as unknown as Db, row as unknown as DomainEvent),
        );
        if (effect) pass.after.push(effect);
        done.add(b.consumer.name);
        pass.consumed++;
      } catch (err) {
        pass.failed++;
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
  return pass;
}

/** Deletes consumed events older than `retentionDays` (the cleanup job). */
export async function sweepDomainEvents(db: Db, retentionDays: number): Promise<number> {
  const rows = await db
    .delete(domainEvents)
    .where(lt(domainEvents.processedAt, sql`now() - make_interval(days => ${retentionDays})`))
    .returning({ id: domainEvents.id });
  return rows.length;
}
