import { type SQL, sql } from "drizzle-orm";
import { env } from "@/lib/env";

/**
 * When a sequence or triggered step falls due: `from` plus the step's delay. Delays are minutes;
 * EMAIL_STEP_DELAY_UNIT_MS is how long one lasts (a minute, unless a test shortens it).
 */
export function stepDueAt(from: SQL, delayMinutes: SQL): SQL {
  const secondsPerUnit = env().EMAIL_STEP_DELAY_UNIT_MS / 1000;
  return sql`${from} + make_interval(secs => ${delayMinutes} * ${secondsPerUnit}::float8)`;
}
