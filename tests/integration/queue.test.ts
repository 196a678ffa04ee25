import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { outboxMessages } from "@/server/db/schema";
import { BullQueue, startBullWorkers } from "@/server/queue/bullmq";
import { InlineQueue } from "@/server/queue/inline";
import { sendSystemEmailJob } from "@/server/queue/jobs/system-email";
import { bindJob, createJobRegistry, defineJob } from "@/server/queue/types";
import { redisUrl, setupTestDb } from "../helpers/db";

const h = await setupTestDb();

function countingJob(name: string, failTimes = 0, queue: "content" | "system" = "system") {
  const calls: unknown[] = [];
  const def = defineJob({ queue, name, schema: z.object({ n: z.number() }) });
  const bound = bindJob(def, async (payload) => {
    calls.push(payload);
    if (calls.length <= failTimes) throw new Error(`planned failure ${calls.length}`);
    return { ok: true };
  });
  return { def, bound, calls };
}

/** An inline runner for these test jobs only. */
const inlineFor = (jobs: { bound: ReturnType<typeof bindJob> }[], opts: { backoffScale?: number } = {}) =>
  new InlineQueue(async () => h.db, { ...opts, handlers: createJobRegistry(jobs.map((j) => j.bound)) });

async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("inline queue (embedded mode)", () => {
  it("runs a job once even when enqueued twice with the same id", async () => {
    const job = countingJob("dedupe");
    const { def, calls } = job;
    const q = inlineFor([job]);
    await q.enqueue(def, { n: 1 }, { jobId: "same" });
    await q.enqueue(def, { n: 1 }, { jobId: "same" });
    await q.drain();
    expect(calls).toHaveLength(1);
    await q.close();
  });

  it("retries with the queue's policy and gives up after the last attempt", async () => {
    const flaky = countingJob("flaky", 2, "content"); // content queue: 3 attempts
    const hopeless = countingJob("hopeless", 99, "content");
    const q = inlineFor([flaky, hopeless], { backoffScale: 0.001 });
    await q.enqueue(flaky.def, { n: 1 });
    await waitFor(() => flaky.calls.length === 3);
    await q.enqueue(hopeless.def, { n: 2 });
    await waitFor(() => hopeless.calls.length === 3);
    await new Promise((r) => setTimeout(r, 50));
    expect(hopeless.calls).toHaveLength(3);
    await q.close();
  });

  it("does not retry a payload that fails validation", async () => {
    const job = countingJob("validated");
    const { def, calls } = job;
    const q = inlineFor([job], { backoffScale: 0.001 });
    await q.enqueue(def, { n: "not a number" });
    await q.drain();
    expect(calls).toHaveLength(0);
    await q.close();
  });

  it("delivers an app email to the outbox when no SMTP server is configured", async () => {
    const [msg] = await h.db
      .insert(outboxMessages)
      .values({ kind: "test", toAddress: "someone@example.test", subject: "Hi", text: "Hello" })
      .returning();
    await h.queue.enqueue(sendSystemEmailJob, { outboxId: msg!.id });
    await h.queue.drain();
    const [after] = await h.db.select().from(outboxMessages).where(eq(outboxMessages.id, msg!.id));
    expect(after?.status).toBe("outbox");
  });
});

describe.skipIf(!redisUrl)("BullMQ queue (scale-out mode, needs REDIS_URL)", () => {
  const prefix = `organic-test-${randomUUID().slice(0, 8)}`;
  const queue = new BullQueue(prefix);
  const dedupe = countingJob("bull-dedupe");
  const invalid = countingJob("bull-invalid");
  let workers: ReturnType<typeof startBullWorkers>;
  beforeAll(() => {
    workers = startBullWorkers(createJobRegistry([dedupe.bound, invalid.bound]), async () => h.db, {
      prefix,
      concurrency: 2,
    });
  });
  afterAll(async () => {
    await workers.stop();
    await queue.close();
  });

  it("runs an enqueued job in a worker exactly once for a deterministic id", async () => {
    await queue.enqueue(dedupe.def, { n: 7 }, { jobId: "fixed-id" });
    await queue.enqueue(dedupe.def, { n: 7 }, { jobId: "fixed-id" });
    await waitFor(() => dedupe.calls.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(dedupe.calls).toEqual([{ n: 7 }]);
    expect(await queue.health()).toBe("ok");
  });

  it("marks an invalid payload as failed without retrying", async () => {
    const failed = new Promise<{ message: string; attempts: number }>((resolve) =>
      workers.workers[0]!.on("failed", (job, err) =>
        resolve({ message: err.message, attempts: job?.attemptsMade ?? -1 }),
      ),
    );
    await queue.enqueue(invalid.def, { n: "bad" });
    const result = await failed;
    expect(result.message).toMatch(/invalid payload/);
    expect(result.attempts).toBe(1);
    expect(invalid.calls).toHaveLength(0);
  });
});
