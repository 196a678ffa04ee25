import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { clearLocalCache } from "@/lib/cache";
import { content, contentMetricSnapshots, orders, workspaces } from "@/server/db/schema";
import { refreshAnalytics } from "@/server/services/analytics/refresh";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

/*
 * Issue 20, point 5: views and engagement per platform on Overview and Analytics, and every
 * platform in the leaderboards and the funnel — YouTube Shorts and Instagram Reels beside TikTok.
 */
const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
const RANGE = { preset: "custom", from: "2026-05-10", to: "2026-05-12", compare: true } as const;

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
  await h.db.update(workspaces).set({ timeZone: "UTC" }).where(eq(workspaces.id, f.ws.id));
  const item = async (type: "tiktok" | "youtube" | "instagram", title: string) => {
    const [row] = await h.db
      .insert(content)
      .values({
        workspaceId: f.ws.id,
        type,
        title,
        status: "published",
        publishedAt: new Date("2026-05-10T09:00:00Z"),
      })
      .returning();
    return row!.id;
  };
  const tiktok = await item("tiktok", "Kettle on TikTok");
  const youtube = await item("youtube", "Kettle Short");
  const instagram = await item("instagram", "Kettle Reel");
  const snap = (
    contentId: string,
    at: string,
    views: number,
    likes: number,
    comments: number,
    shares = 0,
  ) => ({
    workspaceId: f.ws.id,
    contentId,
    capturedAt: new Date(at),
    views,
    likes,
    comments,
    shares,
  });
  await h.db
    .insert(contentMetricSnapshots)
    .values([
      snap(tiktok, "2026-05-10T12:00:00Z", 300, 10, 2),
      snap(youtube, "2026-05-10T12:00:00Z", 1000, 40, 5),
      snap(youtube, "2026-05-11T12:00:00Z", 1500, 60, 9),
      snap(instagram, "2026-05-11T12:00:00Z", 700, 30, 4, 6),
    ]);
  // An order from YouTube (its channel named like the platform) for the funnel.
  await h.db.insert(orders).values({
    workspaceId: f.ws.id,
    source: "manual",
    externalId: "YT-1",
    purchaseDate: new Date("2026-05-11T15:00:00Z"),
    status: "Shipped",
    channel: "youtube",
    total: "24.00",
    currency: "USD",
  });
  await refreshAnalytics(h.db, { full: true, wait: true });
  clearLocalCache();
});

describe("short-video platforms in analytics", () => {
  it("Overview shows views and engagement per platform, busiest first", async () => {
    const o = await callerFor(h.db, f.viewer).analytics.overview({ workspaceId: f.ws.id, ...RANGE });
    expect(o.platforms).toEqual([
      { platform: "youtube", views: { value: 1500, previous: 0 }, engagements: 69 },
      { platform: "instagram", views: { value: 700, previous: 0 }, engagements: 40 },
      { platform: "tiktok", views: { value: 300, previous: 0 }, engagements: 12 },
    ]);
    expect(o.kpis.views.value).toBe(2500);
    expect(o.topByViews.map((t) => [t.title, t.type, t.views])).toEqual([
      ["Kettle Short", "youtube", 1500],
      ["Kettle Reel", "instagram", 700],
      ["Kettle on TikTok", "tiktok", 300],
    ]);
  });

  it("the content tab and the funnel count every platform", async () => {
    const caller = callerFor(h.db, f.viewer);
    const a = await caller.analytics.content({ workspaceId: f.ws.id, ...RANGE });
    expect(a.platforms.map((p) => [p.platform, p.views]).sort()).toEqual([
      ["instagram", 700],
      ["tiktok", 300],
      ["youtube", 1500],
    ]);
    const funnel = await caller.analytics.funnel({ workspaceId: f.ws.id, ...RANGE });
    const yt = funnel.channels.find((c) => c.channel === "youtube");
    expect(yt).toMatchObject({ views: 1500, customers: 1, revenue: "24.00" });
    expect(funnel.channels.map((c) => c.channel)).toEqual(expect.arrayContaining(["instagram", "tiktok"]));
  });

  it("another workspace sees none of it", async () => {
    await expect(
      callerFor(h.db, f.viewer).analytics.overview({ workspaceId: f.other.id, ...RANGE }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const theirs = await callerFor(h.db, f.otherOwner).analytics.overview({
      workspaceId: f.other.id,
      ...RANGE,
    });
    expect(theirs.platforms).toEqual([]);
  });
});
