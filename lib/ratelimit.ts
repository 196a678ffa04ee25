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

/** A refused request: also carries the limit, for `X-RateLimit-*` headers. */
export class RateLimitExceededError extends RateLimitError {
  constructor(
    retryAfterSeconds: number,
    readonly limit: number,
    readonly resetSeconds: number,
  ) {
    super(retryAfterSeconds);
  }
}

/**
 * Headers for a 429 (or, given the limiter's answer, for any limited response): `Retry-After` and
 * `X-RateLimit-Limit/Remaining/Reset` (seconds until the window resets).
 */
export function rateLimitHeaders(err: unknown): Record<string, string> {
  if (!(err instanceof RateLimitError)) return {};
  const headers: Record<string, string> = { "Retry-After": String(err.retryAfterSeconds) };
  if (err instanceof RateLimitExceededError) {
    headers["X-RateLimit-Limit"] = String(err.limit);
    headers["X-RateLimit-Remaining"] = "0";
    headers["X-RateLimit-Reset"] = String(err.resetSeconds);
  }
  return headers;
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
      const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      throw new RateLimitExceededError(seconds, rule.points, seconds);
    }
    throw res;
  }
}
