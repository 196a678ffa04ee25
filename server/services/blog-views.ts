import { and, desc, eq, gte, sql } from "drizzle-orm";
import { isbot } from "isbot";
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
export async function recordBlogView(db: Db, p: { workspaceId: string; contentId: string }) {
  await db.transaction(async (tx) => {
    const [m] = await tx
      .insert(contentMetrics)
      .values({ contentId: p.contentId, views: 1 })
      .onConflictDoUpdate({
        target: contentMetrics.contentId,
        set: { views: sql`${contentMetrics.views} + 1`, updatedAt: new Date() },
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
