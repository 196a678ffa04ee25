import { setTimeout as sleep } from "node:timers/promises";
import { TemporaryError } from "../http";

/**
 * Client-side pacing for SP-API's token buckets (shared/api-contracts.md §C): each selling partner
 * has a bucket per operation that refills at `rate` requests per second up to `burst`. Taking a
 * token before each call keeps a long sync under Amazon's limit instead of discovering it through
 * 429s; a 429 anyway empties our bucket so we slow down to Amazon's view of it.
 *
 * In-process: one bucket per (seller, operation) per process. Syncs of one workspace never run in
 * parallel (the job-run lock), so this is the whole traffic of that seller from this install.
 */

export interface BucketSpec {
  /** Requests per second restored. */
  rate: number;
  burst: number;
}

/** Amazon's default usage plans (orders models and fulfillmentOutbound_2020-07-01.json). */
export const SP_API_RATE_LIMITS = {
  /** Orders v0 getOrders: 0.0167 req/s (one a minute), burst 20. */
  getOrders: { rate: 0.0167, burst: 20 },
  /** Orders 2026-01-01 searchOrders: 0.0056 req/s, burst 20. */
  searchOrders: { rate: 0.0056, burst: 20 },
  // Fulfillment Outbound 2020-07-01: 2 req/s, burst 30, each operation its own bucket.
  getFulfillmentPreview: { rate: 2, burst: 30 },
  createFulfillmentOrder: { rate: 2, burst: 30 },
  listAllFulfillmentOrders: { rate: 2, burst: 30 },
  getFulfillmentOrder: { rate: 2, burst: 30 },
  cancelFulfillmentOrder: { rate: 2, burst: 30 },
  getMarketplaceParticipations: { rate: 0.016, burst: 15 },
} satisfies Record<string, BucketSpec>;
export type SpApiOperation = keyof typeof SP_API_RATE_LIMITS;

/** Tests shorten these; production leaves them alone. */
export const amazonPacing = {
  limits: { ...SP_API_RATE_LIMITS } as Record<SpApiOperation, BucketSpec>,
  /** Longest a single call waits for a token before giving up as a temporary failure. */
  maxWaitMs: 5 * 60_000,
};

class TokenBucket {
  private tokens: number;
  private at = Date.now();
  constructor(private readonly spec: BucketSpec) {
    this.tokens = spec.burst;
  }
  private refill(now: number) {
    this.tokens = Math.min(this.spec.burst, this.tokens + ((now - this.at) / 1000) * this.spec.rate);
    this.at = now;
  }
  /** Milliseconds until a token is free (0: take it now). */
  reserve(now = Date.now()): number {
    this.refill(now);
    // Reserve the token now (tokens may go negative): concurrent callers queue up in order.
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.spec.rate) * 1000);
  }
  giveBack() {
    this.tokens = Math.min(this.spec.burst, this.tokens + 1);
  }
  drain(now = Date.now()) {
    this.refill(now);
    this.tokens = Math.min(this.tokens, 0);
  }
}

const g = globalThis as unknown as { organicSpApiBuckets?: Map<string, TokenBucket> };
const buckets = () => (g.organicSpApiBuckets ??= new Map());

function bucketFor(seller: string, op: SpApiOperation) {
  const key = `${seller}\n${op}`;
  let b = buckets().get(key);
  if (!b) {
    b = new TokenBucket(amazonPacing.limits[op]);
    buckets().set(key, b);
  }
  return b;
}

/** Waits for a token of `op` for this seller; a wait longer than allowed is a TemporaryError. */
export async function takeSpApiToken(seller: string, op: SpApiOperation, maxWaitMs = amazonPacing.maxWaitMs) {
  const bucket = bucketFor(seller, op);
  const wait = bucket.reserve();
  if (wait > maxWaitMs) {
    bucket.giveBack();
    throw new TemporaryError(`Amazon allows ${op} again in about ${Math.ceil(wait / 1000)} s (rate limit)`, {
      provider: "amazon",
      status: 429,
      code: "QuotaExceeded",
      retryAfterMs: wait,
    });
  }
  if (wait > 0) await sleep(wait);
  return wait;
}

/** Amazon answered 429: its bucket for us is empty, so ours is too. */
export function drainSpApiBucket(seller: string, op: SpApiOperation) {
  bucketFor(seller, op).drain();
}

/** Forget all buckets (tests; limits changed). */
export function resetSpApiBuckets() {
  buckets().clear();
}
