import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { activityLogs, content, integrations } from "@/server/db/schema";
import { saveConnection, setStatus } from "@/server/integrations/store";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
const inAnHour = () => new Date(Date.now() + 3_600_000);

beforeAll(async () => {
  // Nothing listens here: a connected TikTok account's creator info cannot be fetched (no traffic
  // leaves the machine), so the privacy check waits for publish time.
  vi.stubEnv("TIKTOK_API_BASE_URL", "http://127.0.0.1:9");
  resetEnvCache();
  f = await twoWorkspaces(h.db);
});
afterAll(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

const blog = (title = "Launch day", extra: Record<string, unknown> = {}) => ({
  type: "blog" as const,
  title,
  body: "# Hello\n\nOur new deck is out.",
  ...extra,
});

async function count(workspaceId: string) {
  return (await h.db.select({ id: content.id }).from(content).where(eq(content.workspaceId, workspaceId)))
    .length;
}

describe("content.create", () => {
  it("creates each type as a draft with per-type fields, sanitized body and an activity row", async () => {
    const c = callerFor(h.db, f.member);
    const post = await c.content.create({
      workspaceId: f.ws.id,
      ...blog("Tom & Jerry's <guide>"),
      body: "Hi <img src=x onerror=alert(1)>",
    });
    expect(post).toMatchObject({ status: "draft", type: "blog", slug: "tom-jerry-s-guide" });
    expect(post.body).not.toMatch(/onerror/);
    const tiktok = await c.content.create({
      workspaceId: f.ws.id,
      type: "tiktok",
      title: "Unboxing",
      body: "Watch this <b>now</b> #cards @fernwood",
      tiktok: { privacyLevel: "PUBLIC_TO_EVERYONE", allowDuet: false },
    });
    expect(tiktok.body).toBe("Watch this now #cards @fernwood");
    expect(tiktok.metadata.tiktok).toMatchObject({
      privacyLevel: "PUBLIC_TO_EVERYONE",
      allowDuet: false,
      allowComments: true,
    });
    const email = await c.content.create({
      workspaceId: f.ws.id,
      type: "email",
      title: "November news",
      body: "Hello",
      email: { subject: "Our November news", preheader: "Three new decks" },
    });
    expect(email.metadata.email).toEqual({
      subject: "Our November news",
      preheader: "Three new decks",
      segmentId: null,
    });
    const [log] = await h.db.select().from(activityLogs).where(eq(activityLogs.entityId, email.id));
    expect(log).toMatchObject({ action: "content.created", userId: f.member.id });
  });

  it("schedules on create when given a future time, and refuses a past one", async () => {
    const when = inAnHour();
    const row = await callerFor(h.db, f.member).content.create({
      workspaceId: f.ws.id,
      ...blog("Later"),
      scheduledAt: when,
    });
    expect(row.status).toBe("scheduled");
    expect(row.scheduledAt?.getTime()).toBe(when.getTime());
    const before = await count(f.ws.id);
    await expect(
      callerFor(h.db, f.member).content.create({
        workspaceId: f.ws.id,
        ...blog("Past"),
        scheduledAt: new Date(Date.now() - 60_000),
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: "Pick a time in the future" });
    expect(await count(f.ws.id)).toBe(before);
  });

  it("refuses invalid input with field messages and writes nothing", async () => {
    const before = await count(f.ws.id);
    const c = callerFor(h.db, f.member);
    await expect(c.content.create({ workspaceId: f.ws.id, ...blog(""), title: "" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(c.content.create({ workspaceId: f.ws.id, ...blog("x".repeat(501)) })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      c.content.create({ workspaceId: f.ws.id, type: "tiktok", title: "Too long", body: "a".repeat(2201) }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      // @ts-expect-error an email needs a subject
      c.content.create({ workspaceId: f.ws.id, type: "email", title: "No subject", body: "x" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      c.content.create({ workspaceId: f.ws.id, ...blog("Bad slug"), slug: "Not A Slug" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await count(f.ws.id)).toBe(before);
  });

  it("keeps blog slugs unique per workspace: derived ones get a suffix, a chosen duplicate is a conflict", async () => {
    const c = callerFor(h.db, f.member);
    const a = await c.content.create({ workspaceId: f.ws.id, ...blog("Same title") });
    const b = await c.content.create({ workspaceId: f.ws.id, ...blog("Same title") });
    expect([a.slug, b.slug]).toEqual(["same-title", "same-title-2"]);
    await expect(
      c.content.create({ workspaceId: f.ws.id, ...blog("Other"), slug: "same-title" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    // the other workspace may use the same slug
    const other = await callerFor(h.db, f.otherOwner).content.create({
      workspaceId: f.other.id,
      ...blog("Same title"),
    });
    expect(other.slug).toBe("same-title");
  });

  it("is FORBIDDEN for a viewer and NOT_FOUND for another workspace", async () => {
    await expect(
      callerFor(h.db, f.viewer).content.create({ workspaceId: f.ws.id, ...blog() }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      callerFor(h.db, f.otherOwner).content.create({ workspaceId: f.ws.id, ...blog() }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      callerFor(h.db, null).content.create({ workspaceId: f.ws.id, ...blog() }),
    ).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });
});

describe("content.list / get / calendar", () => {
  it("filters, searches (treating % and _ literally), sorts, paginates and returns metrics and author", async () => {
    const c = callerFor(h.db, f.owner);
    await c.content.create({ workspaceId: f.ws.id, ...blog("100% organic_growth") });
    await c.content.create({ workspaceId: f.ws.id, ...blog("1000 organicXgrowth") });
    const hit = await callerFor(h.db, f.viewer).content.list({
      workspaceId: f.ws.id,
      search: "100% organic_",
    });
    expect(hit.content.map((r) => r.title)).toEqual(["100% organic_growth"]);
    expect(hit.total).toBe(1);
    expect(hit.content[0]!.author).toMatchObject({ id: f.owner.id });
    expect(hit.content[0]!.metrics).toMatchObject({ views: 0, revenue: "0.00" });

    const tiktoks = await c.content.list({ workspaceId: f.ws.id, type: "tiktok" });
    expect(tiktoks.content.every((r) => r.type === "tiktok")).toBe(true);
    const page1 = await c.content.list({
      workspaceId: f.ws.id,
      limit: 2,
      offset: 0,
      sort: "title",
      direction: "asc",
    });
    const page2 = await c.content.list({
      workspaceId: f.ws.id,
      limit: 2,
      offset: 2,
      sort: "title",
      direction: "asc",
    });
    expect(page1.content).toHaveLength(2);
    expect(page1.total).toBe(page2.total);
    expect(page1.content[1]!.title <= page2.content[0]!.title).toBe(true);
  });

  it("validates limit and never shows another workspace's rows", async () => {
    await expect(
      callerFor(h.db, f.owner).content.list({ workspaceId: f.ws.id, limit: 101 }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const mine = await callerFor(h.db, f.otherOwner).content.list({ workspaceId: f.other.id, limit: 100 });
    expect(mine.content.every((r) => r.workspaceId === f.other.id)).toBe(true);
    await expect(callerFor(h.db, f.otherOwner).content.list({ workspaceId: f.ws.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const foreign = await callerFor(h.db, f.otherOwner).content.create({
      workspaceId: f.other.id,
      ...blog("Theirs"),
    });
    await expect(
      callerFor(h.db, f.owner).content.get({ workspaceId: f.ws.id, id: foreign.id }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("returns scheduled and published items in a calendar range", async () => {
    const when = new Date(Date.now() + 2 * 86_400_000);
    const row = await callerFor(h.db, f.member).content.create({
      workspaceId: f.ws.id,
      ...blog("On the calendar"),
      scheduledAt: when,
    });
    const items = await callerFor(h.db, f.viewer).content.calendar({
      workspaceId: f.ws.id,
      from: new Date(when.getTime() - 86_400_000),
      to: new Date(when.getTime() + 86_400_000),
    });
    expect(items.map((i) => i.id)).toContain(row.id);
    await expect(
      callerFor(h.db, f.viewer).content.calendar({
        workspaceId: f.ws.id,
        from: when,
        to: new Date(when.getTime() + 90 * 86_400_000),
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("content lifecycle", () => {
  it("schedule → reschedule → unschedule → delete, refusing illegal moves with a clear message", async () => {
    const c = callerFor(h.db, f.member);
    const row = await c.content.create({ workspaceId: f.ws.id, ...blog("Lifecycle") });
    const t1 = inAnHour();
    expect((await c.content.schedule({ workspaceId: f.ws.id, id: row.id, scheduledAt: t1 })).status).toBe(
      "scheduled",
    );
    const t2 = new Date(t1.getTime() + 86_400_000);
    expect(
      (
        await c.content.schedule({ workspaceId: f.ws.id, id: row.id, scheduledAt: t2 })
      ).scheduledAt?.getTime(),
    ).toBe(t2.getTime());
    await expect(
      c.content.schedule({ workspaceId: f.ws.id, id: row.id, scheduledAt: new Date(Date.now() - 1000) }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await c.content.unschedule({ workspaceId: f.ws.id, id: row.id })).status).toBe("draft");
    await expect(c.content.unschedule({ workspaceId: f.ws.id, id: row.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "This item is draft; only scheduled items can be unscheduled",
    });
    await expect(c.content.retry({ workspaceId: f.ws.id, id: row.id })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await c.content.delete({ workspaceId: f.ws.id, id: row.id });
    await expect(c.content.get({ workspaceId: f.ws.id, id: row.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("publishes a blog post now; a TikTok post fails honestly and can be retried", async () => {
    const c = callerFor(h.db, f.member);
    const post = await c.content.create({ workspaceId: f.ws.id, ...blog("Publish me") });
    await c.content.publishNow({ workspaceId: f.ws.id, id: post.id });
    await h.queue.drain();
    const published = await c.content.get({ workspaceId: f.ws.id, id: post.id });
    expect(published.status).toBe("published");
    expect(published.publishedAt).toBeInstanceOf(Date);
    expect(published.metadata.publish_result).toMatchObject({ url: `/blog/${f.ws.slug}/publish-me` });
    await expect(c.content.publishNow({ workspaceId: f.ws.id, id: post.id })).rejects.toMatchObject({
      code: "CONFLICT",
    });

    // TikTok: refused up front, with the reason, while the post has no video or no connection.
    const clip = await c.content.create({
      workspaceId: f.ws.id,
      type: "tiktok",
      title: "Clip",
      body: "#cards",
    });
    const ids = { workspaceId: f.ws.id, id: clip.id };
    const later = new Date(Date.now() + 86_400_000);
    const noVideo = "Add a video to this TikTok post before publishing";
    expect(await c.content.readiness(ids)).toEqual({ blocker: noVideo });
    await expect(c.content.publishNow(ids)).rejects.toMatchObject({ code: "BAD_REQUEST", message: noVideo });
    await expect(c.content.schedule({ ...ids, scheduledAt: later })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: noVideo,
    });
    await c.content.update({ ...ids, tiktok: { videoUrl: "https://videos.example.com/clip.mp4" } });
    const notConnected = "Connect a TikTok account in Integrations before publishing or scheduling this post";
    expect(await c.content.readiness(ids)).toEqual({ blocker: notConnected });
    await expect(c.content.schedule({ ...ids, scheduledAt: later })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: notConnected,
    });
    expect((await c.content.get(ids)).status).toBe("draft");
    const connection = await saveConnection(h.db, {
      workspaceId: f.ws.id,
      provider: "tiktok",
      secrets: { accessToken: "t", refreshToken: "r" },
    });
    await setStatus(h.db, connection, "needs_attention", "Reconnect needed: token revoked");
    expect((await c.content.readiness(ids)).blocker).toMatch(/needs to be reconnected.*token revoked/);
    await expect(c.content.publishNow(ids)).rejects.toMatchObject({ code: "BAD_REQUEST" });

    // Accepted while connected (TikTok unreachable: the privacy check waits for publish time), then
    // the account is disconnected before it goes out: it fails honestly, and a retry is refused
    // until TikTok is connected again.
    await setStatus(h.db, connection, "connected", null);
    expect(await c.content.readiness(ids)).toEqual({ blocker: null });
    await c.content.publishNow(ids);
    await setStatus(h.db, connection, "disconnected", null);
    await h.queue.drain();
    const failed = await c.content.get(ids);
    expect(failed.status).toBe("failed");
    expect((failed.metadata.error as { message: string }).message).toBe(
      "Connect TikTok in Integrations to publish TikTok posts",
    );
    const notes = await c.notifications.list({ workspaceId: f.ws.id });
    expect(notes.items.map((n) => n.title)).toEqual(
      expect.arrayContaining(["Published: Publish me", "Publishing failed: Clip"]),
    );
    expect(notes.unread).toBeGreaterThanOrEqual(2);
    await expect(c.content.retry(ids)).rejects.toMatchObject({ code: "BAD_REQUEST", message: notConnected });
    expect((await c.content.get(ids)).status).toBe("failed");
    await setStatus(h.db, connection, "connected", null);
    expect((await c.content.retry(ids)).status).toBe("scheduled");
    await h.db.delete(integrations).where(eq(integrations.id, connection.id));
    await h.queue.drain();
    expect((await c.content.get(ids)).status).toBe("failed");
  });

  it("updates fields of the item's own type only, and duplicates as a draft", async () => {
    const c = callerFor(h.db, f.member);
    const post = await c.content.create({ workspaceId: f.ws.id, ...blog("Editable") });
    const updated = await c.content.update({
      workspaceId: f.ws.id,
      id: post.id,
      title: "Edited",
      blog: { tags: ["news"] },
    });
    expect(updated.title).toBe("Edited");
    expect(updated.metadata.blog).toMatchObject({ tags: ["news"], excerpt: "" });
    await expect(
      c.content.update({ workspaceId: f.ws.id, id: post.id, email: { subject: "nope" } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(c.content.update({ workspaceId: f.ws.id, id: post.id })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const copy = await c.content.duplicate({ workspaceId: f.ws.id, id: post.id });
    expect(copy).toMatchObject({ status: "draft", title: "Copy of Edited", slug: "editable-2" });
  });

  it("every mutation is FORBIDDEN for a viewer and NOT_FOUND across workspaces", async () => {
    const row = await callerFor(h.db, f.owner).content.create({ workspaceId: f.ws.id, ...blog("Guarded") });
    const args = { workspaceId: f.ws.id, id: row.id };
    const v = callerFor(h.db, f.viewer);
    const o = callerFor(h.db, f.otherOwner);
    const calls = [
      (c: typeof v) => c.content.update({ ...args, title: "x" }),
      (c: typeof v) => c.content.delete(args),
      (c: typeof v) => c.content.duplicate(args),
      (c: typeof v) => c.content.schedule({ ...args, scheduledAt: inAnHour() }),
      (c: typeof v) => c.content.unschedule(args),
      (c: typeof v) => c.content.publishNow(args),
      (c: typeof v) => c.content.retry(args),
    ];
    for (const call of calls) {
      await expect(call(v)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(call(o)).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    // an id from another workspace, used with one's own workspace id, is NOT_FOUND too
    const foreign = await o.content.create({ workspaceId: f.other.id, ...blog("Foreign") });
    await expect(
      callerFor(h.db, f.owner).content.delete({ workspaceId: f.ws.id, id: foreign.id }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      callerFor(h.db, f.owner).content.update({ workspaceId: f.ws.id, id: foreign.id, title: "x" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const [still] = await h.db.select().from(content).where(eq(content.id, row.id));
    expect(still?.title).toBe("Guarded");
  });
});

describe("notifications", () => {
  it("lists only your own notifications in the workspace and marks them read", async () => {
    const c = callerFor(h.db, f.member);
    const before = await c.notifications.list({ workspaceId: f.ws.id });
    expect(before.items.length).toBeGreaterThan(0);
    await c.notifications.markRead({ workspaceId: f.ws.id });
    expect((await c.notifications.list({ workspaceId: f.ws.id })).unread).toBe(0);
    const owner = await callerFor(h.db, f.owner).notifications.list({ workspaceId: f.ws.id });
    expect(owner.unread).toBeGreaterThan(0);
    await expect(
      callerFor(h.db, f.otherOwner).notifications.list({ workspaceId: f.ws.id }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      c.notifications.markRead({ workspaceId: f.ws.id, ids: ["not-a-uuid"] }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});
