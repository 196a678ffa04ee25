import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { logger } from "@/lib/logger";
import { integrations, platformQuotaUsage } from "@/server/db/schema";
import { readSecrets } from "@/server/integrations/store";
import { handleOAuthCallback } from "@/server/services/integrations/callback";
import { VIDEO_PLATFORMS } from "@/server/services/integrations/platforms";
import { getYouTubeAccess, type YouTubeSecrets, youtubeTiming } from "@/server/services/integrations/youtube";
import { quotaDay, quotaProject } from "@/server/services/integrations/youtube/quota";
import { CHANNEL } from "../fixtures/stand-ins/youtube";
import { callerFor } from "../helpers/fixtures";
import { KIB256, setupYouTube } from "../helpers/youtube";

/** YouTube Shorts: connect, and the durable resumable upload (docs/YOUTUBE.md). Refusals, quota and metrics: youtube-publishing.test.ts. */

const s = await setupYouTube();
const { h, quotaWhere, connect, row, videoAsset, short, publish, item, dueAgain, inserts } = s;
let f: typeof s.f;
let yt: typeof s.yt;
beforeAll(() => {
  f = s.f;
  yt = s.yt;
});

describe("YouTube OAuth", () => {
  it("asks only for this feature's scopes with offline access, and stores the channel and tokens encrypted", async () => {
    const { url, outcome } = await connect();
    expect(outcome).toEqual({ redirect: `/${f.ws.slug}/integrations?provider=youtube&connected=youtube` });
    expect(url.searchParams.get("scope")).toBe(
      "https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/youtube.readonly",
    );
    expect(url.searchParams.get("access_type")).toBe("offline");
    expect(url.searchParams.get("prompt")).toBe("consent");
    expect(url.searchParams.get("redirect_uri")).toMatch(/\/api\/integrations\/youtube\/callback$/);
    const r = await row();
    expect(r).toMatchObject({ status: "connected", accountName: CHANNEL.title, accountId: CHANNEL.id });
    const secrets = readSecrets<YouTubeSecrets>(r!)!;
    expect(secrets.refreshToken).toMatch(/^1\/\//);
    expect(r!.secrets).not.toContain(secrets.accessToken);
    expect(r!.secrets).not.toContain(secrets.refreshToken);
    const tokenCall = yt.requests.find((q) => q.path === "/token");
    expect(((tokenCall?.body ?? {}) as Record<string, string>).code_verifier).toMatch(/^[\w-]{43,128}$/);
    expect(await row(f.other.id)).toBeUndefined();
  });

  it("refuses a state started by another user, a forged one, or one for another provider", async () => {
    const { url } = await callerFor(h.db, f.owner).integrations.connect({
      workspaceId: f.ws.id,
      provider: "youtube",
    });
    const back = new URL(await yt.approve(url));
    const callback = (p: { provider?: "youtube" | "tiktok"; url?: URL; userId?: string }) =>
      handleOAuthCallback(h.db, {
        provider: p.provider ?? "youtube",
        url: p.url ?? back,
        userId: p.userId ?? f.owner.id,
        ip: null,
        userAgent: null,
      });
    expect(await callback({ userId: f.admin.id })).toMatchObject({ status: 400 });
    expect(await callback({ userId: f.otherOwner.id })).toMatchObject({ status: 400 });
    const forged = new URL(back);
    forged.searchParams.set("state", "made-up-state");
    expect(await callback({ url: forged })).toMatchObject({ status: 400 });
    expect(await callback({ provider: "tiktok" })).toMatchObject({ status: 400 });
    expect(await row()).toBeUndefined();
    expect(await callback({})).toHaveProperty("redirect");
    expect(await callback({})).toMatchObject({ status: 400 }); // replayed
    expect((await row())?.status).toBe("connected");
  });

  it("refreshes near expiry and keeps the refresh token Google did not send again", async () => {
    await connect();
    const before = readSecrets<YouTubeSecrets>((await row())!)!;
    await h.db
      .update(integrations)
      .set({ tokenExpiresAt: new Date(Date.now() + 60_000) })
      .where(eq(integrations.workspaceId, f.ws.id));
    const { accessToken } = await getYouTubeAccess(h.db, f.ws.id);
    const after = readSecrets<YouTubeSecrets>((await row())!)!;
    expect(accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).toBe(before.refreshToken);
    expect((await row())!.tokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 3000_000);
  });

  it("a revoked grant (invalid_grant) asks for a reconnect", async () => {
    await connect();
    await h.db
      .update(integrations)
      .set({ tokenExpiresAt: new Date(0) })
      .where(eq(integrations.workspaceId, f.ws.id));
    yt.killRefreshTokens();
    const post = await short({ mediaId: await videoAsset(1000) });
    expect(await publish(post.id)).toMatchObject({
      outcome: "failed",
      error: expect.stringContaining("reconnected"),
    });
    expect((await row())?.status).toBe("needs_attention");
    expect(inserts()).toHaveLength(0);
  });

  it("the platform reports health and the connected channel without spending quota", async () => {
    const platform = VIDEO_PLATFORMS.youtube;
    expect(await platform.health()).toBe("ok");
    expect(await platform.accountInfo(h.db, f.ws.id)).toBeNull();
    await connect();
    const before = yt.requests.length;
    expect(await platform.accountInfo(h.db, f.ws.id)).toMatchObject({
      accountName: CHANNEL.title,
      options: { channelId: CHANNEL.id, privacyStatuses: ["public", "unlisted", "private"] },
    });
    expect(yt.requests.length).toBe(before);
    expect(await platform.accountInfo(h.db, f.other.id)).toBeNull();
  });

  it("disconnect revokes the grant and forgets the channel", async () => {
    await connect();
    const secrets = readSecrets<YouTubeSecrets>((await row())!)!;
    await expect(
      callerFor(h.db, f.admin).integrations.disconnect({ workspaceId: f.ws.id, provider: "youtube" }),
    ).resolves.toEqual({ revoked: true });
    expect(yt.revoked).toEqual([secrets.refreshToken]);
    expect(await row()).toBeUndefined();
  });
});

describe("YouTube publishing", () => {
  it("uploads a library video in 256 KiB-multiple chunks, stores the video id, and publishes its Shorts URL", async () => {
    await connect();
    const size = 3 * KIB256 + 1000;
    const post = await short({ mediaId: await videoAsset(size) });
    const out = await publish(post.id);
    expect(out.outcome).toBe("published");
    expect(yt.videos.size).toBe(1);
    const video = [...yt.videos.values()][0]!;
    expect(video.bytes).toBe(size);
    expect(video.snippet).toMatchObject({
      title: "Moon Mug in 30 seconds",
      tags: ["moon mug", "coffee"],
      categoryId: "22",
    });
    expect(video.status).toMatchObject({ privacyStatus: "public", selfDeclaredMadeForKids: false });
    const session = [...yt.sessions.values()][0]!;
    expect(session.chunks).toEqual([
      { first: 0, last: KIB256 - 1 },
      { first: KIB256, last: 2 * KIB256 - 1 },
      { first: 2 * KIB256, last: 3 * KIB256 - 1 },
      { first: 3 * KIB256, last: size - 1 },
    ]);
    expect(yt.chunkViolations).toBe(0);
    const start = inserts()[0]!;
    expect(start.query.get("part")).toBe("snippet,status");
    expect(start.headers["x-upload-content-length"]).toBe(String(size));
    expect(start.headers["x-upload-content-type"]).toBe("video/mp4");
    const done = await item(post.id);
    expect(done.status).toBe("published");
    expect(done.metadata.youtube_publish).toMatchObject({ videoId: video.id, uploadStatus: "processed" });
    expect(done.metadata.publish_result).toMatchObject({
      externalId: video.id,
      url: `https://www.youtube.com/shorts/${video.id}`,
    });
    const [q] = await h.db.select().from(platformQuotaUsage).where(quotaWhere());
    expect(q).toMatchObject({ project: quotaProject({ clientId: s.clientId }), day: quotaDay() });
    expect(q!.units).toBe(1 + 100 + 2); // channel at connect, the insert, two status polls
  });

  it("scheduleWith youtube uploads now as private with publishAt at the item's time", async () => {
    await connect();
    const post = await short({ mediaId: await videoAsset(1000), scheduleWith: "youtube" });
    const at = new Date(Date.now() + 86_400_000);
    // The scheduler hands it over now; the item's own time is tomorrow.
    const claimed = { ...post, scheduledAt: at };
    const r = await VIDEO_PLATFORMS.youtube.publisher.publish({
      db: h.db,
      content: claimed,
      workspace: { id: f.ws.id, slug: f.ws.slug, name: f.ws.name },
      log: logger,
    });
    expect(r.details).toMatchObject({ privacyStatus: "private", publishAt: at.toISOString() });
    expect([...yt.videos.values()][0]!.status).toMatchObject({
      privacyStatus: "private",
      publishAt: at.toISOString(),
    });
  });

  it("a configured chunk size off the 256 KiB grid is rounded down to it", async () => {
    await connect();
    youtubeTiming.chunkBytes = KIB256 + 1000;
    const post = await short({ mediaId: await videoAsset(2 * KIB256 + 3) });
    expect((await publish(post.id)).outcome).toBe("published");
    expect(yt.chunkViolations).toBe(0);
    expect([...yt.sessions.values()][0]!.chunks).toHaveLength(3);
  });

  it("resumes after the bytes YouTube kept when it keeps less than was sent (308 + Range)", async () => {
    await connect();
    const size = 2 * KIB256 + 10;
    yt.keepLessNext = 1000;
    const post = await short({ mediaId: await videoAsset(size) });
    expect((await publish(post.id)).outcome).toBe("published");
    expect(yt.videos.size).toBe(1);
    expect([...yt.videos.values()][0]!.bytes).toBe(size);
    expect([...yt.sessions.values()][0]!.chunks[1]!.first).toBe(KIB256 - 1000);
  });

  it("a crash between the final PUT and storing its answer: the retry probes the session and creates no second video", async () => {
    await connect();
    youtubeTiming.maxResumes = 0; // the attempt dies with the lost answer, as a crashed worker would
    yt.dropFinalAnswer = true;
    const post = await short({ mediaId: await videoAsset(KIB256 + 5) });
    expect((await publish(post.id)).outcome).toBe("retry");
    const stored = (await item(post.id)).metadata.youtube_publish as Record<string, unknown>;
    expect(stored.sessionUri).toMatch(/upload_id=/);
    expect(stored.videoId).toBeNull();
    expect(yt.videos.size).toBe(1); // YouTube has it; we never heard
    await dueAgain(post.id);
    expect((await publish(post.id, 2)).outcome).toBe("published");
    expect(yt.videos.size).toBe(1);
    expect(inserts()).toHaveLength(1);
    const probes = yt.requests.filter(
      (q) => q.method === "PUT" && q.headers["content-range"]?.startsWith("bytes */"),
    );
    expect(probes).toHaveLength(1);
    expect((await item(post.id)).metadata.publish_result).toMatchObject({
      externalId: [...yt.videos.keys()][0],
    });
  });

  it("within one attempt a lost chunk answer is probed and resumed, still one video", async () => {
    await connect();
    yt.dropFinalAnswer = true;
    const post = await short({ mediaId: await videoAsset(KIB256 + 5) });
    expect((await publish(post.id)).outcome).toBe("published");
    expect(yt.videos.size).toBe(1);
  });

  it("a failed chunk is probed and resumed within the attempt", async () => {
    await connect();
    yt.failNext(1, 503, undefined, "/upload/youtube/v3/videos", "PUT");
    const post = await short({ mediaId: await videoAsset(2 * KIB256 + 7) });
    expect((await publish(post.id)).outcome).toBe("published");
    expect(yt.videos.size).toBe(1);
    expect(inserts()).toHaveLength(1);
  });

  it("a stored session that expired (410) with no video id is replaced by a new one, one video in the end", async () => {
    await connect();
    youtubeTiming.maxResumes = 0;
    yt.failNext(1, 503, undefined, "/upload/youtube/v3/videos", "PUT");
    const post = await short({ mediaId: await videoAsset(2 * KIB256 + 7) });
    expect((await publish(post.id)).outcome).toBe("retry");
    const first = ((await item(post.id)).metadata.youtube_publish as { sessionUri: string }).sessionUri;
    expect(first).toMatch(/upload_id=/);
    yt.expireSessions(410);
    await dueAgain(post.id);
    expect((await publish(post.id, 2)).outcome).toBe("published");
    expect(inserts()).toHaveLength(2);
    expect(yt.videos.size).toBe(1);
    const second = ((await item(post.id)).metadata.youtube_publish as { sessionUri: string }).sessionUri;
    expect(second).not.toBe(first);
  });

  it("processing failure and rejection are shown in words", async () => {
    await connect();
    yt.processing = { ...yt.processing, outcome: "failed", failureReason: "codec" };
    const a = await short({ mediaId: await videoAsset(1000) });
    expect(await publish(a.id)).toEqual({
      outcome: "failed",
      error: "YouTube could not process the video: the video's codec is not supported (codec)",
    });
    yt.processing = { ...yt.processing, outcome: "rejected", rejectionReason: "duplicate" };
    const b = await short({ mediaId: await videoAsset(1000) });
    expect(await publish(b.id)).toEqual({
      outcome: "failed",
      error: "YouTube rejected the video because it duplicates a video already on the channel (duplicate)",
    });
    expect((await item(b.id)).status).toBe("failed");
  });

  it("still processing: the next attempt only polls the stored video id, never uploads again", async () => {
    await connect();
    yt.processing = { ...yt.processing, pollsUntilDone: 1000 };
    youtubeTiming.pollBudgetMs = 30;
    const post = await short({ mediaId: await videoAsset(1000) });
    expect(await publish(post.id)).toEqual({
      outcome: "retry",
      error: "YouTube is still processing the video; checking again shortly",
    });
    yt.processing = { ...yt.processing, pollsUntilDone: 1 };
    youtubeTiming.pollBudgetMs = 2_000;
    await dueAgain(post.id);
    expect((await publish(post.id, 2)).outcome).toBe("published");
    expect(inserts()).toHaveLength(1);
    expect(yt.requests.filter((q) => q.method === "PUT")).toHaveLength(1);
  });
});
