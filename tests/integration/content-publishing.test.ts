import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import Redis from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { logger } from "@/lib/logger";
import { content } from "@/server/db/schema";
import { setQueue } from "@/server/queue";
import { BullQueue, startBullWorkers } from "@/server/queue/bullmq";
import { jobHandlers } from "@/server/queue/handlers";
import { contentSchedulerJob } from "@/server/queue/jobs/content-scheduler";
import { publishContentJob } from "@/server/queue/jobs/publish-content";
import {
  claimContent,
  continuePublish,
  PublishError,
  type Publisher,
  publishContent,
  publishTiming,
  setPublisher,
} from "@/server/services/content/publish";
import { waitForPlatform } from "@/server/services/content/publisher";
import { newInlineQueue, redisUrl, setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

// Its scheduler ticks publish every due row of the database they see: on a database of its own,
// so they never take another test file's due posts (that file's publish then finds nothing to claim).
const h = await setupTestDb({ ownDatabase: true });
let f: Awaited<ReturnType<typeof twoWorkspaces>>;

/**
 * A blog publisher that counts what it published (the real one only marks rows). On a shared
 * PostgreSQL database a scheduler tick may also pick up other test files' due rows, so assertions
 * look only at the rows each test made (`only`).
 */
const only = (published: string[], ...ids: string[]) => published.filter((id) => ids.includes(id));

function countingPublisher(opts: { failTimes?: number; retryable?: boolean } = {}) {
  const published: string[] = [];
  let failures = 0;
  const publisher: Publisher = {
    async publish({ content: item, workspace }) {
      if (failures < (opts.failTimes ?? 0)) {
        failures++;
        throw new PublishError(`planned failure ${failures}`, opts.retryable ?? true);
      }
      published.push(item.id);
      return { url: `/blog/${workspace.slug}/${item.slug}` };
    },
  };
  setPublisher("blog", publisher);
  return { published };
}

async function dueRow(title: string) {
  const [row] = await h.db
    .insert(content)
    .values({
      workspaceId: f.ws.id,
      type: "blog",
      status: "scheduled",
      title,
      slug: `${title.toLowerCase().replace(/\W+/g, "-")}-${randomUUID().slice(0, 6)}`,
      body: "Body",
      scheduledAt: new Date(Date.now() - 1000),
    })
    .returning();
  return row!;
}

async function statusOf(id: string) {
  const [row] = await h.db.select().from(content).where(eq(content.id, id));
  return row!;
}

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
});
afterEach(() => {
  setPublisher("blog", null);
  setQueue(h.queue);
});

