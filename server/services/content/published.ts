import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { content, workspaces } from "@/server/db/schema";
import { logActivity } from "../activity";
import { transactWithEvents } from "../domain-events/record";
import { domainEvent } from "../domain-events/types";
import type { PublishResult } from "./publisher";

type ContentRow = typeof content.$inferSelect;

/**
 * Marks a row published (from `publishing`, or from `sent_to_inbox` once the creator posted it in
 * the app), with its activity row and a `content.published` event in the same transaction: the
 * event's consumers notify the members, update open pages and send the outgoing webhook. Returns
 * false when the row was no longer in `from` (someone else recorded the outcome).
 */
export async function recordPublished(
  db: Db,
  item: Pick<ContentRow, "id" | "workspaceId" | "title" | "type">,
  result: PublishResult,
  from: "publishing" | "sent_to_inbox",
) {
  return transactWithEvents(db, async (tx, events) => {
    const [done] = await tx
      .update(content)
      .set({
        status: "published",
        publishedAt: new Date(),
        claimedAt: null,
        metadata: sql`(${content.metadata} - 'error') || ${JSON.stringify({ publish_result: { ...result, sentToInbox: undefined, at: new Date().toISOString() } })}::jsonb`,
      })
      .where(
        and(eq(content.id, item.id), eq(content.workspaceId, item.workspaceId), eq(content.status, from)),
      )
      .returning({ id: content.id });
    if (!done) return false;
    const [ws] = await tx
      .select({ slug: workspaces.slug })
      .from(workspaces)
      .where(eq(workspaces.id, item.workspaceId));
    await logActivity(tx, {
      workspaceId: item.workspaceId,
      userId: null,
      action: "content.published",
      entityType: "content",
      entityId: item.id,
      metadata: { title: item.title, type: item.type, url: result.url ?? null },
    });
    events.push(
      domainEvent(item.workspaceId, "content.published", {
        id: item.id,
        type: item.type,
        title: item.title,
        url: result.url ?? null,
        link: `/${ws!.slug}/content/${item.id}`,
      }),
    );
    return true;
  });
}
