import "server-only";
import { isRedisEnabled } from "@/lib/env";
import { logger } from "@/lib/logger";
import { assertEncryptionKey } from "@/lib/secret-box";
import { assertAuthSecret } from "@/lib/secrets";
import { campaignLinkProblem } from "@/server/services/email/campaign-links";
import { getDbHandle } from "./db";
import { startRepeatingJobs } from "./queue";

const g = globalThis as unknown as { organicBooted?: boolean };

/**
 * Web-process start: open and migrate the database; in embedded mode also start the in-process jobs
 * and scheduler (in scale-out they run in `npm run worker`, and the web process only enqueues).
 * A database that is down does not crash the server: /api/health reports it and the next request
 * tries again.
 */
export async function boot() {
  if (g.organicBooted) return;
  // Production refuses to start without ENCRYPTION_KEY (integration secrets could not be read back).
  assertEncryptionKey();
  assertAuthSecret();
  g.organicBooted = true;
  const mode = isRedisEnabled() ? "scale-out" : "embedded";
  const linkProblem = campaignLinkProblem();
  if (linkProblem) logger.warn(linkProblem);
  try {
    await getDbHandle();
  } catch (err) {
    logger.error({ err }, "database unavailable at start; will retry on the next request");
  }
  if (!isRedisEnabled()) await startRepeatingJobs();
  logger.info({ mode }, "organic web process ready");
}
