import "server-only";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { type JobDefinition, PermanentJobError } from "./types";

export type ProgressReporter = (progress: number | Record<string, unknown>) => Promise<void>;

/** Validates the payload and runs the handler: shared by the inline runner and BullMQ workers. */
export async function runJob(
  def: JobDefinition,
  payload: unknown,
  opts: { db: Db; jobId: string; attempt: number; reportProgress?: ProgressReporter },
) {
  const parsed = def.schema.safeParse(payload);
  if (!parsed.success) {
    throw new PermanentJobError(`invalid payload for ${def.name}: ${parsed.error.message}`);
  }
  const log = logger.child({ job: def.name, jobId: opts.jobId, attempt: opts.attempt });
  const started = Date.now();
  const result = await def.handler(parsed.data, {
    db: opts.db,
    log,
    jobId: opts.jobId,
    attempt: opts.attempt,
    reportProgress: opts.reportProgress ?? (async () => {}),
  });
  log.info({ ms: Date.now() - started }, "job done");
  return result;
}
