import "server-only";
import { and, asc, eq, lte, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { Db } from "@/server/db";
import { type ContentType, content, workspaces } from "@/server/db/schema";
import { publishEvent } from "@/server/events";
import { logActivity } from "../activity";
import { notifyWorkspace } from "../notifications";
import { emitWebhookEvent } from "../webhooks/emit";
import type { ContentRow } from "./content";

export interface PublishContext {
  db: Db;
  content: ContentRow;
  workspace: { id: string; slug: string; name: string };
  log: Logger;
}

export interface PublishResult {
  /** Where the published item can be seen. */
  url?: string;
  /** The platform's id for it (e.g. TikTok's post id). */
  externalId?: string;
  details?: Record<string, unknown>;
  /**
   * The platform took the item but did not make it public: TikTok's SEND_TO_USER_INBOX, where the
   * creator finishes posting in the app. The row becomes `sent_to_inbox`, not `published`.
   */
  sentToInbox?: boolean;
}

export type PreflightItem = Pick<ContentRow, "id" | "workspaceId" | "type" | "metadata">;

export interface Publisher {
  publish(ctx: PublishContext): Promise<PublishResult>;
  /**
   * Checks done when someone schedules or publishes (e.g. TikTok's privacy level against the
   * creator's options), so a bad choice is a 4xx then rather than a failed post later.
   */
  preflight?(db: Db, item: PreflightItem): Promise<void>;
}

/** Implemented by the TikTok integration; until an account is connected, publishing fails honestly. */
export type TikTokPublisher = Publisher;

/** Runs the type's publisher preflight (if any); throws a DomainError (4xx) on a choice it refuses. */
export async function preflightPublish(db: Db, item: PreflightItem) {
  await registry()[item.type].preflight?.(db, item);
}

/** A failure the publisher understands: `retryable` says whether trying again could help. */
export class PublishError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "PublishError";
  }
}

const blogPublisher: Publisher = {
  async publish({ content: item, workspace }) {
    if (!item.slug) throw new PublishError("This post has no slug: set one in the editor", false);
    if (!item.body?.trim()) throw new PublishError("This post has no body yet", false);
    return { url: `/blog/${workspace.slug}/${item.slug}` };
  },
};

/** The TikTok integration's publisher (services/integrations/tiktok.ts), loaded on first use. */
const tiktokNotConnected: TikTokPublisher = {
  async publish(ctx) {
    const { tiktokPublisher } = await import("@/server/services/integrations/tiktok");
    return tiktokPublisher.publish(ctx);
  },
  async preflight(db, item) {
    const { tiktokPublisher } = await import("@/server/services/integrations/tiktok");
    await tiktokPublisher.preflight?.(db, item);
  },
};

const emailNotAvailable: Publisher = {
  async publish() {
    throw new PublishError(
      "Sending content as an email campaign needs the email marketing module, which is not available in this version yet",
      false,
    );
  },
};

const g = globalThis as unknown as { organicPublishers?: Record<ContentType, Publisher> };
function registry() {
  g.organicPublishers ??= { blog: blogPublisher, tiktok: tiktokNotConnected, email: emailNotAvailable };
  return g.organicPublishers;
}

/** Replaces the publisher for a content type (the integrations install theirs; tests use stand-ins). */
export function setPublisher(type: ContentType, publisher: Publisher | null) {
  registry()[type] =
    publisher ?? { blog: blogPublisher, tiktok: tiktokNotConnected, email: emailNotAvailable }[type];
}

/** How long a `publishing` claim may stay before the scheduler gives the row back. */
export const STALE_CLAIM_MS = Number(process.env.CONTENT_STALE_CLAIM_MS ?? 10 * 60_000);

/**
 * Claims a due row (`scheduled` → `publishing`) with one conditional UPDATE: of several jobs for the
 * same row, exactly one gets it. Nothing external happens before this succeeds.
 */
export async function claimContent(db: Db, contentId: string) {
  const [row] = await db
    .update(content)
    .set({ status: "publishing", claimedAt: new Date() })
    .where(
      and(eq(content.id, contentId), eq(content.status, "scheduled"), lte(content.scheduledAt, sql`now()`)),
    )
    .returning();
  return row ?? null;
}

export type PublishOutcome =
  | { outcome: "skipped" }
  | { outcome: "published"; result: PublishResult }
  | { outcome: "sent_to_inbox"; result: PublishResult }
  | { outcome: "retry"; error: string }
  | { outcome: "failed"; error: string };

/**
 * The publish job: claim, publish through the type's publisher, record the result. A retryable
 * failure before the last attempt hands the row back (`scheduled`) and asks the queue to retry.
 */
