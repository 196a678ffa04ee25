import "server-only";
import Redis from "ioredis";
import { env } from "./env";
import { logger } from "./logger";

const g = globalThis as unknown as { organicRedis?: Redis | null };

/** The shared Redis connection in scale-out mode; null in embedded mode (no REDIS_URL). */
export function getRedis(): Redis | null {
  if (g.organicRedis !== undefined) return g.organicRedis;
  const url = env().REDIS_URL;
  if (!url) {
    g.organicRedis = null;
    return null;
  }
  const client = new Redis(url, { maxRetriesPerRequest: 3, enableOfflineQueue: true, lazyConnect: false });
  client.on("error", (err) => logger.warn({ err: err.message }, "redis error"));
  g.organicRedis = client;
  return client;
}

/** A fresh connection for blocking use (BullMQ workers, pub/sub subscribers). */
export function createRedisConnection(opts: { forWorker?: boolean } = {}): Redis {
  const url = env().REDIS_URL;
  if (!url) throw new Error("REDIS_URL is not set");
  return new Redis(url, { maxRetriesPerRequest: opts.forWorker ? null : 3 });
}

export async function closeRedis() {
  if (g.organicRedis) await g.organicRedis.quit().catch(() => {});
  g.organicRedis = undefined;
}
