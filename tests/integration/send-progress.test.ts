import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { closeRedis, getRedis } from "@/lib/redis";
import { progressDue } from "@/server/services/email/sender";
import { redisUrl } from "../helpers/db";

/*
 * A campaign's progress count reads all of its rows; with Redis, one sender of all counts it each
 * second (server/services/email/sender.ts, progressDue).
 */
afterAll(() => closeRedis());

describe("campaign progress is counted once a second", () => {
  it("by this process: a second ask within the second waits, a forced one (the finish) does not", async () => {
    const campaignId = randomUUID();
    expect(await progressDue(campaignId, false)).toBe(true);
    expect(await progressDue(campaignId, false)).toBe(false);
    expect(await progressDue(campaignId, true)).toBe(true);
  });

  it.skipIf(!redisUrl)("with Redis, by one sender of all", async () => {
    const redis = getRedis()!;
    const mine = randomUUID();
    const theirs = randomUUID();
    expect(await progressDue(mine, false)).toBe(true);
    const ttl = await redis.pttl(`email-progress:${mine}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1000);
    // Another worker counted `theirs` this second.
    await redis.set(`email-progress:${theirs}`, "1", "PX", 1000);
    expect(await progressDue(theirs, false)).toBe(false);
    expect(await progressDue(theirs, true)).toBe(true);
    await redis.del(`email-progress:${mine}`, `email-progress:${theirs}`);
  });
});