export async function publishContent(
  db: Db,
  p: { contentId: string; attempt: number; maxAttempts: number; log: Logger },
): Promise<PublishOutcome> {
  const item = await claimContent(db, p.contentId);
  if (!item) return { outcome: "skipped" };
  const [ws] = await db
    .select({ id: workspaces.id, slug: workspaces.slug, name: workspaces.name })
    .from(workspaces)
    .where(eq(workspaces.id, item.workspaceId));
  const link = `/${ws!.slug}/content/${item.id}`;
  try {
    const result = await registry()[item.type].publish({ db, content: item, workspace: ws!, log: p.log });
    if (result.sentToInbox) return await recordSentToInbox(db, item, result, link);
    const done = await recordPublished(db, item, result, "publishing");
    return done ? { outcome: "published", result } : { outcome: "skipped" };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const retryable = !(err instanceof PublishError) || err.retryable;
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
    await db
      .update(content)
      .set({
        status: "failed",
        claimedAt: null,
        metadata: sql`${content.metadata} || ${JSON.stringify({ error: { message, at: new Date().toISOString(), attempts: p.attempt } })}::jsonb`,
      })
      .where(and(eq(content.id, item.id), eq(content.status, "publishing")));
    await logActivity(db, {
      workspaceId: item.workspaceId,
      userId: null,
      action: "content.failed",
      entityType: "content",
      entityId: item.id,
      metadata: { title: item.title, type: item.type, error: message },
    });
    await notifyWorkspace(db, {
      workspaceId: item.workspaceId,
      kind: "content.failed",
      title: `Publishing failed: ${item.title}`.slice(0, 255),
      body: message,
      link,
    });
    await publishEvent({
      workspaceId: item.workspaceId,
      type: "content.failed",
      data: { id: item.id, title: item.title, error: message },
    });
    await emitWebhookEvent(db, item.workspaceId, "content.failed", {
      id: item.id,
      type: item.type,
      title: item.title,
      error: message,
    });
    return { outcome: "failed", error: message };
  }
}

/**
 * Marks a row published (from `publishing`, or from `sent_to_inbox` once the creator posted it in
 * the app) and tells everyone: activity, notification, live event, outgoing webhook. Returns false
 * when the row was no longer in `from` (someone else recorded the outcome).
 */
export async function recordPublished(
  db: Db,
  item: Pick<ContentRow, "id" | "workspaceId" | "title" | "type">,
  result: PublishResult,
  from: "publishing" | "sent_to_inbox",
) {
  const [done] = await db
    .update(content)
    .set({
      status: "published",
      publishedAt: new Date(),
      claimedAt: null,
      metadata: sql`(${content.metadata} - 'error') || ${JSON.stringify({ publish_result: { ...result, sentToInbox: undefined, at: new Date().toISOString() } })}::jsonb`,
    })
    .where(and(eq(content.id, item.id), eq(content.workspaceId, item.workspaceId), eq(content.status, from)))
    .returning({ id: content.id });
  if (!done) return false;
  const [ws] = await db
    .select({ slug: workspaces.slug })
    .from(workspaces)
    .where(eq(workspaces.id, item.workspaceId));
  const link = `/${ws!.slug}/content/${item.id}`;
  await logActivity(db, {
    workspaceId: item.workspaceId,
    userId: null,
    action: "content.published",
    entityType: "content",
    entityId: item.id,
    metadata: { title: item.title, type: item.type, url: result.url ?? null },
  });
  await notifyWorkspace(db, {
    workspaceId: item.workspaceId,
    kind: "content.published",
    title: `Published: ${item.title}`.slice(0, 255),
    body: result.url ? `Live at ${result.url}` : null,
    link,
  });
  await publishEvent({
    workspaceId: item.workspaceId,
    type: "content.published",
    data: { id: item.id, title: item.title, url: result.url ?? null },
  });
  await emitWebhookEvent(db, item.workspaceId, "content.published", {
    id: item.id,
    type: item.type,
    title: item.title,
    url: result.url ?? null,
  });
  return true;
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
      metadata: sql`(${content.metadata} - 'error') || ${JSON.stringify({ publish_result: { ...result, at: new Date().toISOString() } })}::jsonb`,
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

/** Due rows, oldest first: what the scheduler tick enqueues. */
export async function findDueContent(db: Db, limit = 5000) {
  return db
    .select({
      id: content.id,
      workspaceId: content.workspaceId,
      scheduledAt: content.scheduledAt,
      updatedAt: content.updatedAt,
    })
    .from(content)
    .where(and(eq(content.status, "scheduled"), lte(content.scheduledAt, sql`now()`)))
    .orderBy(asc(content.scheduledAt))
    .limit(limit);
}
