import "server-only";
import { and, eq } from "drizzle-orm";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { content, contentMetricSnapshots, contentMetrics } from "@/server/db/schema";
import { PermanentError } from "@/server/integrations/http";
import { getMediaInsights } from "@/server/integrations/instagram/client";
import { getIntegrationRow, noteFailure, recordSync } from "@/server/integrations/store";
import { getInstagramAccess } from "./access";
import { instagramEnabled } from "./config";
import type { InstagramPublishState } from "./publish-state";

/** content_metrics columns are int4. */
const clamp = (n: number) => Math.min(Math.max(0, Math.round(n)), 2_147_483_647);

type Insights = Awaited<ReturnType<typeof getMediaInsights>>;

/** A Reel's figures: the item's current metrics, and a snapshot for the rollups (as TikTok's are kept). */
async function saveReelMetrics(
  db: Db,
  workspaceId: string,
  contentId: string,
  i: Insights,
  capturedAt: Date,
) {
  const figures = {
    views: i.views ?? 0,
    likes: i.likes ?? 0,
    shares: i.shares ?? 0,
    saves: i.saved ?? 0,
    comments: i.comments ?? 0,
  };
  const current = {
    views: clamp(figures.views),
    likes: clamp(figures.likes),
    shares: clamp(figures.shares),
    saves: clamp(figures.saves),
  };
  await db
    .insert(contentMetrics)
    .values({ contentId, ...current })
    .onConflictDoUpdate({ target: contentMetrics.contentId, set: { ...current, updatedAt: capturedAt } });
  await db.insert(contentMetricSnapshots).values({ workspaceId, contentId, capturedAt, ...figures });
}

/**
 * Reads the insights of the workspace's published Reels. A Reel whose insights come back empty
 * (Meta's data lags up to 48 h) has no figures yet: nothing is written for it, not zeros.
 */
export async function syncInstagramMetrics(db: Db, workspaceId: string) {
  if (!instagramEnabled()) return { skipped: "disabled" as const };
  const existing = await getIntegrationRow(db, workspaceId, "instagram");
  if (!existing || existing.status === "disconnected") return { skipped: "not_connected" as const };
  let row = existing;
  try {
    const access = await getInstagramAccess(db, workspaceId);
    row = access.row;
    const published = await db
      .select({ id: content.id, metadata: content.metadata })
      .from(content)
      .where(
        and(
          eq(content.workspaceId, workspaceId),
          eq(content.type, "instagram"),
          eq(content.status, "published"),
        ),
      );
    let matched = 0;
    let read = 0;
    const capturedAt = new Date();
    for (const c of published) {
      const mediaId = (c.metadata.instagram_publish as InstagramPublishState | undefined)?.mediaId;
      if (!mediaId) continue;
      read++;
      const insights = await getMediaInsights(access.accessToken, mediaId).catch((err: unknown) => {
        // A Reel deleted on Instagram (or too small for insights, #10) must not stop the others.
        if (err instanceof PermanentError) {
          logger.info({ contentId: c.id, err: err.message }, "instagram insights unavailable for one reel");
          return {};
        }
        throw err;
      });
      if (Object.keys(insights).length === 0) continue;
      matched++;
      await saveReelMetrics(db, workspaceId, c.id, insights, capturedAt);
    }
    const summary = { read, matched };
    await recordSync(db, row, { ok: true, summary });
    return summary;
  } catch (err) {
    await noteFailure(db, row, err);
    await recordSync(db, row, { ok: false, error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}
