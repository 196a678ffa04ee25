import "server-only";
import { randomUUID } from "node:crypto";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { reportError } from "@/server/observability/errors";
import { runJob } from "./run";
import {
  type EnqueueOptions,
  type JobDefinition,
  type JobRegistry,
  PermanentJobError,
  QUEUES,
  type QueueAdapter,
  type QueueName,
} from "./types";

interface Pending {
  def: JobDefinition;
  payload: unknown;
  jobId: string;
  attempt: number;
  retry?: boolean;
  /** A repeating tick's due time (ms since epoch): its lateness is measured when it starts. */
  tickDueAt?: number;
}

/**
 * Embedded-mode runner: the same handlers and retry policy as BullMQ, in this process. Jobs live in
 * memory; anything that must survive a restart is a database row that a scheduler tick re-enqueues.
 * Jobs wait until a handler registry is attached (`start`): the web boot and test helpers attach
 * `server/queue/handlers.ts`; a process that only enqueues (the CLI) never runs them.
 */
export class InlineQueue implements QueueAdapter {
  readonly kind = "inline" as const;
  private active = new Set<string>();
  private timers = new Set<NodeJS.Timeout>();
  private running = 0;
  private executing = new Set<Pending>();
  /** Retries waiting out their backoff: drain() waits for these, not for jobs delayed on purpose. */
  private retrying = 0;
  private waiting: Pending[] = [];
  private closed = false;
  private registry: JobRegistry | undefined;
  private readonly abort = new AbortController();

  constructor(
    private readonly getDb: () => Promise<Db>,
    private readonly opts: { concurrency?: number; backoffScale?: number; handlers?: JobRegistry } = {},
  ) {
    this.registry = opts.handlers;
  }

  /** Attaches the handlers and runs what was enqueued meanwhile. */
  start(registry: JobRegistry) {
    this.registry = registry;
    this.pump();
  }

  get handlers(): JobRegistry | undefined {
    return this.registry;
  }

  async enqueue(def: JobDefinition, payload: unknown, opts: EnqueueOptions = {}, tickDueAt?: number) {
    const jobId = opts.jobId ?? randomUUID();
    if (this.closed || this.active.has(jobId)) return { jobId };
    this.active.add(jobId);
    this.schedule({ def, payload, jobId, attempt: 1, tickDueAt }, opts.delayMs ?? 0);
    return { jobId };
  }

  async enqueueMany(def: JobDefinition, jobs: { payload: unknown; opts?: EnqueueOptions }[]) {
    for (const j of jobs) await this.enqueue(def, j.payload, j.opts);
  }

  async repeat(def: JobDefinition, payload: unknown, everyMs: number) {
    const jobId = `repeat-${def.name}`;
    // Run once right away: work that came due while the process was down is picked up on start.
    let dueAt = Date.now();
    void this.enqueue(def, payload, { jobId }, dueAt);
    // Ticks are due on a fixed grid (not every `everyMs` after the last timer fired, which would let
    // one blocked loop make every later tick look late); slots missed meanwhile are skipped.
    const arm = () => {
      const now = Date.now();
      dueAt += everyMs;
      if (dueAt < now - everyMs) dueAt += Math.floor((now - dueAt) / everyMs) * everyMs;
      const timer = setTimeout(
        () => {
          this.timers.delete(timer);
          if (this.closed) return;
          void this.enqueue(def, payload, { jobId }, dueAt);
          arm();
        },
        Math.max(0, dueAt - now),
      );
      timer.unref();
      this.timers.add(timer);
    };
    arm();
  }

  private schedule(p: Pending, delayMs: number) {
    if (this.closed) return;
    if (delayMs <= 0) {
      this.waiting.push(p);
      this.pump();
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.waiting.push(p);
      this.pump();
    }, delayMs);
    t.unref();
    this.timers.add(t);
  }

  private pump() {
    if (!this.registry) return;
    while (!this.closed && this.running < (this.opts.concurrency ?? 4) && this.waiting.length > 0) {
      const p = this.waiting.shift()!;
      if (p.retry) this.retrying--;
      this.running++;
      this.executing.add(p);
      void this.execute(p).finally(() => {
        this.running--;
        this.executing.delete(p);
        this.pump();
      });
    }
  }

  private async execute(p: Pending) {
    const policy = QUEUES[p.def.queue];
    try {
      await runJob(this.registry!, p.def.name, p.payload, {
        db: await this.getDb(),
        jobId: p.jobId,
        attempt: p.attempt,
        signal: this.abort.signal,
        // Only the first attempt: a retry's wait is backoff, not lateness.
        tickDueAt: p.attempt === 1 ? p.tickDueAt : undefined,
      });
      this.active.delete(p.jobId);
    } catch (err) {
      const permanent = err instanceof PermanentJobError;
      if (!permanent && !this.closed && p.attempt < policy.attempts) {
        const delay = policy.backoffMs * 2 ** (p.attempt - 1) * (this.opts.backoffScale ?? 1);
        this.retrying++;
        this.schedule({ ...p, attempt: p.attempt + 1, retry: true }, delay);
      } else {
        this.active.delete(p.jobId);
        logger.error({ err, job: p.def.name, jobId: p.jobId, attempt: p.attempt }, "job failed for good");
        reportError(err, { job: p.def.name, jobId: p.jobId });
      }
    }
  }

  async depth() {
    const counts = new Map<string, number>();
    const add = (queue: QueueName, state: string) =>
      counts.set(`${queue}:${state}`, (counts.get(`${queue}:${state}`) ?? 0) + 1);
    for (const p of this.waiting) add(p.def.queue, "waiting");
    for (const p of this.executing) add(p.def.queue, "active");
    return (Object.keys(QUEUES) as QueueName[]).flatMap((queue) =>
      ["waiting", "active"].map((state) => ({ queue, state, count: counts.get(`${queue}:${state}`) ?? 0 })),
    );
  }

  /** Resolves when nothing is queued or running (tests). */
  async drain(timeoutMs = 10_000) {
    const start = Date.now();
    while (this.running > 0 || this.waiting.length > 0 || this.retrying > 0) {
      if (Date.now() - start > timeoutMs) throw new Error("inline queue did not drain in time");
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async health() {
    return this.closed ? ("down" as const) : ("ok" as const);
  }

  /**
   * Graceful stop: takes no new job, asks running ones to hand their claims back (the abort
   * signal), and waits up to `timeoutMs` for them. Jobs still waiting are dropped: each is a
   * database row that the next process's ticks pick up again.
   */
  async stop(timeoutMs = 10_000): Promise<{ unfinished: number }> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.waiting = [];
    this.abort.abort();
    const start = Date.now();
    while (this.running > 0 && Date.now() - start < timeoutMs) {
      await new Promise((r) => setTimeout(r, 20));
    }
    return { unfinished: this.running };
  }

  async close() {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
