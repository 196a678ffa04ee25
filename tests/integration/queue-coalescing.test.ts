import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { afterAll, describe, expect, it, vi } from "vitest";
import { setQueue } from "@/server/queue";
import { BullQueue } from "@/server/queue/bullmq";
import { DISPATCH_WINDOW_MS, enqueueDomainEventDispatch } from "@/server/queue/jobs/domain-events";
import { enqueueContentPublishes, REENQUEUE_AFTER_MS } from "@/server/queue/jobs/publish-content";
import { redisUrl, setupTestDb } from "../helpers/db";

/*
 * Under a burst (10,000 posts due in a minute) the fast paths must not send one Redis add per row:
 * commits in one window share one delayed dispatch job, and the scheduler tick does not re-add the
 * jobs it added moments ago. Both still reach Redis when it matters (a new window; a lost job).
 */
const h = await setupTestDb();
const prefix = `organic-coalesce-${randomUUID().slice(0, 8)}`;

describe.skipIf(!redisUrl)("queue fast paths under a burst (needs REDIS_URL)", () => {
  const queue = new BullQueue(prefix);
  const inspect = (name: string) => new Queue(name, { connection: { url: redisUrl! }, prefix });
  const system = inspect("system");
  const contentQueue = inspect("content");
  afterAll(async () => {
    setQueue(h.queue);
    for (const q of [system, contentQueue]) {
      await q.obliterate({ force: true });
      await q.close();
    }
    await queue.close();
  });

  it("200 commits in one window enqueue one dispatch, delayed until the window has closed", async () => {
    setQueue(queue);
    // Start right after a window boundary so the burst stays inside one window.
    const start = Date.now();
    await new Promise((r) => setTimeout(r, DISPATCH_WINDOW_MS - (start % DISPATCH_WINDOW_MS) + 1));
    const window = Math.floor(Date.now() / DISPATCH_WINDOW_MS);
    await Promise.all(Array.from({ length: 200 }, (_, i) => enqueueDomainEventDispatch(i + 1)));
    const delayed = await system.getDelayed();
    const mine = delayed.filter((j) => j.id === `domain-events-w${window}`);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.timestamp + mine[0]!.delay).toBeGreaterThanOrEqual((window + 1) * DISPATCH_WINDOW_MS);
    expect(delayed.length).toBeLessThanOrEqual(2);
    // The next window gets its own job.
    await new Promise((r) => setTimeout(r, DISPATCH_WINDOW_MS + 5));
    await enqueueDomainEventDispatch(1000);
    expect((await system.getDelayed()).length).toBeGreaterThan(mine.length);
  });

  it("a tick does not re-add the publish jobs it added moments ago, and adds them again later", async () => {
    setQueue(queue);
    const rows = Array.from({ length: 50 }, () => ({
      id: randomUUID(),
      workspaceId: randomUUID(),
      updatedAt: new Date(),
    }));
    await enqueueContentPublishes(rows);
    expect(await contentQueue.getWaitingCount()).toBe(50);
    // As if Redis lost them: the next tick right away trusts its recent adds…
    await contentQueue.obliterate({ force: true });
    await enqueueContentPublishes(rows);
    expect(await contentQueue.getWaitingCount()).toBe(0);
    // …and adds them again once they may have been lost.
    vi.useFakeTimers({ now: Date.now() + REENQUEUE_AFTER_MS + 1, toFake: ["Date"] });
    try {
      await enqueueContentPublishes(rows);
    } finally {
      vi.useRealTimers();
    }
    expect(await contentQueue.getWaitingCount()).toBe(50);
  });
});
