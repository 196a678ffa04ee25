import "server-only";
import { LRUCache } from "lru-cache";
import { env, isRedisEnabled } from "./env";
import { logger } from "./logger";
import { getRedis } from "./redis";

/**
 * A small JSON cache with a TTL: Redis when REDIS_URL is set (shared by every web process),
 * otherwise an in-process LRU. Invalidation is by namespace version: `bumpNamespace(ns)` makes every
 * key written under the old version unreachable at once (no key scans), and they expire on their
 * own. A cache failure never fails the caller: it just computes.
 */

const prefix = () => `${env().QUEUE_PREFIX}:cache:`;

const g = globalThis as unknown as { organicCache?: LRUCache<string, { v: string }> };
function lru() {
  g.organicCache ??= new LRUCache<string, { v: string }>({ max: 5000, ttlAutopurge: false });
  return g.organicCache;
}

async function rawGet(key: string): Promise<string | undefined> {
  if (isRedisEnabled()) return (await getRedis()!.get(prefix() + key)) ?? undefined;
  return lru().get(key)?.v;
}

async function rawSet(key: string, value: string, ttlMs: number) {
  if (isRedisEnabled()) await getRedis()!.set(prefix() + key, value, "PX", ttlMs);
  else lru().set(key, { v: value }, { ttl: ttlMs });
}

async function namespaceVersion(ns: string): Promise<string> {
  return (await rawGet(`ns:${ns}`)) ?? "0";
}

/** Makes every cached value of the namespace stale (e.g. one workspace's analytics). */
export async function bumpNamespace(ns: string): Promise<void> {
  try {
    if (isRedisEnabled()) {
      await getRedis()!.incr(`${prefix()}ns:${ns}`);
      await getRedis()!.pexpire(`${prefix()}ns:${ns}`, 7 * 24 * 3600 * 1000);
    } else {
      const next = String(Number(lru().get(`ns:${ns}`)?.v ?? "0") + 1);
      lru().set(`ns:${ns}`, { v: next }, { ttl: 7 * 24 * 3600 * 1000 });
    }
  } catch (err) {
    logger.warn({ err, ns }, "cache: could not invalidate");
  }
}

/** The cached value of `key` in `ns`, or `compute()` stored for `ttlMs`. Values must be JSON. */
export async function cached<T>(
  ns: string,
  key: string,
  ttlMs: number,
  compute: () => Promise<T>,
): Promise<T> {
  let full: string | null = null;
  try {
    full = `${ns}:v${await namespaceVersion(ns)}:${key}`;
    const hit = await rawGet(full);
    if (hit !== undefined) return JSON.parse(hit) as T;
  } catch (err) {
    logger.warn({ err, ns }, "cache: read failed");
  }
  const value = await compute();
  if (full) {
    try {
      await rawSet(full, JSON.stringify(value), ttlMs);
    } catch (err) {
      logger.warn({ err, ns }, "cache: write failed");
    }
  }
  return value;
}

/** Test hook: forget the in-process cache. */
export function clearLocalCache() {
  g.organicCache?.clear();
}
