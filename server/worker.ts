import "server-only";
/**
 * `npm run worker`: a BullMQ worker process for scale-out mode. It runs every job handler and
 * registers the repeating jobs; web processes only enqueue. Scale by starting more of these.
 */
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { closeRedis, EVICTION_POLICY_FIX, getRedis, redisEvictionPolicy } from "@/lib/redis";
import { assertEncryptionKey } from "@/lib/secret-box";
import { assertAuthSecret } from "@/lib/secrets";
import { campaignLinkProblem } from "@/server/services/email/campaign-links";
import { openDb } from "./db";
import { flushErrors, startErrorReporting } from "./observability/errors";
import { startMetricsServer } from "./observability/metrics-server";
import { startTracing } from "./observability/tracing";
import { getQueue, startRepeatingJobs } from "./queue";
import { startBullWorkers } from "./queue/bullmq";
import { jobHandlers } from "./queue/handlers";

async function main() {
  // Tracing first, so the modules it instruments (pg, http) are patched before they are used.
  const tracing = await startTracing("worker");
  await startErrorReporting("worker");
  assertEncryptionKey();
  assertAuthSecret();
  const linkProblem = campaignLinkProblem();
  if (linkProblem) logger.warn(linkProblem);
  if (!env().REDIS_URL) {
    console.error(
      "npm run worker needs REDIS_URL (scale-out mode). In embedded mode jobs run inside the app process: just use npm run dev or npm start.",
    );
    process.exit(1);
  }
  await checkEvictionPolicy();
  const handle = await openDb();
  await handle.migrate();
  const concurrency = env().WORKER_CONCURRENCY;
  const registry = jobHandlers();
  const running = startBullWorkers(registry, async () => handle.db, { concurrency });
  await startRepeatingJobs(registry);
  // Job schedulers live in Redis: if Redis lost them (flushed, failed over), put them back. Upserting
  // is idempotent, so every worker doing this once a minute is harmless.
  const reRegister = setInterval(() => {
    startRepeatingJobs(registry).catch((err) => logger.warn({ err }, "could not re-register repeating jobs"));
  }, 60_000);
  reRegister.unref();
  const metricsPort = env().WORKER_METRICS_PORT;
  const metricsServer = metricsPort ? await startMetricsServer(metricsPort) : undefined;
  logger.info({ queues: running.workers.map((w) => w.name), concurrency, db: handle.kind }, "worker started");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(reRegister);
    const timeoutMs = env().SHUTDOWN_TIMEOUT_MS;
    logger.info({ signal, timeoutMs }, "worker stopping: no new jobs, handing claims back");
    // A second bound in case closing a pool or Redis hangs: the exit still comes.
    setTimeout(() => {
      logger.warn("worker did not stop in time; exiting");
      process.exit(0);
    }, timeoutMs + 5000).unref();
    const { timedOut } = await running.stop(timeoutMs);
    if (timedOut) logger.warn("jobs still running at the shutdown bound were left to other workers");
    await getQueue().close();
    await closeRedis();
    await handle.close();
    metricsServer?.close();
    await tracing?.shutdown().catch(() => {});
    await flushErrors();
    logger.info("worker stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

/**
 * BullMQ keeps jobs in Redis keys: a server that may evict keys under memory pressure loses jobs. In
 * production the worker refuses such a server unless REDIS_ALLOW_EVICTION=true; elsewhere it warns.
 */
async function checkEvictionPolicy() {
  const redis = getRedis()!;
  const policy = await redisEvictionPolicy(redis);
  if (policy === null) {
    logger.warn(
      "could not read Redis maxmemory-policy (CONFIG is disabled on this server): make sure it is noeviction",
    );
    return;
  }
  if (policy === "noeviction") return;
  const problem = `Redis maxmemory-policy is ${policy}, not noeviction: under memory pressure Redis may evict queued jobs. Fix: ${EVICTION_POLICY_FIX}.`;
  const e = env();
  if (e.NODE_ENV === "production" && !e.REDIS_ALLOW_EVICTION) {
    console.error(`${problem} (REDIS_ALLOW_EVICTION=true starts the worker anyway.)`);
    await closeRedis();
    process.exit(1);
  }
  logger.warn({ policy }, problem);
}

main().catch((err) => {
  logger.fatal({ err }, "worker failed to start");
  process.exit(1);
});
