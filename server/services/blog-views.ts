import { and, desc, eq, gte, sql } from "drizzle-orm";
import { isbot } from "isbot";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { contentMetricSnapshots, contentMetrics } from "@/server/db/schema";

/**
 * Public blog page views, counted like a video's views: no cookie, no visitor id, one view per page
 * load by a person. Crawlers, link-preview fetchers, headless browsers and prefetches are not views
 * (`isbot` on the user agent, plus the prefetch headers browsers and Next's router send).
 */
export function isCountableView(userAgent: string | null, headers: Headers): boolean {
  const ua = userAgent?.trim() ?? "";
  if (!ua || isbot(ua)) return false;
  if (headers.get("next-router-prefetch")) return false;
  const purpose = `${headers.get("purpose") ?? ""} ${headers.get("sec-purpose") ?? ""} ${headers.get("x-purpose") ?? ""} ${headers.get("x-moz") ?? ""}`;
  return !/prefetch|preview|prerender/i.test(purpose);
}

/**
 * Adds one view to a published post: the running total (`content_metrics`, what the content list
 * shows) and the day's metric snapshot, so the analytics rollup sees the views per day exactly as it
 * sees a TikTok sync (each local day counts the last snapshot minus the previous one).
 */
export async function recordBlogView(db: Db, p: { workspaceId: string; contentId: string; views?: number }) {
  const views = p.views ?? 1;
  await db.transaction(async (tx) => {
    const [m] = await tx
      .insert(contentMetrics)
      .values({ contentId: p.contentId, views })
      .onConflictDoUpdate({
        target: contentMetrics.contentId,
        set: { views: sql`${contentMetrics.views} + ${views}`, updatedAt: new Date() },
      })
      .returning();
    const figures = {
      views: m!.views,
      likes: m!.likes,
      shares: m!.shares,
      saves: m!.saves,
      clicks: m!.clicks,
      conversions: m!.conversions,
      revenue: m!.revenue,
      capturedAt: new Date(),
    };
    // One snapshot per item per quarter hour at most (every time zone's midnight falls on one): the
    // latest figures replace this quarter's snapshot.
    const [recent] = await tx
      .select({ id: contentMetricSnapshots.id })
      .from(contentMetricSnapshots)
      .where(
        and(
          eq(contentMetricSnapshots.workspaceId, p.workspaceId),
          eq(contentMetricSnapshots.contentId, p.contentId),
          gte(
            contentMetricSnapshots.capturedAt,
            sql`date_bin('15 minutes', now(), timestamptz '2000-01-01')`,
          ),
        ),
      )
      .orderBy(desc(contentMetricSnapshots.capturedAt))
      .limit(1);
    if (recent)
      await tx
        .update(contentMetricSnapshots)
        .set(figures)
        .where(
          and(
            eq(contentMetricSnapshots.id, recent.id),
            eq(contentMetricSnapshots.workspaceId, p.workspaceId),
          ),
        );
    else
      await tx
        .insert(contentMetricSnapshots)
        .values({ workspaceId: p.workspaceId, contentId: p.contentId, ...figures });
  });
}

/** How long views wait in memory before they are written, summed per post. */
export const BLOG_VIEW_FLUSH_MS = 1000;

interface PendingViews {
  db: Db;
  workspaceId: string;
  contentId: string;
  views: number;
}

const g = globalThis as unknown as {
  organicBlogViews?: Map<string, PendingViews>;
  organicBlogViewTimer?: ReturnType<typeof setTimeout>;
};

/**
 * Counts one view, written within BLOG_VIEW_FLUSH_MS with the others of the same post (one write per
 * post per second however many people read it, and none on the page's answer path). A process
 * killed outright loses at most that last second's views; on SIGTERM/SIGINT they are written first.
 */
export function countBlogView(db: Db, p: { workspaceId: string; contentId: string }) {
  g.organicBlogViews ??= new Map();
  const pending = g.organicBlogViews;
  const entry = pending.get(p.contentId);
  if (entry) entry.views++;
  else pending.set(p.contentId, { db, ...p, views: 1 });
  if (!g.organicBlogViewTimer) {
    g.organicBlogViewTimer = setTimeout(() => void flushBlogViews(), BLOG_VIEW_FLUSH_MS);
    g.organicBlogViewTimer.unref?.();
    process.once("SIGTERM", flushOnExit);
    process.once("SIGINT", flushOnExit);
  }
}

function flushOnExit() {
  void flushBlogViews();
}

/** Writes the views counted so far (tests; the timer and shutdown call it too). */
export async function flushBlogViews() {
  if (g.organicBlogViewTimer) clearTimeout(g.organicBlogViewTimer);
  g.organicBlogViewTimer = undefined;
  process.removeListener("SIGTERM", flushOnExit);
  process.removeListener("SIGINT", flushOnExit);
  const batch = [...(g.organicBlogViews?.values() ?? [])];
  g.organicBlogViews?.clear();
  for (const { db, ...views } of batch) {
    await recordBlogView(db, views).catch((err) =>
      logger.warn(
        { err: String(err), contentId: views.contentId, views: views.views },
        "blog views not recorded",
      ),
    );
  }
}
