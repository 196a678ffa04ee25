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

/**
 * The server's `maxmemory-policy`, or null when it cannot be read (CONFIG disabled or renamed, as on
 * many managed services). BullMQ needs `noeviction`: any other policy lets Redis drop queue keys under
 * memory pressure, and jobs vanish.
 */
export async function redisEvictionPolicy(client: Redis): Promise<string | null> {
  try {
    const reply = (await client.call("CONFIG", "GET", "maxmemory-policy")) as string[];
    return reply[1] ?? null;
  } catch (err) {
    if (/unknown command|CONFIG|NOPERM|no permissions/i.test((err as Error).message)) return null;
    throw err;
  }
}

export const EVICTION_POLICY_FIX =
  "set `maxmemory-policy noeviction` in redis.conf (or `redis-cli CONFIG SET maxmemory-policy noeviction`, and persist it)";
