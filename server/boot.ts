import { isRedisEnabled } from "@/lib/env";
import { logger } from "@/lib/logger";
import { getDbHandle } from "./db";
import { startRepeatingJobs } from "./queue";

const g = globalThis as unknown as { organicBooted?: boolean };

/**
 * Web-process start: open and migrate the database; in embedded mode also start the in-process jobs
 * and scheduler (in scale-out they run in `npm run worker`, and the web process only enqueues).
 */
export async function boot() {
  if (g.organicBooted) return;
  g.organicBooted = true;
  await getDbHandle();
  if (!isRedisEnabled()) {
    await startRepeatingJobs();
  }
  logger.info({ mode: isRedisEnabled() ? "scale-out" : "embedded" }, "organic web process ready");
}
