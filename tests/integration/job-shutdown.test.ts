import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { resetEnvCache } from "@/lib/env";
import { logger } from "@/lib/logger";
import { content, jobRuns, leads } from "@/server/db/schema";
import { setQueue } from "@/server/queue";
import { jobHandlers } from "@/server/queue/handlers";
import { InlineQueue } from "@/server/queue/inline";
import { importLeadsJob } from "@/server/queue/jobs/import-leads";
import { runJob } from "@/server/queue/run";
import { bindJob, createJobRegistry, defineJob } from "@/server/queue/types";
import { publishContent } from "@/server/services/content/publish";
import { createImportRun } from "@/server/services/leads-import/start";
import { saveImportUpload } from "@/server/services/leads-import/upload";
import { resetStorage } from "@/server/storage";
import { setupTestDb } from "../helpers/db";
import { createUser, createWorkspace } from "../helpers/fixtures";

/*
 * Graceful stop, in process (both engines): the runner's abort signal makes long jobs hand their
 * claims back — a lead import goes back to `queued` and is enqueued again for another worker; a
 * publish that has claimed its row but not called the platform puts the row back to `scheduled`.
 */

const h = await setupTestDb();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-job-shutdown-"));
const saved = { DATA_DIR: process.env.DATA_DIR, S3_BUCKET: process.env.S3_BUCKET };
const owner = await createUser(h.db);
const ws = await createWorkspace(h.db, owner);
const ctx = { db: h.db, workspaceId: ws.id, actor: { userId: owner.id, ip: null, userAgent: "vitest" } };

beforeAll(() => {
  process.env.DATA_DIR = dataDir;
  delete process.env.S3_BUCKET;
  resetEnvCache();
  resetStorage();
});
afterAll(() => {
  if (saved.DATA_DIR === undefined) delete process.env.DATA_DIR;
  else process.env.DATA_DIR = saved.DATA_DIR;
  if (saved.S3_BUCKET !== undefined) process.env.S3_BUCKET = saved.S3_BUCKET;
  resetEnvCache();
  resetStorage();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const stopped = () => {
  const c = new AbortController();
  c.abort();
  return c.signal;
};

describe("the in-process runner's stop", () => {
  it("aborts running jobs, waits for them within the bound, and runs nothing after", async () => {
    let sawAbort = false;
    const calls: string[] = [];
    const slow = defineJob({ queue: "system", name: "slow-job", schema: z.object({ id: z.string() }) });
    const q = new InlineQueue(async () => h.db, {
      concurrency: 1,
      handlers: createJobRegistry([
        bindJob(slow, async ({ id }, { signal }) => {
          calls.push(id);
          while (!signal.aborted) await new Promise((r) => setTimeout(r, 10));
          sawAbort = true;
          return { released: true };
        }),
      ]),
    });
    await q.enqueue(slow, { id: "running" });
    await q.enqueue(slow, { id: "waiting" });
    for (let i = 0; i < 100 && calls.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const { unfinished } = await q.stop(2000);
    expect(unfinished).toBe(0);
    expect(sawAbort).toBe(true);
    await q.enqueue(slow, { id: "after" });
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toEqual(["running"]);
    expect(await q.health()).toBe("down");
  });
});

describe("claims handed back on stop", () => {
  it("a lead import goes back to queued and is enqueued again; another runner finishes it", async () => {
    const csv = `email,name\n${Array.from({ length: 20 }, (_, i) => `stop-${i}@import.test,P ${i}`).join("\n")}\n`;
    const upload = await saveImportUpload(ctx, { body: Buffer.from(csv), filename: "list.csv" });
    const run = await createImportRun(ctx, {
      uploadId: upload.uploadId,
      mapping: { email: "email", name: "name" },
      policy: "skip",
      tags: [],
    });
    // The queue the run is enqueued again on; its runner (another worker) starts after the check.
    const next = new InlineQueue(async () => h.db);
    setQueue(next);
    try {
      const result = await runJob(
        jobHandlers(),
        importLeadsJob.name,
        { jobRunId: run.id, workspaceId: ws.id },
        { db: h.db, jobId: run.id, attempt: 1, signal: stopped() },
      );
      expect(result).toEqual({ outcome: "released" });
      const [row] = await h.db.select().from(jobRuns).where(eq(jobRuns.id, run.id));
      expect(row!.status).toBe("queued");
      next.start(jobHandlers());
      await next.drain(20_000);
      const [done] = await h.db.select().from(jobRuns).where(eq(jobRuns.id, run.id));
      expect(done!.status, done!.error ?? "").toBe("succeeded");
      const imported = await h.db.select().from(leads).where(eq(leads.workspaceId, ws.id));
      expect(imported.filter((l) => l.email.startsWith("stop-"))).toHaveLength(20);
    } finally {
      setQueue(h.queue);
      await next.close();
    }
  });

  it("a publish that has not called the platform yet puts its row back to scheduled", async () => {
    const [row] = await h.db
      .insert(content)
      .values({
        workspaceId: ws.id,
        type: "blog",
        status: "scheduled",
        title: "Stopping",
        slug: `stopping-${randomUUID().slice(0, 6)}`,
        body: "Body",
        scheduledAt: new Date(Date.now() - 1000),
      })
      .returning();
    const out = await publishContent(h.db, {
      contentId: row!.id,
      attempt: 1,
      maxAttempts: 3,
      log: logger,
      signal: stopped(),
    });
    expect(out).toEqual({ outcome: "released" });
    const [after] = await h.db.select().from(content).where(eq(content.id, row!.id));
    expect(after).toMatchObject({ status: "scheduled", claimedAt: null });
  });
});
