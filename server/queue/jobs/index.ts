import type { JobDefinition } from "../types";
import { cleanupJob } from "./cleanup";
import { sendSystemEmailJob } from "./system-email";

/** Every job the workers run. Later features add theirs here. */
export const ALL_JOBS: JobDefinition[] = [sendSystemEmailJob, cleanupJob];

/** Jobs that repeat on a timer, once across all processes. */
export const REPEATING: { def: JobDefinition; everyMs: number; payload: unknown }[] = [
  { def: cleanupJob, everyMs: 60 * 60 * 1000, payload: {} },
];
