import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import type { Db } from "@/server/db";
import type { content } from "@/server/db/schema";

/*
 * What a publisher is: the content types' publishers (blog, TikTok) implement it and the publish
 * job calls it. Kept apart from publish.ts so a publisher can import it without importing the job.
 */

type ContentRow = typeof content.$inferSelect;

export interface PublishContext {
  db: Db;
  content: ContentRow;
  workspace: { id: string; slug: string; name: string };
  log: Logger;
  /**
   * Waits between a platform's status checks (see `waitForPlatform`). The publish job sleeps
   * through the first seconds, then gives its worker slot back (throws `PublishWaiting`) and a
   * delayed check resumes from the state the publisher saved. Unset: it sleeps.
   */
  waitForPlatform?: (ms: number) => Promise<void>;
  /**
   * Set when this run is such a check: the wait the last run asked for (the backoff goes on from
   * it) and when the waiting began (the publisher's poll budget counts from then).
   */
  resumed?: { waitMs: number; since: number };
}

/** Waits `ms` before a platform's next status check, as the context says (a sleep by default). */
export function waitForPlatform(ctx: PublishContext, ms: number): Promise<void> {
  return ctx.waitForPlatform ? ctx.waitForPlatform(ms) : sleep(ms);
}

/** Where a publisher's status polling starts: its first wait and its deadline. */
export function pollPlan(
  ctx: PublishContext,
  timing: { pollBaseMs: number; pollMaxMs: number; pollBudgetMs: number },
) {
  return {
    wait: ctx.resumed ? Math.min(ctx.resumed.waitMs * 2, timing.pollMaxMs) : timing.pollBaseMs,
    deadline: (ctx.resumed?.since ?? Date.now()) + timing.pollBudgetMs,
  };
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
  /**
   * Metadata keys stored with the outcome in the same statement, e.g. the platform's final publish
   * state, instead of a write of their own just before it. Nothing here may be needed to resume:
   * a crash before the outcome is stored resumes from what the publisher saved earlier.
   */
  metadata?: Record<string, unknown>;
}

export type PreflightItem = Pick<ContentRow, "id" | "workspaceId" | "type" | "metadata"> & {
  /** Checked when given (an email's body must not be empty). */
  body?: string | null;
};

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

function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/** A failure the publisher understands: `retryable` says whether trying again could help. */
const PUBLISH_ERROR = Symbol.for("organic.PublishError");

export class PublishError extends Error {
  readonly [PUBLISH_ERROR] = true;
  constructor(
    message: string,
    readonly retryable: boolean,
    /**
     * Not before then: the platform said when trying again can help (YouTube's quota resets at
     * midnight Pacific). The item goes back to `scheduled` at that time instead of failing.
     */
    readonly retryAt?: Date,
  ) {
    super(message);
    this.name = "PublishError";
  }

  /**
   * A production build may hold this module more than once (one copy per server entry: the route
   * that enqueued a publish and the boot that runs jobs), so `instanceof` checks a brand, not the
   * class identity — else a permanent failure thrown by one copy reads as retryable in the other.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, PUBLISH_ERROR);
  }
}

const PUBLISH_WAITING = Symbol.for("organic.PublishWaiting");

/**
 * Not a failure: the platform has the post and is still processing it, and this run gives its
 * worker slot back instead of sleeping on. `waitMs`: when to check again. Thrown by the publish
 * job's `waitForPlatform`; publishers let it pass (branded like PublishError, for the same reason).
 */
export class PublishWaiting extends Error {
  readonly [PUBLISH_WAITING] = true;
  constructor(readonly waitMs: number) {
    super(`still processing; checking again in ${waitMs} ms`);
    this.name = "PublishWaiting";
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, PUBLISH_WAITING);
  }
}
