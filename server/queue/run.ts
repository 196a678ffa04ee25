import "server-only";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { metrics, secondsSince } from "@/server/observability/metrics";
import { inSpan, takeTraceContext } from "@/server/observability/spans";
import { type JobRegistry, PermanentJobError } from "./types";

export type ProgressReporter = (progress: number | Record<string, unknown>) => Promise<void>;

/**
 * Looks the job up, validates the payload and runs the handler: shared by the inline runner and
 * BullMQ workers. A job of a switched-off feature is skipped (not failed: it is not retried either).
 */
export async function runJob(
  registry: JobRegistry,
  name: string,
  payload: unknown,
  opts: {
    db: Db;
    jobId: string;
    attempt: number;
    reportProgress?: ProgressReporter;
    signal?: AbortSignal;
    /** For a repeating tick: when it was due (ms since epoch); its lateness becomes a metric. */
    tickDueAt?: number;
  },
) {
  const bound = registry.get(name);
  if (!bound) throw new PermanentJobError(`no handler for job ${name}`);
  const log = logger.child({ job: name, jobId: opts.jobId, attempt: opts.attempt });
  if (!registry.isEnabled(bound.def)) {
    log.debug({ feature: bound.def.feature }, "job skipped: its feature is switched off");
    return { skipped: "feature-disabled" as const };
  }
  const { payload: data, parent } = takeTraceContext(payload);
  const parsed = bound.def.schema.safeParse(data);
  if (!parsed.success) {
    throw new PermanentJobError(`invalid payload for ${name}: ${parsed.error.message}`);
  }
  if (opts.tickDueAt !== undefined)
    metrics().tickLateness.observe({ tick: name }, Math.max(0, secondsSince(opts.tickDueAt)));
  const started = Date.now();
  try {
    const result = await inSpan(
      `job ${name}`,
      { "job.name": name, "job.id": opts.jobId },
      () =>
        bound.handler(parsed.data, {
          db: opts.db,
          log,
          jobId: opts.jobId,
          attempt: opts.attempt,
          reportProgress: opts.reportProgress ?? (async () => {}),
          signal: opts.signal ?? new AbortController().signal,
        }),
      parent,
    );
    metrics().jobDuration.observe({ job: name, outcome: "ok" }, secondsSince(started));
    log.info({ ms: Date.now() - started }, "job done");
    return result;
  } catch (err) {
    metrics().jobDuration.observe({ job: name, outcome: "failed" }, secondsSince(started));
    metrics().jobFailures.inc({ job: name });
    throw err;
  }
}
