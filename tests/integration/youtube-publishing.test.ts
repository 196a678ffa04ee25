import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { content, contentMetricSnapshots, contentMetrics, platformQuotaUsage } from "@/server/db/schema";
import { VIDEO_PLATFORMS } from "@/server/services/integrations/platforms";
import { syncYouTubeMetrics } from "@/server/services/integrations/youtube";
import { spendQuota, YouTubeQuotaExhaustedError } from "@/server/services/integrations/youtube/quota";
import { callerFor } from "../helpers/fixtures";
import { setupYouTube } from "../helpers/youtube";

/** YouTube Shorts: refusals (preflight, other workspaces), quota, provider errors and the metrics sync. */

const s = await setupYouTube();
const { h, quotaWhere, connect, row, videoAsset, short, publish, item, inserts } = s;
let f: typeof s.f;
let yt: typeof s.yt;
beforeAll(() => {
  f = s.f;
  yt = s.yt;
});

describe("YouTube publishing: refusals, quota and errors", () => {
  it("a 401 refreshes the token once and carries on", async () => {
    await connect();
    yt.killAccessTokens();
    const post = await short({ mediaId: await videoAsset(1000) });
    expect((await publish(post.id)).outcome).toBe("published");
    expect(yt.requests.filter((q) => q.path === "/token")).toHaveLength(2); // the code exchange, one refresh
    expect((await row())?.status).toBe("connected");
  });

  it("with the day's quota used up it refuses without calling YouTube, saying when it resets", async () => {
    await connect();
    await h.db
      .update(platformQuotaUsage)
      .set({ units: env().YOUTUBE_DAILY_QUOTA - 50 })
      .where(quotaWhere());
    const before = yt.requests.length;
    const post = await short({ mediaId: await videoAsset(1000) });
    const out = await publish(post.id);
    // Not failed after the queue's few attempts: due again when the quota resets (midnight Pacific).
    expect(out).toMatchObject({ outcome: "deferred" });
    const until = (out as { until: Date }).until;
    expect(until.getTime()).toBeGreaterThan(Date.now());
    expect(until.getTime()).toBeLessThanOrEqual(Date.now() + 25 * 3_600_000);
    expect(yt.requests.length).toBe(before);
    const after = await item(post.id);
    expect(after.status).toBe("scheduled");
    expect(after.scheduledAt!.getTime()).toBe(until.getTime());
    expect((after.metadata.deferred as { message: string }).message).toMatch(
      /^YouTube's daily quota for this server is used up; it resets at midnight Pacific time \(in \d+ hours?\)$/,
    );
  });

  it("takes asked for at once share one statement, and where their sum does not fit each that fits is still taken", async () => {
    const app = { clientId: s.clientId };
    const limit = env().YOUTUBE_DAILY_QUOTA;
    const used = async () => (await h.db.select().from(platformQuotaUsage).where(quotaWhere()))[0]?.units;
    // Ten at once, all fitting: one row with their sum.
    const all = await Promise.allSettled(Array.from({ length: 10 }, () => spendQuota(h.db, app, 7)));
    expect(all.every((r) => r.status === "fulfilled")).toBe(true);
    expect(await used()).toBe(70);
    // 25 units left, five takes of 10 at once: the sum does not fit, two of them do.
    await h.db
      .update(platformQuotaUsage)
      .set({ units: limit - 25 })
      .where(quotaWhere());
    const some = await Promise.allSettled(Array.from({ length: 5 }, () => spendQuota(h.db, app, 10)));
    expect(some.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    const refused = some.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused).toHaveLength(3);
    for (const r of refused) expect(r.reason).toBeInstanceOf(YouTubeQuotaExhaustedError);
    expect(await used()).toBe(limit - 5);
  });

  it("YouTube's own 403 quotaExceeded marks the day used up", async () => {
    await connect();
    yt.quota = { ...yt.quota, limit: 50 };
    const post = await short({ mediaId: await videoAsset(1000) });
    expect(await publish(post.id)).toMatchObject({ outcome: "deferred" });
    expect(((await item(post.id)).metadata.deferred as { message: string }).message).toContain("daily quota");
    const [q] = await h.db.select().from(platformQuotaUsage).where(quotaWhere());
    expect(q!.units).toBe(env().YOUTUBE_DAILY_QUOTA);
    expect((await row())?.status).toBe("connected");
  });

  it("uploadLimitExceeded fails with words and leaves the account connected", async () => {
    await connect();
    yt.failNext(1, 400, "uploadLimitExceeded", "/upload/youtube/v3/videos");
    const post = await short({ mediaId: await videoAsset(1000) });
    expect(await publish(post.id)).toEqual({
      outcome: "failed",
      error: "YouTube's upload limit for this channel was reached; try again in 24 hours",
    });
    expect((await row())?.status).toBe("connected");
  });

  it("made-for-kids not chosen is a 400 at publish-now that changes nothing, and publishing refuses it", async () => {
    await connect();
    const draft = await short({ mediaId: await videoAsset(1000), madeForKids: null }, { status: "draft" });
    await expect(
      callerFor(h.db, f.member).content.publishNow({ workspaceId: f.ws.id, id: draft.id }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("made for kids") });
    expect((await item(draft.id)).status).toBe("draft");
    const due = await short({ mediaId: await videoAsset(1000), madeForKids: null });
    expect(await publish(due.id)).toMatchObject({
      outcome: "failed",
      error: expect.stringContaining("made for kids"),
    });
    expect(inserts()).toHaveLength(0);
  });

  it("a URL instead of a library video, or no video, is refused before anything is sent", async () => {
    await connect();
    const byUrl = await short({ videoUrl: "https://cdn.moonmug.test/short.mp4" }, { status: "draft" });
    await expect(
      callerFor(h.db, f.member).content.publishNow({ workspaceId: f.ws.id, id: byUrl.id }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("media library") });
    const none = await short({});
    expect(await publish(none.id)).toEqual({
      outcome: "failed",
      error: "Add a video to this YouTube Short before publishing",
    });
    expect(yt.sessions.size).toBe(0);
  });

  it("another workspace can neither publish with this channel nor use this workspace's video or items", async () => {
    await connect();
    const mine = await short({ mediaId: await videoAsset(1000) }, { status: "draft" });
    await expect(
      callerFor(h.db, f.otherOwner).content.publishNow({ workspaceId: f.other.id, id: mine.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Their Short with their own video: they have no channel connected, ours is not used.
    const theirs = await short({ mediaId: await videoAsset(1000, f.other.id) }, { workspaceId: f.other.id });
    expect(await publish(theirs.id)).toMatchObject({
      outcome: "failed",
      error: "Connect YouTube in Integrations to publish YouTube Shorts",
    });
    // Their Short pointing at our video: not in their library.
    const ourVideo = (mine.metadata.youtube as { mediaId: string }).mediaId;
    const borrowed = await short({ mediaId: ourVideo }, { workspaceId: f.other.id, status: "draft" });
    await expect(
      callerFor(h.db, f.otherOwner).content.publishNow({ workspaceId: f.other.id, id: borrowed.id }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "The video picked for this Short is no longer in the media library",
    });
    expect(await syncYouTubeMetrics(h.db, f.other.id)).toEqual({ skipped: "not_connected" });
    expect(yt.sessions.size).toBe(0);
  });
});

describe("YouTube metrics sync", () => {
  it("reads statistics in batches of 50 and writes metrics and a snapshot per sync", async () => {
    await connect();
    const post = await short({ mediaId: await videoAsset(1000) });
    expect((await publish(post.id)).outcome).toBe("published");
    const videoId = [...yt.videos.keys()][0]!;
    yt.setStatistics(videoId, { views: 1234, likes: 56, comments: 7 });
    // 50 more published Shorts whose videos are gone from YouTube: asked for, not matched.
    for (let i = 0; i < 50; i++) {
      await h.db.insert(content).values({
        workspaceId: f.ws.id,
        type: "youtube",
        status: "published",
        title: `Old ${i}`,
        metadata: {
          youtube_publish: { contentId: randomUUID(), mediaId: randomUUID(), total: 1, videoId: `gone${i}` },
        },
      });
    }
    expect(await syncYouTubeMetrics(h.db, f.ws.id)).toEqual({ videos: 1, matched: 1 });
    const lists = yt.requests.filter(
      (q) => q.path === "/youtube/v3/videos" && q.query.get("part") === "statistics",
    );
    const asked = lists.flatMap((q) => q.query.get("id")!.split(","));
    const published = await h.db
      .select({ id: content.id })
      .from(content)
      .where(
        and(eq(content.workspaceId, f.ws.id), eq(content.type, "youtube"), eq(content.status, "published")),
      );
    expect(new Set(asked).size).toBe(published.length);
    expect(lists).toHaveLength(Math.ceil(published.length / 50));
    expect(lists.every((q) => q.query.get("id")!.split(",").length <= 50)).toBe(true);
    const [m] = await h.db.select().from(contentMetrics).where(eq(contentMetrics.contentId, post.id));
    expect(m).toMatchObject({ views: 1234, likes: 56 });
    yt.setStatistics(videoId, { views: 2000, likes: 60, comments: 9 });
    await VIDEO_PLATFORMS.youtube.syncMetrics(h.db, f.ws.id);
    const snaps = await h.db
      .select()
      .from(contentMetricSnapshots)
      .where(eq(contentMetricSnapshots.contentId, post.id));
    expect(snaps).toHaveLength(2);
    expect(snaps.map((s) => s.views).sort((a, b) => a - b)).toEqual([1234, 2000]);
    expect(snaps[0]).toMatchObject({ workspaceId: f.ws.id });
    expect(snaps.map((s) => s.comments).sort((a, b) => a - b)).toEqual([7, 9]);
    expect((await row())?.lastSyncStatus).toBe("ok");
  });

  it("a failing sync is recorded and keeps the account connected", async () => {
    await connect();
    const post = await short({ mediaId: await videoAsset(1000) });
    expect((await publish(post.id)).outcome).toBe("published");
    yt.failNext(10, 500, undefined, "/youtube/v3/videos");
    await expect(syncYouTubeMetrics(h.db, f.ws.id)).rejects.toThrow(/YouTube/);
    expect(await row()).toMatchObject({ status: "connected", lastSyncStatus: "error" });
  });
});
