import "server-only";
import { env, isRedisEnabled } from "@/lib/env";
import { logger } from "@/lib/logger";
import { assertEncryptionKey } from "@/lib/secret-box";
import { assertAuthSecret } from "@/lib/secrets";
import { campaignLinkProblem } from "@/server/services/email/campaign-links";
import { getDbHandle } from "./db";
import { closeConnectionsWhenIdle } from "./http/graceful-close";
import { getQueue, startRepeatingJobs } from "./queue";
import { jobHandlers } from "./queue/handlers";
import { InlineQueue } from "./queue/inline";
import { endEventStreams } from "./sse";

const g = globalThis as unknown as { organicBooted?: boolean };

/**
 * Web-process start: open and migrate the database; in embedded mode also start the in-process jobs
 * and scheduler (in scale-out they run in `npm run worker`, and the web process only enqueues).
 * A database that is down does not crash the server: /api/health reports it and the next request
 * tries again.
 */
export async function boot() {
  if (g.organicBooted) return;
  // A key or secret that cannot work (missing with DATABASE_URL in production, malformed) stops the
  // process here with one line, instead of a server that answers 500 on every route.
  try {
    assertEncryptionKey();
    assertAuthSecret();
  } catch (err) {
    logger.fatal(`Organic cannot start: ${(err as Error).message}`);
    process.exit(1);
  }
  g.organicBooted = true;
  // Next's SIGTERM/SIGINT handler closes the HTTP server and exits when its last connection has
  // closed: live-update streams never end by themselves, and a connection that finishes its answer
  // afterwards would stay open for its keep-alive time (server/http/graceful-close.ts).
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      const streams = endEventStreams();
      closeConnectionsWhenIdle();
      logger.info({ signal, streams }, "stopping: live-update streams ended, connections closed when idle");
    });
  }
  const mode = isRedisEnabled() ? "scale-out" : "embedded";
  const linkProblem = campaignLinkProblem();
  if (linkProblem) logger.warn(linkProblem);
  try {
    await getDbHandle();
  } catch (err) {
    logger.error({ err }, "database unavailable at start; will retry on the next request");
  }
  if (!isRedisEnabled()) await startEmbeddedRunner();
  logger.info({ mode }, "organic web process ready");
}

/**
 * Embedded mode: this process runs the jobs. On SIGTERM/SIGINT the runner takes no new job, hands
 * claims back and waits up to SHUTDOWN_TIMEOUT_MS for running ones (Next closes the HTTP server
 * meanwhile and exits).
 */
async function startEmbeddedRunner() {
  const queue = getQueue();
  if (!(queue instanceof InlineQueue)) return;
  const registry = jobHandlers();
  queue.start(registry);
  await startRepeatingJobs(registry);
  const stop = (signal: string) => {
    logger.info({ signal }, "stopping the in-process job runner");
    void queue.stop(env().SHUTDOWN_TIMEOUT_MS).then(({ unfinished }) => {
      logger.info({ unfinished }, "in-process job runner stopped");
    });
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}
