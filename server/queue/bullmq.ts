import "server-only";
import { Queue, UnrecoverableError, Worker } from "bullmq";
import { logger } from "@/lib/logger";
import { createRedisConnection, getRedis } from "@/lib/redis";
import type { Db } from "@/server/db";
import { runJob } from "./run";
import {
  type EnqueueOptions,
  type JobDefinition,
  PermanentJobError,
  QUEUES,
  type QueueAdapter,
  type QueueName,
} from "./types";

const defaultPrefix = () => process.env.QUEUE_PREFIX ?? "organic";

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

  async close() {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}

/** Starts one BullMQ worker per queue that has jobs, dispatching by job name. */
export function startBullWorkers(
  defs: JobDefinition[],
  getDb: () => Promise<Db>,
  opts: { concurrency?: number; prefix?: string } = {},
): Worker[] {
  const byQueue = new Map<QueueName, Map<string, JobDefinition>>();
  for (const d of defs) {
    const m = byQueue.get(d.queue) ?? new Map();
    m.set(d.name, d);
    byQueue.set(d.queue, m);
  }
  return [...byQueue.entries()].map(([queueName, handlers]) => {
    const worker = new Worker(
      queueName,
      async (job) => {
        const def = handlers.get(job.name);
        if (!def) throw new UnrecoverableError(`no handler for job ${job.name}`);
        try {
          return await runJob(def, job.data, {
            db: await getDb(),
            jobId: job.id ?? "",
            attempt: job.attemptsMade + 1,
            reportProgress: (p) => job.updateProgress(p),
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
    worker.on("failed", (job, err) =>
      logger.warn(
        { job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message },
        "job attempt failed",
      ),
    );
    worker.on("error", (err) => logger.error({ err }, "worker error"));
    return worker;
  });
}
