import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { executePrepared } from "@/server/db/prepared";
import { rowsOf } from "@/server/db/raw-rows";
import { activityLogs, content, domainEvents, workspaces } from "@/server/db/schema";
import { dispatchSoon } from "../domain-events/record";
import type { DomainEventPayloads } from "../domain-events/types";
import type { PublishResult } from "./publisher";

type ContentRow = typeof content.$inferSelect;

/**
 * Marks a row published (from `publishing`, or from `sent_to_inbox` once the creator posted it in
 * the app), with its activity row and a `content.published` event, in one statement (one round
 * trip: this is the scheduler's hot path, and a statement commits as a whole like a transaction).
 * The event's consumers notify the members, update open pages and send the outgoing webhook.
 * Returns false when the row was no longer in `from` (someone else recorded the outcome).
 */
export async function recordPublished(
  db: Db,
  item: Pick<ContentRow, "id" | "workspaceId" | "title" | "type">,
  result: PublishResult,
  from: "publishing" | "sent_to_inbox",
) {
  const url = result.url ?? null;
  const stored = {
    ...result.metadata,
    publish_result: { ...result, sentToInbox: undefined, metadata: undefined, at: new Date().toISOString() },
  };
  const event: Omit<DomainEventPayloads["content.published"], "link"> = {
    id: item.id,
    type: item.type,
    title: item.title,
    url,
  };
  const activity = { title: item.title, type: item.type, url };
  const events = rowsOf<{ id: number }>(
    await executePrepared(
      db,
      sql`
      with done as (
        update ${content}
        set status = 'published', published_at = now(), claimed_at = null,
          metadata = (metadata - 'error') || ${JSON.stringify(stored)}::jsonb
        where id = ${item.id} and workspace_id = ${item.workspaceId} and status = ${from}
        returning id, workspace_id
      ), logged as (
        insert into ${activityLogs} (workspace_id, action, entity_type, entity_id, metadata)
        select workspace_id, 'content.published', 'content', id, ${JSON.stringify(activity)}::jsonb from done
      )
      insert into ${domainEvents} (workspace_id, type, payload)
      select done.workspace_id, 'content.published',
        ${JSON.stringify(event)}::jsonb || jsonb_build_object('link', '/' || w.slug || '/content/' || done.id)
      from done join ${workspaces} w on w.id = done.workspace_id
      returning id`,
    ),
  );
  if (events.length === 0) return false;
  await dispatchSoon(events.map((e) => Number(e.id)));
  return true;
}
