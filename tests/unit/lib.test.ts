import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { env, resetEnvCache } from "@/lib/env";
import { consume } from "@/lib/ratelimit";
import { closeRedis, getRedis } from "@/lib/redis";
import { RateLimitError } from "@/server/errors";
import { clientIp } from "@/server/request-info";

describe("env", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetEnvCache();
  });

  it("treats empty variables as unset and applies defaults", () => {
    process.env.DATABASE_URL = "";
    process.env.PORT = "";
    resetEnvCache();
    expect(env().DATABASE_URL).toBeUndefined();
    expect(env().PORT).toBe(3000);
  });

  it("names the variable that is invalid", () => {
    process.env.PORT = "not-a-port";
    resetEnvCache();
    expect(() => env()).toThrow(/PORT/);
  });
});

describe("clientIp", () => {
  it("takes the first forwarded hop and unwraps IPv4-mapped IPv6", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "::ffff:198.51.100.4, 10.0.0.1" }))).toBe(
      "198.51.100.4",
    );
    expect(clientIp(new Headers({ "x-real-ip": "2001:db8::1" }))).toBe("2001:db8::1");
  });

  it("ignores values that are not IP addresses", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "'; drop table users; --" }))).toBeNull();
    expect(clientIp(new Headers())).toBeNull();
  });
});

describe("rate limiting (memory without REDIS_URL, Redis with it)", () => {
  it("allows the configured points, then refuses with a retry delay", async () => {
    const rule = { name: `test-${randomUUID()}`, points: 3, durationSeconds: 60 };
    for (let i = 0; i < 3; i++) await consume(rule, "k");
    const err = await consume(rule, "k").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfterSeconds).toBeGreaterThan(0);
    expect((err as RateLimitError).retryAfterSeconds).toBeLessThanOrEqual(60);
    // another key has its own budget
    await expect(consume(rule, "other")).resolves.toBeTruthy();
  });

  it.skipIf(!process.env.REDIS_URL)(
    "keeps counting on a new Redis connection once the old one is closed",
    async () => {
      const rule = { name: `test-${randomUUID()}`, points: 2, durationSeconds: 60 };
      await consume(rule, "k");
      const first = getRedis();
      await closeRedis();
      // The limiter made on the closed connection is not reused: the count goes on in Redis.
      await consume(rule, "k");
      expect(getRedis()).not.toBe(first);
      await expect(consume(rule, "k")).rejects.toBeInstanceOf(RateLimitError);
    },
  );
});
