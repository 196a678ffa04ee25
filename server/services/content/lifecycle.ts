import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { type ContentStatus, content } from "@/server/db/schema";
import { ConflictError, ValidationError } from "@/server/errors";
import { publishEvent } from "@/server/events";
import { integrationEnabled } from "@/server/features";
import { enqueue } from "@/server/queue";
import { publishContentJob, publishJobId } from "@/server/queue/jobs/publish-content";
import { record } from "../activity";
import { assertMayActDirectly } from "../approvals/policy";
import type { WorkspaceServiceContext } from "../context";
import { isVideoPlatform, VIDEO_PLATFORMS } from "../integrations/platforms";
import { type ContentRow, getContentOrThrow } from "./content";
import { preflightPublish } from "./publish";

const VERB: Record<string, string> = {
  schedule: "scheduled",
  unschedule: "unscheduled",
  publishNow: "published",
  retry: "retried",
};

/**
 * Moves a row from one of `from` to `to` with a conditional UPDATE, so two people (or a person and
 * the scheduler) cannot both win. An illegal move is a CONFLICT that says why.
 */
async function transition(
  ctx: WorkspaceServiceContext,
  action: keyof typeof VERB,
  id: string,
  from: ContentStatus[],
  set: Partial<typeof content.$inferInsert>,
) {
  const [row] = await ctx.db
    .update(content)
    .set(set)
    .where(and(eq(content.id, id), eq(content.workspaceId, ctx.workspaceId), inArray(content.status, from)))
    .returning();
  if (!row) {
    const current = await getContentOrThrow(ctx.db, ctx.workspaceId, id);
    throw new ConflictError(
      `This item is ${current.status}; only ${from.join(" or ")} items can be ${VERB[action]}`,
    );
  }
  return row;
}

async function enqueuePublish(row: ContentRow) {
  const delayMs = row.scheduledAt ? Math.max(0, row.scheduledAt.getTime() - Date.now()) : 0;
  await enqueue(
    publishContentJob,
    { contentId: row.id, workspaceId: row.workspaceId },
    { jobId: publishJobId(row), delayMs },
  );
}

async function after(
  ctx: WorkspaceServiceContext,
  action: string,
  row: ContentRow,
  meta: Record<string, unknown> = {},
) {
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    `content.${action}`,
    { type: "content", id: row.id },
    {
      title: row.title,
      ...meta,
    },
  );
  await publishEvent({
    workspaceId: ctx.workspaceId,
    type: "content.changed",
    data: { id: row.id, status: row.status },
  });
}

/**
 * What stops this item from being published or scheduled, known without calling a platform, so the
 * editor can say it before anyone clicks (the same rule refuses the request on the server).
 */
export async function publishReadiness(db: Db, workspaceId: string, id: string) {
  const item = await getContentOrThrow(db, workspaceId, id);
  const platform = isVideoPlatform(item.type) ? VIDEO_PLATFORMS[item.type] : null;
  const blocker =
    platform?.publishBlocker && integrationEnabled(platform.id)
      ? await platform.publishBlocker(db, item)
      : null;
  return { blocker: blocker?.message ?? null };
}

export async function scheduleContent(
  ctx: WorkspaceServiceContext,
  input: { id: string; scheduledAt: Date },
) {
  if (input.scheduledAt.getTime() <= Date.now()) {
    throw new ValidationError("Pick a time in the future", { scheduledAt: ["Must be in the future"] });
  }
  await assertMayActDirectly(ctx, "schedule content");
  await preflightPublish(ctx.db, await getContentOrThrow(ctx.db, ctx.workspaceId, input.id));
  const row = await transition(ctx, "schedule", input.id, ["draft", "scheduled", "failed"], {
    status: "scheduled",
    scheduledAt: input.scheduledAt,
  });
  await enqueuePublish(row);
  await after(ctx, "scheduled", row, { scheduledAt: input.scheduledAt.toISOString() });
  return row;
}

export async function unscheduleContent(ctx: WorkspaceServiceContext, input: { id: string }) {
  const row = await transition(ctx, "unschedule", input.id, ["scheduled"], {
    status: "draft",
    scheduledAt: null,
  });
  await after(ctx, "unscheduled", row);
  return row;
}

/** Publishes as soon as a worker picks it up: the row becomes due now and is enqueued. */
export async function publishContentNow(ctx: WorkspaceServiceContext, input: { id: string }) {
  await assertMayActDirectly(ctx, "publish content");
  await preflightPublish(ctx.db, await getContentOrThrow(ctx.db, ctx.workspaceId, input.id));
  const row = await transition(ctx, "publishNow", input.id, ["draft", "scheduled"], {
    status: "scheduled",
    scheduledAt: sql`now()` as unknown as Date,
  });
  await enqueuePublish(row);
  await after(ctx, "publish_requested", row);
  return row;
}

export async function retryContent(ctx: WorkspaceServiceContext, input: { id: string }) {
  await assertMayActDirectly(ctx, "publish content");
  await preflightPublish(ctx.db, await getContentOrThrow(ctx.db, ctx.workspaceId, input.id));
  const row = await transition(ctx, "retry", input.id, ["failed"], {
    status: "scheduled",
    scheduledAt: sql`now()` as unknown as Date,
  });
  await enqueuePublish(row);
  await after(ctx, "retry_requested", row);
  return row;
}
