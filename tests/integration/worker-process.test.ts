import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { outboxMessages } from "@/server/db/schema";
import { BullQueue } from "@/server/queue/bullmq";
import { sendSystemEmailJob } from "@/server/queue/jobs/system-email";
import { redisUrl, setupTestDb, usingPostgres } from "../helpers/db";
import { workerNodeArgs } from "../helpers/server-build";
import { SPAWNED_WORKER_ENV } from "../helpers/worker-env";

// The workers it starts run every repeating tick (the email sender's among them) over the whole
// database: on a database of their own, so they never take another test file's sends or posts.
const h = await setupTestDb({ ownDatabase: true });

describe.skipIf(!redisUrl || !usingPostgres)("npm run worker (needs DATABASE_URL and REDIS_URL)", () => {
  const prefix = `organic-worker-test-${randomUUID().slice(0, 8)}`;
  const queue = new BullQueue(prefix);
  let worker: ChildProcess | undefined;
  afterAll(async () => {
    worker?.kill("SIGKILL");
    await queue.close();
  });

  it("is a separate process that runs jobs the web process enqueued, and stops cleanly", async () => {
    worker = spawn(process.execPath, workerNodeArgs(), {
      env: { ...process.env, ...SPAWNED_WORKER_ENV, QUEUE_PREFIX: prefix, LOG_LEVEL: "info", SMTP_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    worker.stdout!.on("data", (d) => {
      output += d;
    });
    worker.stderr!.on("data", (d) => {
      output += d;
    });
    const [msg] = await h.db
      .insert(outboxMessages)
      .values({ kind: "test", toAddress: "w@example.test", subject: "From the worker", text: "hi" })
      .returning();
    await queue.enqueue(sendSystemEmailJob, { outboxId: msg!.id });

    const deadline = Date.now() + 30_000;
    let status = "pending";
    while (status === "pending" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      const [row] = await h.db.select().from(outboxMessages).where(eq(outboxMessages.id, msg!.id));
      status = row!.status;
    }
    expect(status, output).toBe("outbox");
    // the start-up log line may come after the first job ran (repeating jobs register in parallel)
    for (let i = 0; i < 100 && !output.includes("worker started"); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain("worker started");

    const exited = new Promise<number | null>((resolve) => worker!.on("exit", (code) => resolve(code)));
    worker.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});

describe("npm run worker without Redis", () => {
  it("explains that embedded mode runs jobs in the app process and exits non-zero", async () => {
    const { REDIS_URL: _omit, ...env } = process.env;
    const child = spawn(process.execPath, workerNodeArgs(), {
      env: { ...env, DATA_DIR: "/nonexistent-organic-test" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toContain("needs REDIS_URL");
  });
});
