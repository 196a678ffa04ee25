import { AsyncLocalStorage } from "node:async_hooks";
import type Redis from "ioredis";
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";
import { RateLimitError } from "@/server/errors";
import { clientIp } from "@/server/request-info";
import { env } from "./env";
import { getRedis } from "./redis";

/** Limiters by rule: in memory, and per Redis connection (a new connection gets limiters of its own). */
const memoryLimiters = new Map<string, RateLimiterAbstract>();
const redisLimiters = new WeakMap<Redis, Map<string, RateLimiterAbstract>>();

export interface LimitRule {
  /** Name of the limit; keys of different limits never collide. */
  name: string;
  points: number;
  durationSeconds: number;
}

function limiterFor(rule: LimitRule, redis: Redis | null): RateLimiterAbstract {
  let limiters = redis ? redisLimiters.get(redis) : memoryLimiters;
  if (!limiters) {
    limiters = new Map();
    redisLimiters.set(redis!, limiters);
  }
  const key = `${rule.name}:${rule.points}:${rule.durationSeconds}`;
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

/** Where a caller stands against one limit, as the `X-RateLimit-*` headers report it. */
export interface LimitState {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

export function limitState(rule: LimitRule, res: RateLimiterRes): LimitState {
  return {
    limit: rule.points,
    remaining: Math.max(0, res.remainingPoints),
    resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  };
}

/** `X-RateLimit-Limit/Remaining/Reset` for a response (200 or 429) given where the caller stands. */
export function limitStateHeaders(state: LimitState | null): Record<string, string> {
  if (!state) return {};
  return {
    "X-RateLimit-Limit": String(state.limit),
    "X-RateLimit-Remaining": String(state.remaining),
    "X-RateLimit-Reset": String(state.resetSeconds),
  };
}

const recorded = new AsyncLocalStorage<LimitState[]>();

/**
 * Runs `fn` noting every limit it spends (however deep, e.g. inside a service) and returns the
 * tightest of them — the fewest points left — so a route can report it in `X-RateLimit-*` headers.
 */
export async function withLimitState<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; state: LimitState | null }> {
  const seen: LimitState[] = [];
  const value = await recorded.run(seen, fn);
  const state = seen.reduce<LimitState | null>(
    (tightest, s) =>
      !tightest || s.remaining / s.limit < tightest.remaining / tightest.limit ? s : tightest,
    null,
  );
  return { value, state };
}

/**
 * Spends one point of `rule` for `key`; throws RateLimitError when none is left. Redis in scale-out
 * (shared by every web process), memory in embedded mode.
 */
export async function consume(rule: LimitRule, key: string): Promise<RateLimiterRes> {
  const limiter = limiterFor(rule, getRedis());
  try {
    const res = await limiter.consume(key);
    recorded.getStore()?.push(limitState(rule, res));
    return res;
  } catch (res) {
    if (res instanceof RateLimiterRes) {
      const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      recorded.getStore()?.push({ limit: rule.points, remaining: 0, resetSeconds: seconds });
      throw new RateLimitExceededError(seconds, rule.points, seconds);
    }
    throw res;
  }
}

/**
 * Spends one point of `rule` for a client address: the state to report in `X-RateLimit-*`, or the
 * RateLimitError (with its Retry-After) when none is left — each public route words its own 429.
 */
export async function spendIpPoint(rule: LimitRule, ip: string | null): Promise<LimitState | RateLimitError> {
  try {
    return limitState(rule, await consume(rule, ip ?? "unknown"));
  } catch (err) {
    if (err instanceof RateLimitError) return err;
    throw err;
  }
}

/** `res` with `headers` added (a copy, since some responses' headers are immutable). */
export function withHeaders(res: Response, headers: Record<string, string>): Response {
  const merged = new Headers(res.headers);
  for (const [k, v] of Object.entries(headers)) merged.set(k, v);
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers: merged });
}

/**
 * The general per-IP limit (HTTP_RATE_LIMIT_PER_MINUTE) on tRPC, live-update connects, uploads (the
 * REST import's too) and /api/health: a flood from one address is turned away before it reaches a
 * session lookup or a query. Sign-in, forms, tracking and the rest of the REST API (per key) keep
 * their own limits.
 */
export function httpIpRule(): LimitRule {
  return { name: "http-ip", points: env().HTTP_RATE_LIMIT_PER_MINUTE, durationSeconds: 60 };
}

/** Spends one point of the per-IP limit: null while there are points left, else the 429 to send. */
export async function ipLimitResponse(headers: Headers): Promise<Response | null> {
  try {
    await consume(httpIpRule(), clientIp(headers) ?? "unknown");
    return null;
  } catch (err) {
    if (!(err instanceof RateLimitError)) throw err;
    return Response.json(
      { error: `Too many requests from your network. Try again in ${err.retryAfterSeconds} s.` },
      { status: 429, headers: { "cache-control": "no-store", ...rateLimitHeaders(err) } },
    );
  }
}

/** Test hook: forget the in-memory limiters and what they counted. */
export function resetMemoryLimiters() {
  memoryLimiters.clear();
}
