import { randomUUID } from "node:crypto";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { activityLogs, content, jobRuns, workspaces } from "@/server/db/schema";
import { type AppEvent, subscribeEvents } from "@/server/events";
import { setQueue } from "@/server/queue";
import { enqueueGenerateContent } from "@/server/queue/jobs/generate-content";
import { OFFLINE_NOTE } from "@/server/services/content/generate";
import { type OpenAIStandIn, STAND_IN_API_KEY, startOpenAIStandIn } from "../fixtures/stand-ins/openai";
import { newInlineQueue, setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

// Whatever the machine's environment says, these tests only ever talk to the local stand-in.
vi.stubEnv("OPENAI_API_KEY", "");
vi.stubEnv("OPENAI_BASE_URL", "");
vi.stubEnv("OPENAI_MODEL", "");
// The stand-in listens on 127.0.0.1, which a workspace's address may reach only with this switch.
vi.stubEnv("AI_ALLOW_PRIVATE", "true");
resetEnvCache();

const h = await setupTestDb();
// Our own runner so the content queue's retries (2 s, 4 s) take milliseconds here.
const queue = newInlineQueue(async () => h.db, { backoffScale: 0.001 });
setQueue(queue);
afterAll(async () => {
  await queue.drain().catch(() => {});
  await queue.close();
});

let fx: Awaited<ReturnType<typeof twoWorkspaces>>;
let standIn: OpenAIStandIn;
const events: AppEvent[] = [];
let unsubscribe = () => {};

beforeAll(async () => {
  fx = await twoWorkspaces(h.db);
  standIn = await startOpenAIStandIn();
  unsubscribe = subscribeEvents((e) => events.push(e));
});
afterAll(async () => {
  unsubscribe();
  await standIn.close();
});
beforeEach(async () => {
  standIn.reset();
  await setSettings({});
});

const brand = {
  brandVoice: "Cosy, wry and plain-spoken. Never use the word 'synergy'.",
  products: [
    {
      name: "Moon Mug",
      description: "A mug that changes colour with heat",
      url: "https://shop.example/mug",
      price: "$18",
    },
  ],
};

async function setSettings(settings: Record<string, unknown>) {
  await h.db.update(workspaces).set({ settings }).where(eq(workspaces.id, fx.ws.id));
}

const withStandIn = () =>
  setSettings({ ...brand, ai: { baseUrl: standIn.url, apiKey: STAND_IN_API_KEY, model: "gpt-4o-mini" } });

const request = {
  platform: "blog" as const,
  product: "moon mug",
  contentType: "review" as const,
  tone: "casual" as const,
  length: "short" as const,
};

async function contentCount(workspaceId: string) {
  const [row] = await h.db.select({ n: count() }).from(content).where(eq(content.workspaceId, workspaceId));
  return row?.n ?? 0;
}

/** Polls jobs.get until the run finishes (retries sit on timers that drain() cannot see). */
async function finished(jobId: string, ms = 15_000) {
  const caller = callerFor(h.db, fx.viewer);
  const start = Date.now();
  for (;;) {
    const run = await caller.jobs.get({ workspaceId: fx.ws.id, id: jobId });
    if (run.status === "succeeded" || run.status === "failed") {
      await queue.drain();
      return run;
    }
    if (Date.now() - start > ms) throw new Error(`job ${jobId} still ${run.status}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const eventsFor = (jobId: string) => events.filter((e) => e.data.jobId === jobId);

describe("content.generate", () => {
  it("queues a job and, without an AI endpoint, saves a clearly labelled offline draft", async () => {
    const member = callerFor(h.db, fx.member);
    const { jobId } = await member.content.generate({
      workspaceId: fx.ws.id,
      ...request,
      context: "Gift guide",
    });
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);

    const run = await finished(jobId);
    expect(run).toMatchObject({ kind: "generate-content", status: "succeeded", progress: 100, attempts: 1 });
    expect(run.result).toMatchObject({ generator: "offline-template", contentId: expect.any(String) });
    const contentId = (run.result as { contentId: string }).contentId;

    const draft = await member.content.get({ workspaceId: fx.ws.id, id: contentId });
    expect(draft).toMatchObject({ type: "blog", status: "draft", author: { id: fx.member.id } });
    expect(draft.body).not.toContain(OFFLINE_NOTE);
    expect(draft.metadata).toMatchObject({
      ai_generated: true,
      generator: "offline-template",
      generator_note: OFFLINE_NOTE,
      generation: { ...request, context: "Gift guide" },
    });
    expect(draft.metadata).not.toHaveProperty("model");

    // With Redis the events come back through pub/sub, in order, possibly after the job: the last
    // one is waited for, then the progress before it is all there.
    await expect
      .poll(() => eventsFor(jobId).find((e) => e.type === "job.finished"))
      .toMatchObject({
        workspaceId: fx.ws.id,
        data: { status: "succeeded", contentId, generator: "offline-template", kind: "generate-content" },
      });
    const progress = eventsFor(jobId)
      .filter((e) => e.type === "job.progress")
      .map((e) => e.data.progress);
    expect(progress).toEqual([10, 40, 90, 100]);

    const mine = await member.notifications.list({ workspaceId: fx.ws.id });
    expect(mine.items.some((n) => n.kind === "content.generated" && n.link?.endsWith(contentId))).toBe(true);
    const owners = await callerFor(h.db, fx.owner).notifications.list({ workspaceId: fx.ws.id });
    expect(owners.items.some((n) => n.kind === "content.generated")).toBe(false);

    const [started] = await h.db
      .select()
      .from(activityLogs)
      .where(and(eq(activityLogs.action, "content.generation_started"), eq(activityLogs.entityId, jobId)));
    expect(started).toMatchObject({ workspaceId: fx.ws.id, userId: fx.member.id });
  });

  it("uses the workspace's AI endpoint with its brand voice and catalogue", async () => {
    await withStandIn();
    const member = callerFor(h.db, fx.member);
    const { jobId } = await member.content.generate({
      workspaceId: fx.ws.id,
      ...request,
      platform: "tiktok",
    });
    const run = await finished(jobId);
    expect(run).toMatchObject({ status: "succeeded", result: { generator: "openai", model: "gpt-4o-mini" } });

    expect(standIn.requests).toHaveLength(1);
    const sent = standIn.requests[0]!.body as { messages: { role: string; content: string }[] };
    expect(sent.messages[0]!.content).toContain(brand.brandVoice);
    expect(sent.messages[1]!.content).toContain("A mug that changes colour with heat");

    const draft = await member.content.get({
      workspaceId: fx.ws.id,
      id: (run.result as { contentId: string }).contentId,
    });
    expect(draft.type).toBe("tiktok");
    expect(draft.title).toContain("Moon Mug");
    // The caption, then the model's hashtags.
    expect(draft.body).toMatch(/Meet Moon Mug[\s\S]*\n\n#moonmug #standin$/);
    expect(draft.body).not.toContain(OFFLINE_NOTE);
    expect(draft.metadata).toMatchObject({
      ai_generated: true,
      generator: "openai",
      model: "gpt-4o-mini",
      generation: { ...request, platform: "tiktok" },
    });
  });

  it("turns an email answer into subject and preheader", async () => {
    await withStandIn();
    const member = callerFor(h.db, fx.member);
    const { jobId } = await member.content.generate({ workspaceId: fx.ws.id, ...request, platform: "email" });
    const run = await finished(jobId);
    const draft = await member.content.get({
      workspaceId: fx.ws.id,
      id: (run.result as { contentId: string }).contentId,
    });
    expect(draft.metadata).toMatchObject({
      email: { subject: draft.title, preheader: "You have not seen Moon Mug like this." },
    });
  });

  it("retries a malformed answer and succeeds on the next attempt", async () => {
    await withStandIn();
    standIn.setMode("malformed", 1);
    const { jobId } = await callerFor(h.db, fx.member).content.generate({
      workspaceId: fx.ws.id,
      ...request,
    });
    const run = await finished(jobId);
    expect(run).toMatchObject({ status: "succeeded", attempts: 2, error: null });
    expect(standIn.requests).toHaveLength(2);
  });

  it("fails visibly after 3 malformed answers, and creates no draft", async () => {
    await withStandIn();
    standIn.setMode("malformed");
    const before = await contentCount(fx.ws.id);
    const member = callerFor(h.db, fx.member);
    const { jobId } = await member.content.generate({ workspaceId: fx.ws.id, ...request });
    const run = await finished(jobId);
    expect(run).toMatchObject({ status: "failed", attempts: 3, result: null });
    expect(run.error).toMatch(/not valid JSON/);
    expect(run.finishedAt).toBeInstanceOf(Date);
    expect(standIn.requests).toHaveLength(3);
    expect(await contentCount(fx.ws.id)).toBe(before);

    await expect
      .poll(() => eventsFor(jobId).find((e) => e.type === "job.finished"))
      .toMatchObject({
        data: { status: "failed", error: run.error },
      });
    const mine = await member.notifications.list({ workspaceId: fx.ws.id });
    expect(mine.items.some((n) => n.kind === "content.generation_failed" && n.body === run.error)).toBe(true);
  });

  it("fails after one attempt when the provider is out of quota", async () => {
    await withStandIn();
    standIn.setMode("quota");
    const before = await contentCount(fx.ws.id);
    const { jobId } = await callerFor(h.db, fx.member).content.generate({
      workspaceId: fx.ws.id,
      ...request,
    });
    const run = await finished(jobId);
    expect(run).toMatchObject({ status: "failed", attempts: 1 });
    expect(run.error).toMatch(/quota or credits/);
    expect(standIn.requests).toHaveLength(1);
    expect(await contentCount(fx.ws.id)).toBe(before);
  });

  it("fails after one attempt when the model refuses", async () => {
    await withStandIn();
    standIn.setMode("refusal");
    const { jobId } = await callerFor(h.db, fx.member).content.generate({
      workspaceId: fx.ws.id,
      ...request,
    });
    const run = await finished(jobId);
    expect(run).toMatchObject({ status: "failed", attempts: 1 });
    expect(run.error).toMatch(/declined to write this/);
  });

  it("does nothing when a finished run is enqueued again", async () => {
    const { jobId } = await callerFor(h.db, fx.member).content.generate({
      workspaceId: fx.ws.id,
      ...request,
    });
    await finished(jobId);
    const before = await contentCount(fx.ws.id);
    await enqueueGenerateContent({ jobRunId: jobId, workspaceId: fx.ws.id });
    await queue.drain();
    expect(await contentCount(fx.ws.id)).toBe(before);
    const [run] = await h.db.select().from(jobRuns).where(eq(jobRuns.id, jobId));
    expect(run).toMatchObject({ status: "succeeded", attempts: 1 });
  });

  it("refuses invalid input with BAD_REQUEST and queues nothing", async () => {
    const member = callerFor(h.db, fx.member);
    const before = await h.db.select({ n: count() }).from(jobRuns).where(eq(jobRuns.workspaceId, fx.ws.id));
    await expect(
      member.content.generate({
        workspaceId: fx.ws.id,
        ...request,
        tone: "angry" as unknown as "casual",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      member.content.generate({ workspaceId: fx.ws.id, ...request, product: "  " }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const after = await h.db.select({ n: count() }).from(jobRuns).where(eq(jobRuns.workspaceId, fx.ws.id));
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it("refuses viewers with FORBIDDEN", async () => {
    await expect(
      callerFor(h.db, fx.viewer).content.generate({ workspaceId: fx.ws.id, ...request }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("refuses another workspace with NOT_FOUND", async () => {
    await expect(
      callerFor(h.db, fx.member).content.generate({ workspaceId: fx.other.id, ...request }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("jobs.get", () => {
  it("shows a run to viewers of its workspace and to no one else", async () => {
    const { jobId } = await callerFor(h.db, fx.member).content.generate({
      workspaceId: fx.ws.id,
      ...request,
    });
    await finished(jobId);
    await expect(
      callerFor(h.db, fx.viewer).jobs.get({ workspaceId: fx.ws.id, id: jobId }),
    ).resolves.toMatchObject({
      id: jobId,
      status: "succeeded",
    });
    // The other workspace's owner, asking through their own workspace: not found.
    await expect(
      callerFor(h.db, fx.otherOwner).jobs.get({ workspaceId: fx.other.id, id: jobId }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    // ... or through ours, which they are not a member of.
    await expect(
      callerFor(h.db, fx.otherOwner).jobs.get({ workspaceId: fx.ws.id, id: jobId }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      callerFor(h.db, fx.member).jobs.get({ workspaceId: fx.ws.id, id: randomUUID() }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
