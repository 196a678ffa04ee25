import "server-only";
import { type Job, Queue, UnrecoverableError, Worker } from "bullmq";
import { logger } from "@/lib/logger";
import { createRedisConnection, getRedis } from "@/lib/redis";
import type { Db } from "@/server/db";
import { reportError } from "@/server/observability/errors";
import { queuePrefix } from "./prefix";
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

const defaultPrefix = () => queuePrefix();

export class BullQueue implements QueueAdapter {
  readonly kind = "bullmq" as const;
  private queues = new Map<QueueName, Queue>();
  constructor(private readonly prefix = defaultPrefix()) {}

  private queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      const policy = QUEUES[name];
      q = new Queue(name, {
        connection: createRedisConnection(),
        prefix: this.prefix,
        defaultJobOptions: {
          attempts: policy.attempts,
          backoff: policy.backoffMs ? { type: "exponential", delay: policy.backoffMs } : undefined,
          removeOnComplete: { age: 3600, count: 1000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      });
      this.queues.set(name, q);
    }
    return q;
  }

  async enqueue(def: JobDefinition, payload: unknown, opts: EnqueueOptions = {}) {
    const job = await this.queue(def.queue).add(def.name, payload, {
      jobId: opts.jobId,
      delay: opts.delayMs,
    });
    return { jobId: job.id ?? opts.jobId ?? "" };
  }

  async enqueueMany(def: JobDefinition, jobs: { payload: unknown; opts?: EnqueueOptions }[]) {
    for (let i = 0; i < jobs.length; i += 1000) {
      await this.queue(def.queue).addBulk(
        jobs.slice(i, i + 1000).map((j) => ({
          name: def.name,
          data: j.payload,
          opts: { jobId: j.opts?.jobId, delay: j.opts?.delayMs },
        })),
      );
    }
  }

  async repeat(def: JobDefinition, payload: unknown, everyMs: number) {
    await this.queue(def.queue).upsertJobScheduler(
      `repeat-${def.name}`,
      { every: everyMs },
      {
        name: def.name,
        data: payload,
      },
    );
  }

  async unrepeat(def: JobDefinition) {
    await this.queue(def.queue).removeJobScheduler(`repeat-${def.name}`);
  }

  async health() {
    const redis = getRedis();
    if (!redis) return "down" as const;
    try {
      await redis.ping();
      return "ok" as const;
    } catch {
      return "down" as const;
    }
  }

  async depth() {
    const states = ["waiting", "active", "delayed", "prioritized", "failed"] as const;
    const perQueue = await Promise.all(
      (Object.keys(QUEUES) as QueueName[]).map(async (queue) => {
        const counts = await this.queue(queue).getJobCounts(...states);
        return states.map((state) => ({ queue, state, count: counts[state] ?? 0 }));
      }),
    );
    return perQueue.flat();
  }

  async close() {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}

/** The running BullMQ workers of a process, and their graceful stop. */
export interface BullWorkers {
  workers: Worker[];
  /**
   * Takes no new job, asks running ones to hand their claims back (abort signal), and waits up to
   * `timeoutMs` for them; past it, closes anyway (a job still running then is taken over by
   * another worker once its lock expires, as after a crash).
   */
  stop(timeoutMs?: number): Promise<{ timedOut: boolean }>;
}

/**
 * A job scheduler's run (BullMQ adds each next run as a delayed job) is a tick, due at the time the
 * scheduler computed for it. A retry's wait is backoff, not lateness.
 */
export function tickDueAt(
  job: Pick<Job, "id" | "repeatJobKey" | "attemptsMade" | "timestamp">,
): number | undefined {
  if (!job.repeatJobKey || job.attemptsMade > 0) return undefined;
  // BullMQ names a scheduler's run `repeat:<scheduler id>:<due millis>`. Neither `opts.prevMillis`
  // (unset for `every`) nor timestamp + delay (the next run is created when the previous one starts,
  // and its delay reads 0 once promoted) is the due time: both made every tick look an interval late.
  const due = Number(job.id?.slice(job.id.lastIndexOf(":") + 1));
  return Number.isFinite(due) && due > 0 ? due : job.timestamp;
}

/** Starts one BullMQ worker per queue that has jobs, dispatching by job name. */
export function startBullWorkers(
  registry: JobRegistry,
  getDb: () => Promise<Db>,
  opts: { concurrency?: number; prefix?: string } = {},
): BullWorkers {
  const abort = new AbortController();
  const queueNames = new Set<QueueName>(registry.jobs().map((b) => b.def.queue));
  const workers = [...queueNames].map((queueName) => {
    const worker = new Worker(
      queueName,
      async (job) => {
        try {
          return await runJob(registry, job.name, job.data, {
            db: await getDb(),
            jobId: job.id ?? "",
            attempt: job.attemptsMade + 1,
            reportProgress: (p) => job.updateProgress(p),
            signal: abort.signal,
            tickDueAt: tickDueAt(job),
          });
        } catch (err) {
          if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message);
          throw err;
        }
      },
      {
        connection: createRedisConnection({ forWorker: true }),
        prefix: opts.prefix ?? defaultPrefix(),
        concurrency: opts.concurrency ?? 5,
      },
    );
    worker.on("failed", (job, err) => {
      logger.warn(
        { job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message },
        "job attempt failed",
      );
      const final = !job || err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      if (final) reportError(err, { job: job?.name, jobId: job?.id });
    });
    worker.on("error", (err) => logger.error({ err }, "worker error"));
    return worker;
  });
  return {
    workers,
    async stop(timeoutMs = 10_000) {
      abort.abort();
      const closed = Promise.all(workers.map((w) => w.close()));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        closed.then(() => false),
        new Promise<boolean>((r) => {
          timer = setTimeout(() => r(true), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) await Promise.all(workers.map((w) => w.close(true))).catch(() => {});
      return { timedOut };
    },
  };
}
