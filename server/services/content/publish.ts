import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { and, asc, eq, inArray, lte, type SQL, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { env } from "@/lib/env";
import type { Db } from "@/server/db";
import { executePrepared } from "@/server/db/prepared";
import { columnsOf, rowsOf, tableRowOf } from "@/server/db/raw-rows";
import { type ContentType, content, workspaces } from "@/server/db/schema";
import { publishEvent } from "@/server/events";
import { assertContentTypeOn, enabledContentTypes } from "@/server/features";
import { metrics, secondsSince } from "@/server/observability/metrics";
import { enqueueContentPublishes, enqueuePublishCheck } from "@/server/queue/jobs/publish-content";
import { logActivity } from "../activity";
import { transactWithEvents } from "../domain-events/record";
import { domainEvent } from "../domain-events/types";
import { emailContentPublisher } from "../email/content-email";
import { VIDEO_PLATFORMS } from "../integrations/platforms";
import { notifyWorkspace } from "../notifications";
import { recordPublished } from "./published";
import {
  type PreflightItem,
  PublishError,
  type Publisher,
  type PublishResult,
  PublishWaiting,
} from "./publisher";

export { recordPublished } from "./published";
export {
  type PreflightItem,
  type PublishContext,
  PublishError,
  type Publisher,
  type PublishResult,
  type TikTokPublisher,
} from "./publisher";

type ContentRow = typeof content.$inferSelect;

/** Runs the type's publisher preflight (if any); throws a DomainError (4xx) on a choice it refuses. */
export async function preflightPublish(db: Db, item: PreflightItem) {
  assertContentTypeOn(item.type);
  await registry()[item.type].preflight?.(db, item);
}

const blogPublisher: Publisher = {
  async publish({ content: item, workspace }) {
    if (!item.slug) throw new PublishError("This post has no slug: set one in the editor", false);
    if (!item.body?.trim()) throw new PublishError("This post has no body yet", false);
    return { url: `/blog/${workspace.slug}/${item.slug}` };
  },
};

const defaultPublishers = (): Record<ContentType, Publisher> => ({
  blog: blogPublisher,
  email: emailContentPublisher,
  tiktok: VIDEO_PLATFORMS.tiktok.publisher,
  youtube: VIDEO_PLATFORMS.youtube.publisher,
  instagram: VIDEO_PLATFORMS.instagram.publisher,
});

const g = globalThis as unknown as { organicPublishers?: Record<ContentType, Publisher> };
function registry() {
  g.organicPublishers ??= defaultPublishers();
  return g.organicPublishers;
}

/** Replaces the publisher for a content type (the integrations install theirs; tests use stand-ins). */
export function setPublisher(type: ContentType, publisher: Publisher | null) {
  registry()[type] = publisher ?? defaultPublishers()[type];
}

/** How long a `publishing` claim may stay before the scheduler gives the row back. */
export const STALE_CLAIM_MS = env().CONTENT_STALE_CLAIM_MS;

/**
 * Claims a due row (`scheduled` → `publishing`) with one conditional UPDATE: of several jobs for the
 * same row, exactly one gets it. Nothing external happens before this succeeds. Returns the row
 * with its workspace (one round trip).
 */
export function claimContent(db: Db, contentId: string) {
  return claimWhere(
    db,
    contentId,
    sql`${content.status} = 'scheduled' and ${content.scheduledAt} <= now()`,
    sql`status = 'publishing', claimed_at = ${CLAIM_NOW}`,
  );
}

/**
 * Takes back a publish that gave its worker slot back while the platform processed (see
 * `waitOutsideTheSlot`): only while the row still holds that very claim, so of a late check and the
 * stale-claim sweep's re-run only one goes on.
 */
function claimWaiting(db: Db, contentId: string, claimedAt: string) {
  return claimWhere(
    db,
    contentId,
    sql`${content.status} = 'publishing' and ${content.claimedAt} = ${claimedAt}::timestamptz`,
    sql`claimed_at = ${CLAIM_NOW}`,
  );
}

/**
 * A claim's time, to the millisecond: the claim a run holds (its row's `claimedAt`, a JS Date) then
 * compares equal to the column, so a run can hand on exactly the claim it took.
 */
const CLAIM_NOW = sql.raw("date_trunc('milliseconds', now())");

async function claimWhere(db: Db, contentId: string, condition: SQL, set: SQL) {
  // An item of a part switched off since (e.g. a blog post with ENABLE_BLOG_ENGINE=false) waits.
  const types = enabledContentTypes();
  if (types.length === 0) return null;
  // Raw SQL: Drizzle's builder for this update costs more CPU than the statement (a hot path).
  // Prepared (server/db/prepared.ts): its planning cost as much as running it.
  const [row] = rowsOf<Record<string, unknown> & { ws_slug: string; ws_name: string }>(
    await executePrepared(
      db,
      sql`
      update ${content} set ${set}
      from ${workspaces}
      where ${content.id} = ${contentId} and ${workspaces.id} = ${content.workspaceId}
        and ${condition} and ${inArray(content.type, types)}
      returning ${columnsOf(content)}, ${workspaces.slug} as ws_slug, ${workspaces.name} as ws_name`,
    ),
  );
  if (!row) return null;
  const item = tableRowOf(content, row);
  return { item, workspace: { id: item.workspaceId, slug: row.ws_slug, name: row.ws_name } };
}

export type PublishOutcome =
  | { outcome: "skipped" }
  | { outcome: "released" }
  | { outcome: "published"; result: PublishResult }
  | { outcome: "sent_to_inbox"; result: PublishResult }
  | { outcome: "retry"; error: string }
  | { outcome: "deferred"; until: Date }
  | { outcome: "failed"; error: string }
  | { outcome: "waiting"; until: Date };

/**
 * How long one publish run sleeps through a platform's processing before it gives its worker slot
 * back. A real platform takes minutes: a run that slept through them would hold one of the
 * worker's few slots (WORKER_CONCURRENCY) while other posts fall due. Null: CONTENT_PUBLISH_HOLD_MS.
 */
export const publishTiming: { holdMs: number | null } = { holdMs: null };

interface PublishRun {
  attempt: number;
  maxAttempts: number;
  log: Logger;
  signal?: AbortSignal;
  /** From a job: past `publishTiming.holdMs` of waiting, give the slot back (else sleep). */
  release?: boolean;
}

/**
 * The publish job: claim, publish through the type's publisher, record the result. A retryable
 * failure before the last attempt hands the row back (`scheduled`) and asks the queue to retry.
 */
export async function publishContent(db: Db, p: PublishRun & { contentId: string }): Promise<PublishOutcome> {
  const claimed = await claimContent(db, p.contentId);
  if (!claimed) return { outcome: "skipped" };
  return publishClaimed(db, claimed, p);
}

/** The publish-check job: a publish that gave its slot back goes on, if it still holds its claim. */
export async function continuePublish(
  db: Db,
  p: PublishRun & { contentId: string; claimedAt: string; waitMs: number; since: number },
): Promise<PublishOutcome> {
  const claimed = await claimWaiting(db, p.contentId, p.claimedAt);
  if (!claimed) return { outcome: "skipped" };
  return publishClaimed(db, claimed, p, { waitMs: p.waitMs, since: p.since });
}

/** Sleeps through the first `holdMs` of waits, then asks the run to give its slot back. */
function holdThenRelease() {
  const holdMs = publishTiming.holdMs ?? env().CONTENT_PUBLISH_HOLD_MS;
  let held = 0;
  return async (ms: number) => {
    if (held + ms > holdMs) throw new PublishWaiting(ms);
    held += ms;
    await sleep(ms);
  };
}

/**
 * The platform has the post and is processing it: the row stays `publishing` under a fresh claim
 * and a delayed publish-check resumes it from the state the publisher saved. If that job is lost,
 * the claim goes stale and the scheduler gives the row back, which resumes the same way.
 */
async function waitOutsideTheSlot(
  db: Db,
  item: ContentRow,
  waitMs: number,
  run: { since: number; attempt: number; log: Logger },
): Promise<PublishOutcome> {
  const claimedAt = new Date().toISOString();
  // Only the claim this run took is handed on: after the stale-claim sweep gave the row to another
  // run, that run's claim stays.
  const held = rowsOf<{ id: string }>(
    await db.execute(sql`
      update ${content} set claimed_at = ${claimedAt}::timestamptz
      where id = ${item.id} and workspace_id = ${item.workspaceId} and status = 'publishing'
        and claimed_at = ${item.claimedAt?.toISOString() ?? null}::timestamptz
      returning id`),
  );
  if (held.length === 0) return { outcome: "skipped" };
  const { since, attempt } = run;
  try {
    await enqueuePublishCheck({
      contentId: item.id,
      workspaceId: item.workspaceId,
      claimedAt,
      waitMs,
      since,
      attempt,
    });
  } catch (err) {
    run.log.warn(
      { err, contentId: item.id },
      "could not enqueue the publish check; the stale-claim sweep resumes it",
    );
  }
  return { outcome: "waiting", until: new Date(Date.parse(claimedAt) + waitMs) };
}

async function publishClaimed(
  db: Db,
  claimed: NonNullable<Awaited<ReturnType<typeof claimContent>>>,
  p: PublishRun,
  resumed?: { waitMs: number; since: number },
): Promise<PublishOutcome> {
  const startedAt = Date.now();
  const { item, workspace: ws } = claimed;
  if (p.signal?.aborted) {
    // The process is stopping and nothing went out yet: hand the row back for another worker's tick.
    await db
      .update(content)
      .set({ status: "scheduled", claimedAt: null })
      .where(and(eq(content.id, item.id), eq(content.status, "publishing")));
    return { outcome: "released" };
  }
  const link = `/${ws.slug}/content/${item.id}`;
  try {
    const result = await registry()[item.type].publish({
      db,
      content: item,
      workspace: ws,
      log: p.log,
      resumed,
      waitForPlatform: p.release ? holdThenRelease() : undefined,
    });
    if (result.sentToInbox) return await recordSentToInbox(db, item, result, link);
    const done = await recordPublished(db, item, result, "publishing");
    if (done && item.scheduledAt)
      metrics().publishLag.observe(Math.max(0, secondsSince(item.scheduledAt.getTime())));
    return done ? { outcome: "published", result } : { outcome: "skipped" };
  } catch (err) {
    if (err instanceof PublishWaiting) {
      const run = { since: resumed?.since ?? startedAt, attempt: p.attempt, log: p.log };
      return await waitOutsideTheSlot(db, item, err.waitMs, run);
    }
    const message = err instanceof Error ? err.message : String(err);
    const retryable = !(err instanceof PublishError) || err.retryable;
    if (err instanceof PublishError && retryable && err.retryAt) {
      // Due again when the platform allows (the scheduler tick claims it then); the reason shows.
      const deferred = { deferred: { message, until: err.retryAt.toISOString() } };
      await db
        .update(content)
        .set({
          status: "scheduled",
          claimedAt: null,
          scheduledAt: err.retryAt,
          metadata: sql`${content.metadata} || ${JSON.stringify(deferred)}::jsonb`,
        })
        .where(and(eq(content.id, item.id), eq(content.status, "publishing")));
      p.log.warn({ contentId: item.id, until: err.retryAt, err: message }, "publish deferred");
      return { outcome: "deferred", until: err.retryAt };
    }
    if (retryable && p.attempt < p.maxAttempts) {
      await db
        .update(content)
        .set({ status: "scheduled", claimedAt: null })
        .where(and(eq(content.id, item.id), eq(content.status, "publishing")));
      p.log.warn(
        { contentId: item.id, attempt: p.attempt, err: message },
        "publish attempt failed; will retry",
      );
      return { outcome: "retry", error: message };
    }
    // The failure and its `content.failed` event (notification, live update, webhook) commit together.
    await transactWithEvents(db, async (tx, events) => {
      const [failed] = await tx
        .update(content)
        .set({
          status: "failed",
          claimedAt: null,
          metadata: sql`${content.metadata} || ${JSON.stringify({ error: { message, at: new Date().toISOString(), attempts: p.attempt } })}::jsonb`,
        })
        .where(and(eq(content.id, item.id), eq(content.status, "publishing")))
        .returning({ id: content.id });
      if (!failed) return;
      await logActivity(tx, {
        workspaceId: item.workspaceId,
        userId: null,
        action: "content.failed",
        entityType: "content",
        entityId: item.id,
        metadata: { title: item.title, type: item.type, error: message },
      });
      events.push(
        domainEvent(item.workspaceId, "content.failed", {
          id: item.id,
          type: item.type,
          title: item.title,
          error: message,
          link,
        }),
      );
    });
    return { outcome: "failed", error: message };
  }
}

/** Not published, not failed: the creator finishes posting from the platform's inbox. */
async function recordSentToInbox(
  db: Db,
  item: ContentRow,
  result: PublishResult,
  link: string,
): Promise<PublishOutcome> {
  const [done] = await db
    .update(content)
    .set({
      status: "sent_to_inbox",
      claimedAt: null,
      metadata: sql`(${content.metadata} - 'error') || ${JSON.stringify({ ...result.metadata, publish_result: { ...result, metadata: undefined, at: new Date().toISOString() } })}::jsonb`,
    })
    .where(and(eq(content.id, item.id), eq(content.status, "publishing")))
    .returning({ id: content.id });
  if (!done) return { outcome: "skipped" };
  await logActivity(db, {
    workspaceId: item.workspaceId,
    userId: null,
    action: "content.sent_to_inbox",
    entityType: "content",
    entityId: item.id,
    metadata: { title: item.title, type: item.type },
  });
  await notifyWorkspace(db, {
    workspaceId: item.workspaceId,
    kind: "content.sent_to_inbox",
    title: `Sent to TikTok inbox: ${item.title}`.slice(0, 255),
    body: "Open TikTok on your phone to finish posting it; it is not public yet.",
    link,
  });
  await publishEvent({
    workspaceId: item.workspaceId,
    type: "content.changed",
    data: { id: item.id, status: "sent_to_inbox" },
  });
  return { outcome: "sent_to_inbox", result };
}

/** Gives back rows whose publisher died mid-publish (claim older than STALE_CLAIM_MS). */
export async function reclaimStaleContent(db: Db, staleMs = STALE_CLAIM_MS) {
  return db
    .update(content)
    .set({ status: "scheduled", claimedAt: null })
    .where(
      and(
        eq(content.status, "publishing"),
        sql`${content.claimedAt} < now() - make_interval(secs => ${staleMs / 1000})`,
      ),
    )
    .returning({ id: content.id, workspaceId: content.workspaceId });
}

/**
 * Due rows, oldest first: what the scheduler tick enqueues. A thousand a tick keeps any number of
 * workers busy until the next tick (each second by default); under a backlog of ten thousand, the
 * tick does not read and map them all every second.
 */
export async function findDueContent(db: Db, limit = 1000) {
  const types = enabledContentTypes();
  if (types.length === 0) return [];
  return db
    .select({
      id: content.id,
      workspaceId: content.workspaceId,
      scheduledAt: content.scheduledAt,
      updatedAt: content.updatedAt,
    })
    .from(content)
    .where(
      and(
        eq(content.status, "scheduled"),
        lte(content.scheduledAt, sql`now()`),
        inArray(content.type, types),
      ),
    )
    .orderBy(asc(content.scheduledAt))
    .limit(limit);
}

/**
 * The scheduler tick's work: gives back stale claims, then enqueues every due row with a
 * deterministic job id. The database decides what is due, so a lost queue or a restart loses nothing.
 */
export async function enqueueDueContent(db: Db) {
  const reclaimed = await reclaimStaleContent(db);
  const due = await findDueContent(db);
  await enqueueContentPublishes(due);
  return { reclaimed: reclaimed.length, enqueued: due.length };
}
