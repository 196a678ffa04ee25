import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { content, contentMetricSnapshots, contentMetrics } from "@/server/db/schema";
import { refreshAnalytics } from "@/server/services/analytics/refresh";
import {
  BLOG_VIEW_FLUSH_MS,
  countBlogView,
  flushBlogViews,
  isCountableView,
  recordBlogView,
} from "@/server/services/blog-views";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

/*
 * Issue 15 item 14: public blog page views are counted (no cookies, bots excluded, per day), so a
 * blog post has views in the content list and Analytics like a video.
 */
const h = await setupTestDb();
const f = await twoWorkspaces(h.db);
const [post] = await h.db
  .insert(content)
  .values({
    workspaceId: f.ws.id,
    type: "blog",
    status: "published",
    title: "Read me",
    slug: "read-me",
    body: "Hi",
    publishedAt: new Date(Date.now() - 86_400_000),
  })
  .returning();

const CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const SAFARI_IOS =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

describe("blog page views", () => {
  it("counts a person's page load, not crawlers, link previews, headless browsers or prefetches", () => {
    const none = new Headers();
    expect(isCountableView(CHROME, none)).toBe(true);
    expect(isCountableView(SAFARI_IOS, none)).toBe(true);
    for (const ua of [
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
      "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
      "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
      "curl/8.5.0",
      "",
    ])
      expect(isCountableView(ua, none), ua).toBe(false);
    expect(isCountableView(null, none)).toBe(false);
    expect(isCountableView(CHROME, new Headers({ "sec-purpose": "prefetch;prerender" }))).toBe(false);
    expect(isCountableView(CHROME, new Headers({ purpose: "prefetch" }))).toBe(false);
    expect(isCountableView(CHROME, new Headers({ "next-router-prefetch": "1" }))).toBe(false);
  });

  it("adds to the post's total and the day's snapshot; Analytics and the content list agree", async () => {
    await Promise.all(
      [1, 2, 3].map(() => recordBlogView(h.db, { workspaceId: f.ws.id, contentId: post!.id })),
    );
    const [m] = await h.db.select().from(contentMetrics).where(eq(contentMetrics.contentId, post!.id));
    expect(m!.views).toBe(3);
    const snaps = await h.db
      .select()
      .from(contentMetricSnapshots)
      .where(
        and(eq(contentMetricSnapshots.workspaceId, f.ws.id), eq(contentMetricSnapshots.contentId, post!.id)),
      );
    // One snapshot for the quarter hour, holding the running total.
    expect(snaps).toHaveLength(1);
    expect(snaps[0]!.views).toBe(3);

    await refreshAnalytics(h.db, { full: true, wait: true });
    const c = callerFor(h.db, f.viewer);
    const analytics = await c.analytics.content({ workspaceId: f.ws.id, preset: "7d" });
    expect(analytics.platforms.find((p) => p.platform === "blog")?.views).toBe(3);
    expect(analytics.items.find((i) => i.id === post!.id)?.views).toBe(3);
    const list = await c.content.list({ workspaceId: f.ws.id });
    expect(list.content.find((i) => i.id === post!.id)?.metrics?.views).toBe(3);
    // Nothing of it shows in the other workspace, and its people cannot read this one's.
    const other = await callerFor(h.db, f.otherOwner).analytics.content({
      workspaceId: f.other.id,
      preset: "7d",
    });
    expect(other.items.find((i) => i.id === post!.id)).toBeUndefined();
    await expect(
      callerFor(h.db, f.otherOwner).analytics.content({ workspaceId: f.ws.id, preset: "7d" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });

    // Later views move the same day's figure on (incremental rollup).
    await recordBlogView(h.db, { workspaceId: f.ws.id, contentId: post!.id });
    await refreshAnalytics(h.db, { wait: true });
    const after = await c.analytics.content({ workspaceId: f.ws.id, preset: "7d" });
    expect(after.items.find((i) => i.id === post!.id)?.views).toBe(4);
  });

  it("counts a burst of views in memory and writes them per post in one go", async () => {
    const [second] = await h.db
      .insert(content)
      .values({
        workspaceId: f.ws.id,
        type: "blog",
        status: "published",
        title: "Second",
        slug: "second-post",
        publishedAt: new Date(Date.now() - 86_400_000),
      })
      .returning();
    const views = async (id: string) =>
      (await h.db.select().from(contentMetrics).where(eq(contentMetrics.contentId, id)))[0]?.views ?? 0;
    const before = await views(post!.id);
    for (let i = 0; i < 5; i++) countBlogView(h.db, { workspaceId: f.ws.id, contentId: post!.id });
    countBlogView(h.db, { workspaceId: f.ws.id, contentId: second!.id });
    countBlogView(h.db, { workspaceId: f.ws.id, contentId: second!.id });
    // Nothing is written on the answer's path.
    expect(await views(post!.id)).toBe(before);
    expect(await views(second!.id)).toBe(0);
    await flushBlogViews();
    expect(await views(post!.id)).toBe(before + 5);
    expect(await views(second!.id)).toBe(2);
    const snaps = await h.db
      .select()
      .from(contentMetricSnapshots)
      .where(eq(contentMetricSnapshots.contentId, second!.id));
    expect(snaps.map((s) => s.views)).toEqual([2]);
    // The timer writes them too, within BLOG_VIEW_FLUSH_MS.
    countBlogView(h.db, { workspaceId: f.ws.id, contentId: second!.id });
    await expect.poll(() => views(second!.id), { timeout: BLOG_VIEW_FLUSH_MS * 5 }).toBe(3);
  });
});
