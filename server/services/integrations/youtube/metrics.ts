import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/server/db";
import { content, contentMetricSnapshots, contentMetrics } from "@/server/db/schema";
import { getIntegrationRow, noteFailure, recordSync } from "@/server/integrations/store";
import {
  LIST_BATCH,
  listVideos,
  YOUTUBE_COSTS,
  type YouTubeVideo,
} from "@/server/integrations/youtube/client";
import { youtubeCaller } from "./access";
import { youtubeEnabled } from "./config";
import type { YouTubePublishState } from "./publish-state";

/** content_metrics columns are int4. */
const clamp = (n: number) => Math.min(n, 2_147_483_647);

/** The workspace's published Shorts by video id. */
async function publishedByVideoId(db: Db, workspaceId: string) {
  const published = await db
    .select({ id: content.id, metadata: content.metadata })
    .from(content)
    .where(
      and(eq(content.workspaceId, workspaceId), eq(content.type, "youtube"), eq(content.status, "published")),
    );
  const byVideoId = new Map<string, string>();
  for (const c of published) {
    const st = c.metadata.youtube_publish as YouTubePublishState | undefined;
    if (st?.videoId) byVideoId.set(st.videoId, c.id);
  }
  return byVideoId;
}

/** A video's figures: the item's current metrics, and a snapshot for the rollups. YouTube reports no shares. */
async function saveVideoMetrics(
  db: Db,
  workspaceId: string,
  contentId: string,
  v: YouTubeVideo,
  capturedAt: Date,
) {
  const figures = {
    views: v.statistics?.viewCount ?? 0,
    likes: v.statistics?.likeCount ?? 0,
    comments: v.statistics?.commentCount ?? 0,
  };
  await db
    .insert(contentMetrics)
    .values({ contentId, views: clamp(figures.views), likes: clamp(figures.likes) })
    .onConflictDoUpdate({
      target: contentMetrics.contentId,
      set: { views: clamp(figures.views), likes: clamp(figures.likes), updatedAt: capturedAt },
    });
  await db.insert(contentMetricSnapshots).values({ workspaceId, contentId, capturedAt, ...figures });
}

/** Reads the statistics of the workspace's published Shorts (videos.list, 50 ids and 1 unit per call). */
export async function syncYouTubeMetrics(db: Db, workspaceId: string) {
  if (!youtubeEnabled()) return { skipped: "disabled" as const };
  const row = await getIntegrationRow(db, workspaceId, "youtube");
  if (!row || row.status === "disconnected") return { skipped: "not_connected" as const };
  try {
    const byVideoId = await publishedByVideoId(db, workspaceId);
    const ids = [...byVideoId.keys()];
    const capturedAt = new Date();
    let read = 0;
    let matched = 0;
    const yt = youtubeCaller(db, workspaceId, row);
    for (let i = 0; i < ids.length; i += LIST_BATCH) {
      const batch = ids.slice(i, i + LIST_BATCH);
      const videos = await yt.call(YOUTUBE_COSTS.list, (t) => listVideos(t, batch, "statistics"));
      read += videos.length;
      for (const v of videos) {
        const contentId = byVideoId.get(v.id);
        if (!contentId) continue;
        matched++;
        await saveVideoMetrics(db, workspaceId, contentId, v, capturedAt);
      }
    }
    const summary = { videos: read, matched };
    await recordSync(db, row, { ok: true, summary });
    return summary;
  } catch (err) {
    await noteFailure(db, row, err);
    await recordSync(db, row, { ok: false, error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}
