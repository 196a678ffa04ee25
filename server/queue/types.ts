import "server-only";
import type { Logger } from "pino";
import type { z } from "zod";
import type { Feature } from "@/lib/features";
import type { Db } from "@/server/db";

/** Queues and their retry policy, as in the original spec. */
export const QUEUES = {
  content: { attempts: 3, backoffMs: 2000 },
  email: { attempts: 5, backoffMs: 5000 },
  analytics: { attempts: 1, backoffMs: 0 },
  system: { attempts: 3, backoffMs: 5000 },
} as const;
export type QueueName = keyof typeof QUEUES;

/** Parts of the app an ENABLE_* flag switches off (lib/features.ts); their jobs do not run. */
export type { Feature } from "@/lib/features";

export interface JobContext {
  db: Db;
  log: Logger;
  jobId: string;
  attempt: number;
  reportProgress(progress: number | Record<string, unknown>): Promise<void>;
  /** Aborted when the process shuts down: long jobs hand their claims back and return. */
  signal: AbortSignal;
}

/**
 * A job's name, queue and payload schema: what a service needs to enqueue it. The code that runs it
 * is bound to the name in `server/queue/handlers.ts`, so enqueueing never imports a handler.
 */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  queue: QueueName;
  name: string;
  schema: S;
  /** The part of the app this job belongs to (skipped while its ENABLE_* flag is off). */
  feature?: Feature;
}

export type JobHandler<S extends z.ZodType = z.ZodType> = (
  payload: z.infer<S>,
  ctx: JobContext,
) => Promise<unknown>;

/** A definition with the code that runs it. */
export interface BoundJob<S extends z.ZodType = z.ZodType> {
  def: JobDefinition<S>;
  handler: JobHandler<S>;
}

/** A job that runs every `everyMs`, once across all processes; declared beside its definition. */
export interface RepeatingJob {
  def: JobDefinition;
  everyMs: number;
  payload: unknown;
}

/** What runners (the in-process one, BullMQ workers) look jobs up in. */
export interface JobRegistry {
  /** The bound job, or undefined when unknown. */
  get(name: string): BoundJob | undefined;
  /** False when the job's part of the app is switched off: it is skipped, not failed. */
  isEnabled(def: JobDefinition): boolean;
  jobs(): BoundJob[];
  /** Repeating jobs of the parts that are switched on. */
  repeating(): RepeatingJob[];
  /** Repeating jobs of switched-off parts (their schedules are removed at start). */
  disabledRepeating(): RepeatingJob[];
}

export interface EnqueueOptions {
  /** Deterministic id: enqueueing the same id twice runs the job once. */
  jobId?: string;
  delayMs?: number;
}

export interface QueueAdapter {
  readonly kind: "bullmq" | "inline";
  enqueue(def: JobDefinition, payload: unknown, opts?: EnqueueOptions): Promise<{ jobId: string }>;
  /** Many jobs of one kind in one round trip (the scheduler tick). */
  enqueueMany(def: JobDefinition, jobs: { payload: unknown; opts?: EnqueueOptions }[]): Promise<void>;
  /** Registers a job to run every `everyMs`, once across all processes. */
  repeat(def: JobDefinition, payload: unknown, everyMs: number): Promise<void>;
  /** Removes a repeating job's schedule (a switched-off feature's tick). */
  unrepeat?(def: JobDefinition): Promise<void>;
  health(): Promise<"ok" | "down">;
  /** Jobs per queue and state (waiting, active, delayed…), for the queue-depth metric. */
  depth?(): Promise<{ queue: QueueName; state: string; count: number }[]>;
  close(): Promise<void>;
}

/** A payload that can never succeed: do not retry it. */
export class PermanentJobError extends Error {}

export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}

/** Binds a handler to a definition (only `server/queue/handlers.ts` and tests do this). */
export function bindJob<S extends z.ZodType>(def: JobDefinition<S>, handler: JobHandler<S>): BoundJob {
  return { def, handler } as unknown as BoundJob;
}

/**
 * A registry over bound jobs. `enabled(feature)` decides, when a job runs, whether its part of the
 * app is on (read each time, so a test can switch a flag without rebuilding the registry).
 */
export function createJobRegistry(
  bound: BoundJob[],
  repeating: RepeatingJob[] = [],
  enabled: (feature: Feature) => boolean = () => true,
): JobRegistry {
  const byName = new Map<string, BoundJob>();
  for (const b of bound) {
    if (byName.has(b.def.name)) throw new Error(`job ${b.def.name} is bound twice`);
    byName.set(b.def.name, b);
  }
  for (const r of repeating) {
    if (!byName.has(r.def.name)) throw new Error(`repeating job ${r.def.name} has no handler`);
  }
  const isEnabled = (def: JobDefinition) => !def.feature || enabled(def.feature);
  return {
    get: (name) => byName.get(name),
    isEnabled,
    jobs: () => [...byName.values()],
    repeating: () => repeating.filter((r) => isEnabled(r.def)),
    disabledRepeating: () => repeating.filter((r) => !isEnabled(r.def)),
  };
}
