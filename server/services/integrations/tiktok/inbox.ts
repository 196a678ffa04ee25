import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { content } from "@/server/db/schema";
import { fetchPublishStatus } from "@/server/integrations/tiktok/client";
import { recordPublished } from "../../content/published";
import { describeFailReason, type PublishState, savePublishState, tiktokPostUrl } from "./publish-state";

/**
 * Items sent to the creator's TikTok inbox become published once the creator posts them in the app
 * (status/fetch then says PUBLISH_COMPLETE); FAILED there (e.g. the creator discarded it) fails them.
 */
export async function settleInboxPosts(db: Db, workspaceId: string, accessToken: string) {
  const waiting = await db
    .select()
    .from(content)
    .where(
      and(
        eq(content.workspaceId, workspaceId),
        eq(content.type, "tiktok"),
        eq(content.status, "sent_to_inbox"),
      ),
    );
  for (const item of waiting) {
    const st = item.metadata.tiktok_publish as PublishState | undefined;
    if (!st?.publishId) continue;
    const s = await fetchPublishStatus(accessToken, st.publishId).catch(() => null);
    if (!s || s.status === st.status) continue;
    const next = { ...st, status: s.status, postId: s.postId, failReason: s.failReason };
    await savePublishState(db, item, next);
    if (s.status === "PUBLISH_COMPLETE") {
      await recordPublished(
        db,
        item,
        {
          externalId: s.postId ?? st.publishId,
          url: tiktokPostUrl(st.username, s.postId),
          details: { provider: "tiktok", publishId: st.publishId, postId: s.postId ?? null },
        },
        "sent_to_inbox",
      );
    } else if (s.status === "FAILED") {
      const message = `TikTok could not publish the video: ${describeFailReason(s.failReason)}`;
      await db
        .update(content)
        .set({
          status: "failed",
          metadata: sql`${content.metadata} || ${JSON.stringify({ error: { message, at: new Date().toISOString() } })}::jsonb`,
        })
        .where(
          and(
            eq(content.id, item.id),
            eq(content.workspaceId, workspaceId),
            eq(content.status, "sent_to_inbox"),
          ),
        );
    }
  }
}
