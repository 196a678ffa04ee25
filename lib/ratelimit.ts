import type Redis from "ioredis";
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";
import { RateLimitError } from "@/server/errors";
import { getRedis } from "./redis";

const limiters = new Map<string, RateLimiterAbstract>();

export interface LimitRule {
  /** Name of the limit; keys of different limits never collide. */
  name: string;
  points: number;
  durationSeconds: number;
}

function limiterFor(rule: LimitRule, redis: Redis | null): RateLimiterAbstract {
  const key = `${rule.name}:${rule.points}:${rule.durationSeconds}:${redis ? "redis" : "memory"}`;
  let limiter = limiters.get(key);
  if (!limiter) {
    const opts = { keyPrefix: `rl:${rule.name}`, points: rule.points, duration: rule.durationSeconds };
    limiter = redis ? new RateLimiterRedis({ ...opts, storeClient: redis }) : new RateLimiterMemory(opts);
    limiters.set(key, limiter);
  }
  return limiter;
}

/**
 * Spends one point of `rule` for `key`; throws RateLimitError when none is left. Redis in scale-out
 * (shared by every web process), memory in embedded mode.
 */
export async function consume(rule: LimitRule, key: string): Promise<RateLimiterRes> {
  const limiter = limiterFor(rule, getRedis());
  try {
    return await limiter.consume(key);
  } catch (res) {
    if (res instanceof RateLimiterRes) {
      throw new RateLimitError(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
    }
    throw res;
  }
}