describe("publishing reliability (in-process runner)", () => {
  it("publishes once even when its job is enqueued twice under different ids", async () => {
    const { published } = countingPublisher();
    const row = await dueRow("Twice");
    await h.queue.enqueue(publishContentJob, { contentId: row.id, workspaceId: f.ws.id }, { jobId: "a" });
    await h.queue.enqueue(publishContentJob, { contentId: row.id, workspaceId: f.ws.id }, { jobId: "b" });
    await h.queue.drain();
    expect(only(published, row.id)).toEqual([row.id]);
    expect((await statusOf(row.id)).status).toBe("published");
  });

  it("lets exactly one of many concurrent claims win", async () => {
    const row = await dueRow("Race");
    const claims = await Promise.all(Array.from({ length: 8 }, () => claimContent(h.db, row.id)));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it("does not publish a row that is not due yet, nor a draft", async () => {
    const { published } = countingPublisher();
    const row = await dueRow("Future");
    await h.db
      .update(content)
      .set({ scheduledAt: new Date(Date.now() + 3_600_000) })
      .where(eq(content.id, row.id));
    const draft = await dueRow("Draft");
    await h.db.update(content).set({ status: "draft" }).where(eq(content.id, draft.id));
    for (const id of [row.id, draft.id])
      await h.queue.enqueue(publishContentJob, { contentId: id, workspaceId: f.ws.id });
    await h.queue.drain();
    expect(only(published, row.id, draft.id)).toEqual([]);
  });

  it("retries a temporary failure and then publishes; a permanent one fails with its error", async () => {
    const q = newInlineQueue(async () => h.db, { backoffScale: 0.001 });
    setQueue(q);
    const flaky = countingPublisher({ failTimes: 2 });
    const row = await dueRow("Flaky");
    await q.enqueue(publishContentJob, { contentId: row.id, workspaceId: f.ws.id });
    for (let i = 0; i < 100 && (await statusOf(row.id)).status !== "published"; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(only(flaky.published, row.id)).toEqual([row.id]);

    countingPublisher({ failTimes: 99, retryable: false });
    const doomed = await dueRow("Doomed");
    await q.enqueue(publishContentJob, { contentId: doomed.id, workspaceId: f.ws.id });
    await q.drain();
    const after = await statusOf(doomed.id);
    expect(after.status).toBe("failed");
    expect(after.metadata.error).toMatchObject({ message: "planned failure 1", attempts: 1 });
    await q.close();
  });

  it("gives back a claim left by a worker that died mid-publish, and then publishes it", async () => {
    const { published } = countingPublisher();
    const row = await dueRow("Orphaned");
    // exactly what a killed worker leaves behind: claimed, never finished
    await h.db
      .update(content)
      .set({ status: "publishing", claimedAt: sql`now() - interval '1 hour'` as unknown as Date })
      .where(eq(content.id, row.id));
    await h.queue.enqueue(contentSchedulerJob, {});
    await h.queue.drain();
    await h.queue.drain();
    expect(only(published, row.id)).toEqual([row.id]);
    expect((await statusOf(row.id)).status).toBe("published");
  });

  it("leaves a fresh claim alone (a slow publisher is not a dead one)", async () => {
    const row = await dueRow("Slow");
    await h.db
      .update(content)
      .set({ status: "publishing", claimedAt: new Date() })
      .where(eq(content.id, row.id));
    await h.queue.enqueue(contentSchedulerJob, {});
    await h.queue.drain();
    expect((await statusOf(row.id)).status).toBe("publishing");
  });

  it("publishes posts that came due while the server was down, when it starts again", async () => {
    const { published } = countingPublisher();
    const missed = await dueRow("Missed while down");
    // a new process: a new runner whose first scheduler tick runs at start
    const restarted = newInlineQueue(async () => h.db);
    setQueue(restarted);
    await restarted.repeat(contentSchedulerJob, {}, 60_000);
    await restarted.drain();
    await restarted.drain();
    expect(published).toContain(missed.id);
    await restarted.close();
  });

  it("lets a member schedule through the API and the delayed job publishes it when due", async () => {
    countingPublisher();
    const c = callerFor(h.db, f.member);
    const post = await c.content.create({ workspaceId: f.ws.id, type: "blog", title: "Soon", body: "Soon" });
    await c.content.schedule({ workspaceId: f.ws.id, id: post.id, scheduledAt: new Date(Date.now() + 300) });
    for (let i = 0; i < 100 && (await statusOf(post.id)).status !== "published"; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect((await statusOf(post.id)).status).toBe("published");
  });

  it("a publish hands on only the claim it took: after a takeover it leaves the row to the new claim", async () => {
    publishTiming.holdMs = 0;
    try {
      // A platform that is still processing when the run first waits.
      const waiting = (takeOver: boolean): Publisher => ({
        async publish(ctx) {
          if (takeOver) {
            // The stale-claim sweep and another run took the row meanwhile: a later claim, never
            // equal to this run's (Date.now() - 5 could fall on this run's own millisecond).
            await h.db
              .update(content)
              .set({ claimedAt: sql`${content.claimedAt} + interval '1 second'` })
              .where(eq(content.id, ctx.content.id));
          }
          await waitForPlatform(ctx, 60_000);
          return { url: "/never" };
        },
      });
      const run = (id: string) =>
        publishContent(h.db, { contentId: id, attempt: 1, maxAttempts: 3, log: logger, release: true });

      setPublisher("blog", waiting(false));
      const kept = await dueRow("Kept claim");
      const out = await run(kept.id);
      expect(out.outcome).toBe("waiting");
      const afterKept = await statusOf(kept.id);
      expect(afterKept.status).toBe("publishing");
      expect(afterKept.claimedAt!.getTime()).toBeGreaterThanOrEqual(Date.now() - 5_000);

      setPublisher("blog", waiting(true));
      const taken = await dueRow("Taken claim");
      expect((await run(taken.id)).outcome).toBe("skipped");
      const afterTaken = await statusOf(taken.id);
      expect(afterTaken.status).toBe("publishing");
      const other = afterTaken.claimedAt!.getTime();
      // A check for the first run's hand-on finds no claim of its own there either.
      const late = await continuePublish(h.db, {
        contentId: taken.id,
        claimedAt: new Date(other + 1).toISOString(),
        waitMs: 0,
        since: Date.now(),
        attempt: 1,
        maxAttempts: 3,
        log: logger,
      });
      expect(late.outcome).toBe("skipped");
      expect((await statusOf(taken.id)).claimedAt!.getTime()).toBe(other);
    } finally {
      publishTiming.holdMs = null;
    }
  });
});

describe.skipIf(!redisUrl)("publishing on BullMQ (needs REDIS_URL)", () => {
  const prefix = `organic-pub-${randomUUID().slice(0, 8)}`;
  const queue = new BullQueue(prefix);
  let workers: ReturnType<typeof startBullWorkers>;
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(redisUrl!);
    workers = startBullWorkers(jobHandlers(), async () => h.db, {
      prefix,
      concurrency: 4,
    });
  });
  afterAll(async () => {
    await workers.stop();
    await queue.close();
    await redis.quit();
  });

  it("still publishes due posts after Redis lost every queued job", async () => {
    setQueue(queue);
    const { published } = countingPublisher();
    const c = callerFor(h.db, f.member);
    const post = await c.content.create({
      workspaceId: f.ws.id,
      type: "blog",
      title: "Survives flush",
      body: "x",
    });
    await c.content.schedule({ workspaceId: f.ws.id, id: post.id, scheduledAt: new Date(Date.now() + 1500) });
    // the delayed job is gone: every key of this queue prefix deleted
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await new Promise((r) => setTimeout(r, 1700));
    expect((await statusOf(post.id)).status).toBe("scheduled");
    // the next scheduler tick finds it in the database
    await queue.enqueue(contentSchedulerJob, {});
    for (let i = 0; i < 200 && (await statusOf(post.id)).status !== "published"; i++)
      await new Promise((r) => setTimeout(r, 25));
    expect((await statusOf(post.id)).status).toBe("published");
    expect(only(published, post.id)).toEqual([post.id]);
  });

  it("publishes once when the scheduler and a direct enqueue race", async () => {
    setQueue(queue);
    const { published } = countingPublisher();
    const rows = await Promise.all(Array.from({ length: 20 }, (_, i) => dueRow(`Race ${i}`)));
    await Promise.all([
      queue.enqueue(contentSchedulerJob, {}),
      ...rows.map((r) =>
        queue.enqueue(
          publishContentJob,
          { contentId: r.id, workspaceId: f.ws.id },
          { jobId: `direct-${r.id}` },
        ),
      ),
    ]);
    for (let i = 0; i < 400; i++) {
      const states = await Promise.all(rows.map((r) => statusOf(r.id)));
      if (states.every((s) => s.status === "published")) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const ids = rows.map((r) => r.id);
    expect(only(published, ...ids).sort()).toEqual(ids.sort());
  });
});
