import "server-only";
import type { Logger } from "pino";
import type { z } from "zod";
import type { Db } from "@/server/db";

/** Queues and their retry policy, as in the original spec. */
export const QUEUES = {
  content: { attempts: 3, backoffMs: 2000 },
  email: { attempts: 5, backoffMs: 5000 },
  analytics: { attempts: 1, backoffMs: 0 },
  system: { attempts: 3, backoffMs: 5000 },
} as const;
export type QueueName = keyof typeof QUEUES;

export interface JobContext {
  db: Db;
  log: Logger;
  jobId: string;
  attempt: number;
  reportProgress(progress: number | Record<string, unknown>): Promise<void>;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  queue: QueueName;
  name: string;
  schema: S;
  handler(payload: z.infer<S>, ctx: JobContext): Promise<unknown>;
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
  health(): Promise<"ok" | "down">;
  close(): Promise<void>;
}

/** A payload that can never succeed: do not retry it. */
export class PermanentJobError extends Error {}

export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}
