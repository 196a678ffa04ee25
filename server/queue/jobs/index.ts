import type { JobDefinition } from "../types";
import { cleanupJob } from "./cleanup";
import { contentSchedulerJob } from "./content-scheduler";
import { generateContentJob } from "./generate-content";
import { publishContentJob } from "./publish-content";
import { sendSystemEmailJob } from "./system-email";

/** Every job the workers run. Later features add theirs here. */
export const ALL_JOBS: JobDefinition[] = [
  sendSystemEmailJob,
  cleanupJob,
  publishContentJob,
  contentSchedulerJob,
  generateContentJob,
];

const SCHEDULER_INTERVAL_MS = Number(process.env.CONTENT_SCHEDULER_INTERVAL_MS ?? 5000);

/** Jobs that repeat on a timer, once across all processes. */
export const REPEATING: { def: JobDefinition; everyMs: number; payload: unknown }[] = [
  { def: cleanupJob, everyMs: 60 * 60 * 1000, payload: {} },
  { def: contentSchedulerJob, everyMs: SCHEDULER_INTERVAL_MS, payload: {} },
];
