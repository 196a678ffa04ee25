import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { executePrepared } from "@/server/db/prepared";
import { content } from "@/server/db/schema";

/**
 * Saves what a platform publisher must remember to resume (TikTok's publish id, YouTube's upload
 * session and video id, Instagram's container) under `key` of the row's metadata, before the call
 * it protects. Raw SQL: two of these run per video post, and Drizzle's builder for the update cost
 * more CPU than the statement. Prepared: see server/db/prepared.ts.
 */
export async function savePlatformState(
  db: Db,
  item: { id: string; workspaceId: string },
  key: "tiktok_publish" | "youtube_publish" | "instagram_publish",
  state: object,
) {
  await executePrepared(
    db,
    sql`
    update ${content} set metadata = metadata || ${JSON.stringify({ [key]: state })}::jsonb, updated_at = now()
    where id = ${item.id} and workspace_id = ${item.workspaceId}`,
  );
}
