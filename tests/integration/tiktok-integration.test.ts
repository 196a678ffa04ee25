import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { logger } from "@/lib/logger";
import {
  content,
  contentMetricSnapshots,
  contentMetrics,
  integrations,
  mediaAssets,
} from "@/server/db/schema";
import { httpDefaults } from "@/server/integrations/http";
import { readSecrets } from "@/server/integrations/store";
import { planChunks } from "@/server/integrations/tiktok/client";
import { setQueue } from "@/server/queue";
import { publishContentJob } from "@/server/queue/jobs/publish-content";
import { continuePublish, publishContent, publishTiming } from "@/server/services/content/publish";
import { handleOAuthCallback } from "@/server/services/integrations/callback";
import { syncAllPlatformMetrics } from "@/server/services/integrations/platform-metrics";
import {
  getTikTokAccess,
  syncTikTokMetrics,
  type TikTokSecrets,
  tiktokTiming,
} from "@/server/services/integrations/tiktok";
import { resetStorage, storageFor } from "@/server/storage";
import {
  startTikTokStandIn,
  TIKTOK_CLIENT_KEY,
  TIKTOK_CLIENT_SECRET,
  type TikTokStandIn,
} from "../fixtures/stand-ins/tiktok";
import { newInlineQueue, setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
let tt: TikTokStandIn;
const MB = 1024 * 1024;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-tiktok-"));

beforeAll(async () => {
  tt = await startTikTokStandIn();
  vi.stubEnv("TIKTOK_CLIENT_KEY", TIKTOK_CLIENT_KEY);
  vi.stubEnv("TIKTOK_CLIENT_SECRET", TIKTOK_CLIENT_SECRET);
  vi.stubEnv("TIKTOK_API_BASE_URL", tt.url);
  vi.stubEnv("TIKTOK_AUTH_BASE_URL", tt.url);
  vi.stubEnv("DATA_DIR", dataDir);
  resetEnvCache();
  resetStorage();
  httpDefaults.backoffBaseMs = 5;
  tiktokTiming.pollBaseMs = 5;
  tiktokTiming.pollMaxMs = 20;
  tiktokTiming.pollBudgetMs = 2_000;
  f = await twoWorkspaces(h.db);
});
afterAll(async () => {
  await tt.close();
  vi.unstubAllEnvs();
  resetEnvCache();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  tt.reset();
  await h.db.delete(integrations).where(eq(integrations.workspaceId, f.ws.id));
});

/** Runs the whole connect: start (router) → stand-in authorize page → our callback. */
async function connect(user = f.owner, workspaceId = f.ws.id) {
  const { url } = await callerFor(h.db, user).integrations.connect({ workspaceId, provider: "tiktok" });
  const back = new URL(await tt.approve(url));
  return {
    back,
    outcome: await handleOAuthCallback(h.db, {
      provider: "tiktok",
      url: back,
      userId: user.id,
      ip: null,
      userAgent: null,
    }),
  };
}

async function row() {
  const [r] = await h.db
    .select()
    .from(integrations)
    .where(and(eq(integrations.workspaceId, f.ws.id), eq(integrations.provider, "tiktok")));
  return r;
}

async function tiktokPost(fields: Record<string, unknown>) {
  const [c] = await h.db
    .insert(content)
    .values({
      workspaceId: f.ws.id,
      type: "tiktok",
      status: "scheduled",
      title: "Moon Mug unboxing",
      body: "Unboxing the Moon Mug #moonmug",
      scheduledAt: new Date(Date.now() - 1000),
      metadata: {
        tiktok: {
          privacyLevel: "PUBLIC_TO_EVERYONE",
          allowComments: true,
          allowDuet: true,
          allowStitch: true,
          coverTimeMs: 0,
          videoUrl: null,
          mediaId: null,
          ...fields,
        },
      },
    })
    .returning();
  return c!;
}

async function videoAsset(size: number) {
  const id = randomUUID();
  const key = `${f.ws.id}/${id}.mp4`;
  const bytes = Buffer.alloc(size, 7);
  await storageFor("local").put(key, bytes, "video/mp4");
  await h.db.insert(mediaAssets).values({
    id,
    workspaceId: f.ws.id,
    kind: "video",
    filename: "clip.mp4",
    mimeType: "video/mp4",
    sizeBytes: size,
    storage: "local",
    storageKey: key,
  });
  return id;
}

const publish = (id: string, attempt = 1) =>
  publishContent(h.db, { contentId: id, attempt, maxAttempts: 3, log: logger });

describe("TikTok OAuth", () => {
  it("connects with state and PKCE and stores tokens encrypted", async () => {
    const { outcome } = await connect();
    expect(outcome).toEqual({ redirect: `/${f.ws.slug}/integrations?provider=tiktok&connected=tiktok` });
    const r = await row();
    expect(r?.status).toBe("connected");
    expect(r?.accountName).toBe("Moon Mug Co");
    const tokenCall = tt.requests.find((q) => q.path === "/v2/oauth/token/");
    expect(((tokenCall?.body ?? {}) as Record<string, string>).code_verifier).toMatch(/^[\w-]{43,128}$/);
    const secrets = readSecrets<TikTokSecrets>(r!);
    expect(secrets?.accessToken).toMatch(/^act\./);
    expect(r!.secrets).not.toContain(secrets!.accessToken);
    expect(r!.secrets).not.toContain(secrets!.refreshToken);
  });

  it("refuses a replayed state", async () => {
    const { back } = await connect();
    const again = await handleOAuthCallback(h.db, {
      provider: "tiktok",
      url: back,
      userId: f.owner.id,
      ip: null,
      userAgent: null,
    });
    expect(again).toMatchObject({ status: 400 });
  });

  it("refuses a state started by another user, and an unknown one", async () => {
    const { url } = await callerFor(h.db, f.owner).integrations.connect({
      workspaceId: f.ws.id,
      provider: "tiktok",
    });
    const back = new URL(await tt.approve(url));
    const foreign = await handleOAuthCallback(h.db, {
      provider: "tiktok",
      url: back,
      userId: f.admin.id,
      ip: null,
      userAgent: null,
    });
    expect(foreign).toMatchObject({ status: 400 });
    const forged = new URL(back);
    forged.searchParams.set("state", "made-up-state");
    expect(
      await handleOAuthCallback(h.db, {
        provider: "tiktok",
        url: forged,
        userId: f.owner.id,
        ip: null,
        userAgent: null,
      }),
    ).toMatchObject({ status: 400 });
    expect(
      await handleOAuthCallback(h.db, {
        provider: "tiktok",
        url: back,
        userId: null,
        ip: null,
        userAgent: null,
      }),
    ).toMatchObject({ status: 401 });
    expect(await row()).toBeUndefined();
    // The state was not consumed by the refusals: its owner can still finish.
    expect(
      await handleOAuthCallback(h.db, {
        provider: "tiktok",
        url: back,
        userId: f.owner.id,
        ip: null,
        userAgent: null,
      }),
    ).toHaveProperty("redirect");
  });

  it("a state for another provider is refused", async () => {
    const { url } = await callerFor(h.db, f.owner).integrations.connect({
      workspaceId: f.ws.id,
      provider: "tiktok",
    });
    const back = new URL(await tt.approve(url));
    expect(
      await handleOAuthCallback(h.db, {
        provider: "gmail",
        url: back,
        userId: f.owner.id,
        ip: null,
        userAgent: null,
      }),
    ).toMatchObject({ status: 400 });
  });

  it("refreshes before expiry and keeps the newest (rotated) refresh token", async () => {
    await connect();
    const before = readSecrets<TikTokSecrets>((await row())!)!;
    await h.db
      .update(integrations)
      .set({ tokenExpiresAt: new Date(Date.now() + 60_000) })
      .where(eq(integrations.workspaceId, f.ws.id));
    const { accessToken } = await getTikTokAccess(h.db, f.ws.id);
    const after = readSecrets<TikTokSecrets>((await row())!)!;
    expect(accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(tt.validRefreshTokens()).toEqual([after.refreshToken]);
    expect((await row())!.tokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 3600_000);
  });

  it("a dead refresh token asks for a reconnect", async () => {
    await connect();
    await h.db
      .update(integrations)
      .set({ tokenExpiresAt: new Date(0) })
      .where(eq(integrations.workspaceId, f.ws.id));
    tt.reset(); // forgets every token
    await expect(getTikTokAccess(h.db, f.ws.id)).rejects.toThrow(/Refresh token is invalid/);
    expect((await row())?.status).toBe("needs_attention");
  });

  it("disconnect revokes the token and forgets the account", async () => {
    await connect();
    const secrets = readSecrets<TikTokSecrets>((await row())!)!;
    await expect(
      callerFor(h.db, f.admin).integrations.disconnect({ workspaceId: f.ws.id, provider: "tiktok" }),
    ).resolves.toEqual({ revoked: true });
    expect(tt.revoked).toEqual([secrets.accessToken]);
    expect(await row()).toBeUndefined();
  });
});

describe("TikTok publishing", () => {
  it("plans chunks exactly by TikTok's rules", () => {
    expect(planChunks(3 * MB)).toMatchObject({ chunkSize: 3 * MB, totalChunkCount: 1 });
    const p = planChunks(23 * MB, 10 * MB);
    expect(p).toMatchObject({ chunkSize: 10 * MB, totalChunkCount: 2 });
    expect(p.chunks).toEqual([
      { first: 0, last: 10 * MB - 1 },
      { first: 10 * MB, last: 23 * MB - 1 },
    ]);
    expect(planChunks(5 * MB).totalChunkCount).toBe(1);
    const big = planChunks(60_000 * MB, 5 * MB);
    expect(big).toMatchObject({ chunkSize: 60 * MB, totalChunkCount: 1000 });
    expect(() => planChunks(2000 * 64 * MB)).toThrow(/too large/);
    expect(() => planChunks(0)).toThrow();
  });

  it("uploads a file in chunks, polls, and publishes only at PUBLISH_COMPLETE with the post id", async () => {
    await connect();
    const mediaId = await videoAsset(23 * MB + 123);
    const post = await tiktokPost({ mediaId });
    const out = await publish(post.id);
    expect(out.outcome).toBe("published");
    const [done] = await h.db.select().from(content).where(eq(content.id, post.id));
    expect(done!.status).toBe("published");
    const upload = [...tt.uploads.values()][0]!;
    expect(upload).toMatchObject({
      source: "FILE_UPLOAD",
      totalChunks: 2,
      received: [0, 1],
      bytes: 23 * MB + 123,
    });
    const result = done!.metadata.publish_result as { externalId: string; url: string };
    expect(result.externalId).toBe(upload.postId);
    expect(result.url).toBe(`https://www.tiktok.com/@moonmugco/video/${upload.postId}`);
    const creatorIdx = tt.requests.findIndex((q) => q.path.endsWith("/creator_info/query/"));
    const initIdx = tt.requests.findIndex((q) => q.path.endsWith("/video/init/"));
    expect(creatorIdx).toBeGreaterThanOrEqual(0);
    expect(creatorIdx).toBeLessThan(initIdx);
    expect(tt.requests.filter((q) => q.path.endsWith("/status/fetch/")).length).toBeGreaterThanOrEqual(2);
  });

  it("pulls from a URL and reports FAILED with TikTok's reason", async () => {
    await connect();
    tt.outcome = "FAILED";
    const post = await tiktokPost({ videoUrl: "https://cdn.moonmug.test/clip.mp4" });
    const out = await publish(post.id);
    const error =
      "TikTok could not publish the video: it could not download the video from its URL (video_pull_failed)";
    expect(out).toEqual({ outcome: "failed", error });
    expect([...tt.uploads.values()][0]?.source).toBe("PULL_FROM_URL");
    const [c] = await h.db.select().from(content).where(eq(content.id, post.id));
    expect(c!.status).toBe("failed");
    expect(c!.metadata.error).toMatchObject({ message: error });
  });

  it("FAILED with a reason code we do not know still shows TikTok's code", async () => {
    await connect();
    tt.outcome = "FAILED";
    tt.failReason = "some_new_reason";
    const post = await tiktokPost({ videoUrl: "https://cdn.moonmug.test/clip.mp4" });
    expect(await publish(post.id)).toEqual({
      outcome: "failed",
      error: "TikTok could not publish the video: some_new_reason",
    });
  });

  it("SEND_TO_USER_INBOX is its own state: sent to TikTok inbox, neither published nor failed", async () => {
    await connect();
    tt.outcome = "SEND_TO_USER_INBOX";
    const post = await tiktokPost({ videoUrl: "https://cdn.moonmug.test/clip.mp4" });
    const out = await publish(post.id);
    expect(out.outcome).toBe("sent_to_inbox");
    const [c] = await h.db.select().from(content).where(eq(content.id, post.id));
    expect(c!.status).toBe("sent_to_inbox");
    expect(c!.publishedAt).toBeNull();
    expect(c!.metadata.tiktok_publish).toMatchObject({ status: "SEND_TO_USER_INBOX" });
    // A second job for the same row does nothing: the row is no longer scheduled.
    expect((await publish(post.id)).outcome).toBe("skipped");
    expect(tt.uploads.size).toBe(1);
    // It is listed under its own status, not under published or failed.
    const caller = callerFor(h.db, f.owner);
    const inbox = await caller.content.list({ workspaceId: f.ws.id, status: "sent_to_inbox" });
    expect(inbox.content.map((r) => r.id)).toContain(post.id);
    const published = await caller.content.list({ workspaceId: f.ws.id, status: "published" });
    expect(published.content.map((r) => r.id)).not.toContain(post.id);
  });

  it("an inbox post becomes published (with its post id) when the creator posts it in the app", async () => {
    await connect();
    tt.outcome = "SEND_TO_USER_INBOX";
    const post = await tiktokPost({ videoUrl: "https://cdn.moonmug.test/clip.mp4" });
    expect((await publish(post.id)).outcome).toBe("sent_to_inbox");
    await syncTikTokMetrics(h.db, f.ws.id); // nothing changed at TikTok yet
    let [c] = await h.db.select().from(content).where(eq(content.id, post.id));
    expect(c!.status).toBe("sent_to_inbox");
    const [postId] = tt.finishInboxPosts();
    tt.addVideo({
      id: postId!,
      createTimeSec: Math.floor(Date.now() / 1000),
      views: 42,
      likes: 3,
      comments: 1,
      shares: 2,
    });
    expect(await syncTikTokMetrics(h.db, f.ws.id)).toEqual({ videos: 1, matched: 1 });
    [c] = await h.db.select().from(content).where(eq(content.id, post.id));
    expect(c!.status).toBe("published");
    expect(c!.publishedAt).not.toBeNull();
    expect(c!.metadata.tiktok_publish).toMatchObject({ status: "PUBLISH_COMPLETE", postId });
    expect(c!.metadata.publish_result).toMatchObject({ externalId: postId });
    const [m] = await h.db.select().from(contentMetrics).where(eq(contentMetrics.contentId, post.id));
    expect(m).toMatchObject({ views: 42, likes: 3, shares: 2 });
  });

  it("refuses a privacy level the creator does not offer, before any upload", async () => {
    await connect();
    tt.privacyLevels = ["SELF_ONLY"];
    const post = await tiktokPost({ videoUrl: "https://cdn.moonmug.test/clip.mp4" });
    const out = await publish(post.id);
    expect(out).toMatchObject({ outcome: "failed", error: expect.stringContaining("Only me") });
    expect(tt.uploads.size).toBe(0);
  });

  it("scheduling or publishing now with a privacy level the creator does not offer is a 400 that changes nothing", async () => {
    await connect();
    tt.privacyLevels = ["FOLLOWER_OF_CREATOR", "SELF_ONLY"];
    const caller = callerFor(h.db, f.owner);
    const draft = await caller.content.create({
      workspaceId: f.ws.id,
      type: "tiktok",
      title: "Privacy check",
      body: "caption",
      tiktok: { privacyLevel: "PUBLIC_TO_EVERYONE", videoUrl: "https://cdn.moonmug.test/clip.mp4" },
    });
    const when = new Date(Date.now() + 3_600_000);
    const refused = {
      code: "BAD_REQUEST",
      message: expect.stringMatching(/does not offer “Everyone”.*Followers, Only me/),
    };
    await expect(
      caller.content.schedule({ workspaceId: f.ws.id, id: draft.id, scheduledAt: when }),
    ).rejects.toMatchObject(refused);
    await expect(caller.content.publishNow({ workspaceId: f.ws.id, id: draft.id })).rejects.toMatchObject(
      refused,
    );
    const [c] = await h.db.select().from(content).where(eq(content.id, draft.id));
    expect(c!.status).toBe("draft");
    expect(c!.scheduledAt).toBeNull();
    // An offered level goes through.
    await caller.content.update({
      workspaceId: f.ws.id,
      id: draft.id,
      tiktok: { privacyLevel: "FOLLOWER_OF_CREATOR" },
    });
    const ok = await caller.content.schedule({ workspaceId: f.ws.id, id: draft.id, scheduledAt: when });
    expect(ok.status).toBe("scheduled");
    // A scheduled post cannot be switched to a level TikTok does not offer…
    await expect(
      caller.content.update({
        workspaceId: f.ws.id,
        id: draft.id,
        tiktok: { privacyLevel: "PUBLIC_TO_EVERYONE" },
      }),
    ).rejects.toMatchObject(refused);
    const [kept] = await h.db.select().from(content).where(eq(content.id, draft.id));
    expect(kept!.metadata.tiktok).toMatchObject({ privacyLevel: "FOLLOWER_OF_CREATOR" });
    // …nor created already scheduled with one.
    const before = await h.db.select().from(content).where(eq(content.workspaceId, f.ws.id));
    await expect(
      caller.content.create({
        workspaceId: f.ws.id,
        type: "tiktok",
        title: "Scheduled on create",
        body: "caption",
        scheduledAt: when,
        tiktok: { privacyLevel: "MUTUAL_FOLLOW_FRIENDS", videoUrl: "https://cdn.moonmug.test/clip.mp4" },
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await h.db.select().from(content).where(eq(content.workspaceId, f.ws.id))).toHaveLength(
      before.length,
    );
    // Another workspace's item is not found, not checked.
    await expect(
      callerFor(h.db, f.otherOwner).content.schedule({
        workspaceId: f.other.id,
        id: draft.id,
        scheduledAt: when,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("creator info for the editor: null before connecting, options after, a clear 412 once TikTok refuses the token", async () => {
    const member = callerFor(h.db, f.member);
    expect(await member.integrations.tiktokCreatorInfo({ workspaceId: f.ws.id })).toBeNull();
    await connect();
    tt.creator = { ...tt.creator, commentDisabled: true, maxVideoPostDurationSec: 180 };
    expect(await member.integrations.tiktokCreatorInfo({ workspaceId: f.ws.id })).toEqual({
      username: "moonmugco",
      nickname: "Moon Mug Co",
      privacyLevels: ["PUBLIC_TO_EVERYONE", "SELF_ONLY"],
      commentDisabled: true,
      duetDisabled: false,
      stitchDisabled: true,
      maxDurationSec: 180,
    });
    tt.killAccessTokens();
    await expect(member.integrations.tiktokCreatorInfo({ workspaceId: f.ws.id })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining("reconnected"),
    });
    expect((await row())?.status).toBe("needs_attention");
  });

  it("creator info's own switches win: comments off at TikTok stay off in the post", async () => {
    await connect();
    tt.creator = { ...tt.creator, commentDisabled: true, duetDisabled: true };
    const post = await tiktokPost({ videoUrl: "https://cdn.moonmug.test/clip.mp4", allowComments: true });
    expect((await publish(post.id)).outcome).toBe("published");
    expect([...tt.uploads.values()][0]?.postInfo).toMatchObject({
      disable_comment: true,
      disable_duet: true,
      disable_stitch: true,
    });
  });

  it("still processing: retries resume polling the same publish id, never posting twice", async () => {
    await connect();
    tt.pollsUntilDone = 1000;
    tiktokTiming.pollBudgetMs = 30;
    const post = await tiktokPost({ videoUrl: "https://cdn.moonmug.test/clip.mp4" });
    expect((await publish(post.id)).outcome).toBe("retry");
    tt.pollsUntilDone = 1;
    tiktokTiming.pollBudgetMs = 2_000;
    await h.db
      .update(content)
      .set({ scheduledAt: new Date(Date.now() - 1000) })
      .where(eq(content.id, post.id));
    expect((await publish(post.id, 2)).outcome).toBe("published");
    expect(tt.requests.filter((q) => q.path.endsWith("/video/init/"))).toHaveLength(1);
  });

  it("a video still processing gives its worker slot back: a post due meanwhile goes out first, and the video is published once", async () => {
    await connect();
    const q = newInlineQueue(async () => h.db, { concurrency: 1 });
    setQueue(q);
    tt.pollsUntilDone = 3;
    tiktokTiming.pollBaseMs = 150;
    publishTiming.holdMs = 0;
    try {
      const video = await tiktokPost({ videoUrl: "https://cdn.moonmug.test/clip.mp4" });
      const [blog] = await h.db
        .insert(content)
        .values({
          workspaceId: f.ws.id,
          type: "blog",
          status: "scheduled",
          title: "Moon Mug care",
          slug: `moon-mug-care-${randomUUID().slice(0, 6)}`,
          body: "Hand wash it.",
          scheduledAt: new Date(Date.now() - 1000),
        })
        .returning();
      // One worker slot: the video's job first, the blog post's behind it.
      await q.enqueue(publishContentJob, { contentId: video.id, workspaceId: f.ws.id });
      await q.enqueue(publishContentJob, { contentId: blog!.id, workspaceId: f.ws.id });
      const rowOf = async (id: string) => (await h.db.select().from(content).where(eq(content.id, id)))[0]!;
      for (let i = 0; i < 200 && (await rowOf(video.id)).status !== "published"; i++)
        await new Promise((r) => setTimeout(r, 25));
      const [v, b] = [await rowOf(video.id), await rowOf(blog!.id)];
      expect(v.status).toBe("published");
      expect(b.status).toBe("published");
      // Held for TikTok's whole processing, the only slot would have published the blog post last.
      expect(b.publishedAt!.getTime()).toBeLessThan(v.publishedAt!.getTime());
      expect(tt.requests.filter((r) => r.path.endsWith("/video/init/"))).toHaveLength(1);
      expect(tt.requests.filter((r) => r.path.endsWith("/status/fetch/"))).toHaveLength(3);
      expect((v.metadata.publish_result as { externalId: string }).externalId).toBeTruthy();

      // A check that no longer holds the row's claim (late, or after the stale-claim sweep) does nothing.
      const before = tt.requests.length;
      const late = await continuePublish(h.db, {
        contentId: video.id,
        claimedAt: new Date(Date.now() - 60_000).toISOString(),
        waitMs: 150,
        since: Date.now(),
        attempt: 1,
        maxAttempts: 3,
        log: logger,
        release: true,
      });
      expect(late.outcome).toBe("skipped");
      expect(tt.requests.length).toBe(before);
    } finally {
      tiktokTiming.pollBaseMs = 5;
      publishTiming.holdMs = null;
      await q.close();
      setQueue(h.queue);
    }
  });

  it("a 5xx from TikTok is retried and never disconnects the account", async () => {
    await connect();
    tt.failNext(5, 503);
    const post = await tiktokPost({ videoUrl: "https://cdn.moonmug.test/clip.mp4" });
    const out = await publish(post.id);
    expect(out.outcome).toBe("retry");
    expect((await row())?.status).toBe("connected");
  });

  it("429 rate_limit_exceeded is retried, with and without Retry-After, and the post goes out once", async () => {
    await connect();
    tt.failNext(1, 429, "0");
    tt.failNext(1, 429);
    const post = await tiktokPost({ videoUrl: "https://cdn.moonmug.test/clip.mp4" });
    expect((await publish(post.id)).outcome).toBe("published");
    expect(tt.uploads.size).toBe(1);
    expect((await row())?.status).toBe("connected");
  });

  it("creator info past TikTok's per-token limit (20/min) is a clear 412, and the account stays connected", async () => {
    await connect();
    tt.rateLimits = { ...tt.rateLimits, "/v2/post/publish/creator_info/query/": 3 };
    const member = callerFor(h.db, f.member);
    for (let i = 0; i < 3; i++)
      expect(await member.integrations.tiktokCreatorInfo({ workspaceId: f.ws.id })).not.toBeNull();
    await expect(member.integrations.tiktokCreatorInfo({ workspaceId: f.ws.id })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining("try again in a minute"),
    });
    const limited = tt.requests.filter((q) => q.path === "/v2/post/publish/creator_info/query/");
    expect(limited.length).toBeGreaterThan(4); // the refused call was retried before giving up
    expect((await row())?.status).toBe("connected");
  });

  it("a revoked access token marks the account needs attention", async () => {
    await connect();
    tt.killAccessTokens();
    const post = await tiktokPost({ videoUrl: "https://cdn.moonmug.test/clip.mp4" });
    const out = await publish(post.id);
    expect(out).toMatchObject({ outcome: "failed", error: expect.stringContaining("reconnected") });
    expect((await row())?.status).toBe("needs_attention");
  });

  it("without a connected account it fails honestly", async () => {
    const post = await tiktokPost({ videoUrl: "https://cdn.moonmug.test/clip.mp4" });
    expect(await publish(post.id)).toEqual({
      outcome: "failed",
      error: "Connect TikTok in Integrations to publish TikTok posts",
    });
  });
});

describe("TikTok metrics sync", () => {
  it("pages through the video list, matches published content, writes metrics and a snapshot", async () => {
    await connect();
    const post = await tiktokPost({ videoUrl: "https://cdn.moonmug.test/clip.mp4" });
    expect((await publish(post.id)).outcome).toBe("published");
    const postId = [...tt.uploads.values()][0]!.postId!;
    const now = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 45; i++) {
      tt.addVideo({
        id: `old-${i}`,
        createTimeSec: now - 10_000 - i,
        views: i,
        likes: 0,
        comments: 0,
        shares: 0,
      });
    }
    tt.addVideo({ id: postId, createTimeSec: now - 20_000, views: 1234, likes: 56, comments: 7, shares: 8 });
    const r = await syncTikTokMetrics(h.db, f.ws.id);
    expect(r).toEqual({ videos: 46, matched: 1 });
    expect(tt.requests.filter((q) => q.path === "/v2/video/list/").length).toBeGreaterThanOrEqual(3);
    const [m] = await h.db.select().from(contentMetrics).where(eq(contentMetrics.contentId, post.id));
    expect(m).toMatchObject({ views: 1234, likes: 56, shares: 8 });
    await syncTikTokMetrics(h.db, f.ws.id);
    const snaps = await h.db
      .select()
      .from(contentMetricSnapshots)
      .where(eq(contentMetricSnapshots.contentId, post.id));
    expect(snaps).toHaveLength(2);
    expect(snaps[0]).toMatchObject({ workspaceId: f.ws.id, views: 1234, comments: 7 });
    expect((await row())?.lastSyncStatus).toBe("ok");
  });

  it("learns the post id after moderation when it came late", async () => {
    await connect();
    tt.postIdAtComplete = false;
    const post = await tiktokPost({ videoUrl: "https://cdn.moonmug.test/clip.mp4" });
    expect((await publish(post.id)).outcome).toBe("published");
    const upload = [...tt.uploads.values()][0]!;
    tt.addVideo({
      id: upload.postId!,
      createTimeSec: Math.floor(Date.now() / 1000),
      views: 9,
      likes: 1,
      comments: 0,
      shares: 0,
    });
    expect(await syncTikTokMetrics(h.db, f.ws.id)).toEqual({ videos: 1, matched: 1 });
  });

  it("the hourly job's loop (shared by every platform) syncs each workspace that connected TikTok", async () => {
    await connect();
    await connect(f.otherOwner, f.other.id);
    const before = new Date();
    const r = await syncAllPlatformMetrics(h.db, "tiktok", { log: logger });
    expect(r.workspaces).toBeGreaterThanOrEqual(2);
    const rows = await h.db
      .select()
      .from(integrations)
      .where(
        and(eq(integrations.provider, "tiktok"), inArray(integrations.workspaceId, [f.ws.id, f.other.id])),
      );
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.lastSyncStatus).toBe("ok");
      expect(r.lastSyncAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    }
    // Only the asked workspace when one is named.
    const one = await syncAllPlatformMetrics(h.db, "tiktok", { workspaceId: f.other.id, log: logger });
    expect(one).toEqual({ workspaces: 1, ok: 1 });
    await h.db.delete(integrations).where(eq(integrations.workspaceId, f.other.id));
  });

  it("the router's Sync now reports a 5xx as a failed sync, keeping the account connected", async () => {
    await connect();
    tt.failNext(10, 500);
    const r = await callerFor(h.db, f.admin).integrations.sync({ workspaceId: f.ws.id, provider: "tiktok" });
    expect(r.ok).toBe(false);
    const after = await row();
    expect(after?.status).toBe("connected");
    expect(after?.lastSyncStatus).toBe("error");
  });
});
