import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { rows } from "./common";

/** Scheduled content coming up next (an index lookup on the content table, not cached). */
export async function upcomingContent(db: Db, workspaceId: string, limit = 5) {
  const list = await rows<{ id: string; title: string; type: string; scheduled_at: string }>(
    db,
    sql`select id::text as id, title, type, scheduled_at::text as scheduled_at from content
      where workspace_id = ${workspaceId} and status = 'scheduled' and scheduled_at >= now()
      order by scheduled_at limit ${limit}`,
  );
  return list.map((x) => ({
    id: x.id,
    title: x.title,
    type: x.type,
    scheduledAt: new Date(x.scheduled_at).toISOString(),
  }));
}
