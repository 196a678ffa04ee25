import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/server/db";
import { content, contentMetricSnapshots, contentMetrics } from "@/server/db/schema";
import { getIntegrationRow, noteFailure, recordSync } from "@/server/integrations/store";
import { fetchPublishStatus, listVideosPage, type TikTokVideo } from "@/server/integrations/tiktok/client";
import { getTikTokAccess } from "./access";
import { tiktokEnabled } from "./config";
import { settleInboxPosts } from "./inbox";
import { type PublishState, savePublishState } from "./publish-state";

const MAX_PAGES = 50;
/** content_metrics columns are int4. */
const clamp = (n: number) => Math.min(n, 2_147_483_647);

/** Published TikTok items by their post id. Post ids appear only after moderation: asked again for items without one. */
async function publishedByPostId(db: Db, workspaceId: string, accessToken: string) {
  const published = await db
    .select({ id: content.id, metadata: content.metadata })
    .from(content)
    .where(
      and(eq(content.workspaceId, workspaceId), eq(content.type, "tiktok"), eq(content.status, "published")),
    );
  const byPostId = new Map<string, string>();
  for (const c of published) {
    const st = c.metadata.tiktok_publish as PublishState | undefined;
    let postId = st?.postId ?? null;
    if (!postId && st?.publishId) {
      const s = await fetchPublishStatus(accessToken, st.publishId).catch(() => null);
      if (s?.postId) {
        postId = s.postId;
        await savePublishState(db, { id: c.id, workspaceId }, { ...st, postId });
      }
    }
    if (postId) byPostId.set(postId, c.id);
  }
  return byPostId;
}

/** The creator's videos, up to MAX_PAGES pages. */
async function listVideos(accessToken: string): Promise<TikTokVideo[]> {
  const videos: TikTokVideo[] = [];
  let cursor: number | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await listVideosPage(accessToken, cursor);
    videos.push(...r.videos);
    if (!r.has_more || r.cursor === undefined || r.cursor === null) break;
    cursor = r.cursor;
  }
  return videos;
}

/** A video's figures: the item's current metrics, and a snapshot for the rollups. */
async function saveVideoMetrics(
  db: Db,
  workspaceId: string,
  contentId: string,
  v: TikTokVideo,
  capturedAt: Date,
) {
  const figures = {
    views: v.view_count ?? 0,
    likes: v.like_count ?? 0,
    shares: v.share_count ?? 0,
    comments: v.comment_count ?? 0,
  };
  await db
    .insert(contentMetrics)
    .values({
      contentId,
      views: clamp(figures.views),
      likes: clamp(figures.likes),
      shares: clamp(figures.shares),
    })
    .onConflictDoUpdate({
      target: contentMetrics.contentId,
      set: {
        views: clamp(figures.views),
        likes: clamp(figures.likes),
        shares: clamp(figures.shares),
        updatedAt: capturedAt,
      },
    });
  await db.insert(contentMetricSnapshots).values({ workspaceId, contentId, capturedAt, ...figures });
}

export async function syncTikTokMetrics(db: Db, workspaceId: string) {
  if (!tiktokEnabled()) return { skipped: "disabled" as const };
  const existing = await getIntegrationRow(db, workspaceId, "tiktok");
  if (!existing || existing.status === "disconnected") return { skipped: "not_connected" as const };
  let row = existing;
  try {
    const access = await getTikTokAccess(db, workspaceId);
    row = access.row;
    await settleInboxPosts(db, workspaceId, access.accessToken);
    const byPostId = await publishedByPostId(db, workspaceId, access.accessToken);
    const videos = await listVideos(access.accessToken);
    let matched = 0;
    const capturedAt = new Date();
    for (const v of videos) {
      const contentId = byPostId.get(v.id);
      if (!contentId) continue;
      matched++;
      await saveVideoMetrics(db, workspaceId, contentId, v, capturedAt);
    }
    const summary = { videos: videos.length, matched };
    await recordSync(db, row, { ok: true, summary });
    return summary;
  } catch (err) {
    await noteFailure(db, row, err);
    await recordSync(db, row, { ok: false, error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}
