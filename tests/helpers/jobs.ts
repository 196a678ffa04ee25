import type { Db } from "@/server/db";
import { jobHandlers } from "@/server/queue/handlers";
import { runJob } from "@/server/queue/run";
import type { JobDefinition } from "@/server/queue/types";

/** Runs one job right here with the app's handler (what a worker would do with it). */
export function runJobNow(db: Db, def: JobDefinition, payload: unknown = {}) {
  return runJob(jobHandlers(), def.name, payload, { db, jobId: `test-${def.name}`, attempt: 1 });
}
