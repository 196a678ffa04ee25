import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { resetEnvCache } from "@/lib/env";
import { campaignEnrollments, campaignSteps, domainEvents, emailCampaigns } from "@/server/db/schema";
import { featureEnabled } from "@/server/features";
import { setQueue, startRepeatingJobs } from "@/server/queue";
import { BullQueue } from "@/server/queue/bullmq";
import { jobHandlers } from "@/server/queue/handlers";
import { InlineQueue } from "@/server/queue/inline";
import { emailSenderTickJob } from "@/server/queue/jobs/email-sender";
import { bindJob, createJobRegistry, defineJob } from "@/server/queue/types";
import { createLead } from "@/server/services/leads/leads";
import { redisUrl, setupTestDb } from "../helpers/db";
import { createUser, createWorkspace } from "../helpers/fixtures";
import { runJobNow } from "../helpers/jobs";

/** ENABLE_EMAIL_MARKETING=false: the email part's jobs and repeating ticks do not run. */

const h = await setupTestDb({ ownDatabase: true });
const saved = process.env.ENABLE_EMAIL_MARKETING;
const emailOff = () => {
  process.env.ENABLE_EMAIL_MARKETING = "false";
  resetEnvCache();
};
afterEach(() => {
  if (saved === undefined) delete process.env.ENABLE_EMAIL_MARKETING;
  else process.env.ENABLE_EMAIL_MARKETING = saved;
  resetEnvCache();
});

const EMAIL_TICKS = ["email-sender-tick", "campaign-scheduler", "sequence-enroller", "bounce-mailbox-tick"];

describe("ENABLE_EMAIL_MARKETING=false", () => {
  it("leaves the email ticks out of the repeating jobs (and lists them for removal)", () => {
    const on = jobHandlers()
      .repeating()
      .map((r) => r.def.name);
    expect(on).toEqual(expect.arrayContaining(EMAIL_TICKS));
    emailOff();
    const registry = jobHandlers();
    const off = registry.repeating().map((r) => r.def.name);
    for (const name of EMAIL_TICKS) expect(off).not.toContain(name);
    expect(off).toEqual(expect.arrayContaining(["content-scheduler", "dispatch-domain-events", "cleanup"]));
    expect(
      registry
        .disabledRepeating()
        .map((r) => r.def.name)
        .sort(),
    ).toEqual([...EMAIL_TICKS].sort());
  });

  it("skips an email job that is enqueued anyway, and runs it again once switched back on", async () => {
    const calls: unknown[] = [];
    const def = defineJob({
      queue: "email",
      name: "flagged-email-job",
      schema: z.object({}),
      feature: "email",
    });
    const q = new InlineQueue(async () => h.db, {
      handlers: createJobRegistry(
        [
          bindJob(def, async (p) => {
            calls.push(p);
            return { ran: true };
          }),
        ],
        [],
        featureEnabled,
      ),
    });
    emailOff();
    await q.enqueue(def, {});
    await q.drain();
    expect(calls).toHaveLength(0);
    expect(await runJobNow(h.db, emailSenderTickJob)).toEqual({ skipped: "feature-disabled" });
    process.env.ENABLE_EMAIL_MARKETING = "true";
    resetEnvCache();
    await q.enqueue(def, {});
    await q.drain();
    expect(calls).toHaveLength(1);
    await q.close();
  });

  it("starts no triggered campaign, and the lead's event is still consumed", async () => {
    const owner = await createUser(h.db);
    const ws = await createWorkspace(h.db, owner);
    const [c] = await h.db
      .insert(emailCampaigns)
      .values({
        workspaceId: ws.id,
        name: "On signup",
        type: "triggered",
        status: "active",
        content: {},
        schedule: { trigger: { event: "lead.created" } },
      })
      .returning();
    await h.db
      .insert(campaignSteps)
      .values({ workspaceId: ws.id, campaignId: c!.id, position: 0, subject: "Hi", body: "Hello" });
    emailOff();
    const ctx = { db: h.db, workspaceId: ws.id, actor: { userId: owner.id, ip: null, userAgent: "vitest" } };
    await createLead(ctx, { email: "flag-off@example.test", status: "active", tags: [], customFields: {} });
    await h.queue.drain();
    expect(
      await h.db.select().from(campaignEnrollments).where(eq(campaignEnrollments.campaignId, c!.id)),
    ).toEqual([]);
    const [ev] = await h.db.select().from(domainEvents).where(eq(domainEvents.workspaceId, ws.id));
    expect(ev!.processedAt).not.toBeNull();
  });

  it.skipIf(!redisUrl)("removes the email ticks' schedules from Redis at start", async () => {
    const bull = new BullQueue(`organic-flags-${randomUUID().slice(0, 8)}`);
    setQueue(bull);
    try {
      await startRepeatingJobs(jobHandlers());
      const schedulers = async () => {
        const names: string[] = [];
        for (const queue of ["email", "system"] as const) {
          const q = (bull as unknown as { queue(n: string): import("bullmq").Queue }).queue(queue);
          for (const s of await q.getJobSchedulers()) names.push(s.name);
        }
        return names;
      };
      expect(await schedulers()).toEqual(expect.arrayContaining(EMAIL_TICKS));
      emailOff();
      await startRepeatingJobs(jobHandlers());
      const left = await schedulers();
      for (const name of EMAIL_TICKS) expect(left).not.toContain(name);
      expect(left).toContain("content-scheduler");
    } finally {
      setQueue(h.queue);
      for (const queue of ["email", "system", "content", "analytics"] as const) {
        await (bull as unknown as { queue(n: string): import("bullmq").Queue })
          .queue(queue)
          .obliterate({ force: true });
      }
      await bull.close();
    }
  });
});
