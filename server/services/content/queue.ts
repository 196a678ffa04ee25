import "server-only";
import { and, eq, gt, inArray, ne } from "drizzle-orm";
import type { Db } from "@/server/db";
import { approvalRequests, content, workspaces } from "@/server/db/schema";
import { ConflictError, NotFoundError, ValidationError } from "@/server/errors";
import { submitForApproval } from "../approvals/approvals";
import { approvalRequiredFor } from "../approvals/policy";
import type { WorkspaceServiceContext } from "../context";
import { getPublishingSettings } from "../workspaces/publishing";
import { getContentOrThrow } from "./content";
import { scheduleContent } from "./lifecycle";
import { nextFreeSlot } from "./queue-slots";

/**
 * Times already taken in the workspace's queue after `now`: items scheduled then and pending
 * requests to schedule then. One queue per workspace, whatever the platform: two posts never go
 * out at the same slot.
 */
async function takenTimes(db: Db, workspaceId: string, exceptId: string, now: Date) {
  const [scheduled, requested] = await Promise.all([
    db
      .select({ at: content.scheduledAt })
      .from(content)
      .where(
        and(
          eq(content.workspaceId, workspaceId),
          inArray(content.status, ["scheduled", "publishing"]),
          gt(content.scheduledAt, now),
          ne(content.id, exceptId),
        ),
      ),
    db
      .select({ at: approvalRequests.scheduledAt })
      .from(approvalRequests)
      .where(
        and(
          eq(approvalRequests.workspaceId, workspaceId),
          eq(approvalRequests.status, "pending"),
          gt(approvalRequests.scheduledAt, now),
          ne(approvalRequests.entityId, exceptId),
        ),
      ),
  ]);
  return [...scheduled, ...requested].flatMap((r) => (r.at ? [r.at] : []));
}

/** The next free slot of the workspace's queue after `now`; null when every slot is taken. */
export async function findNextQueueSlot(db: Db, workspaceId: string, exceptId: string, now = new Date()) {
  const [ws] = await db
    .select({ timeZone: workspaces.timeZone })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  if (!ws) throw new NotFoundError("Workspace not found");
  const { slots } = await getPublishingSettings(db, workspaceId);
  if (slots.length === 0) {
    throw new ValidationError(
      "No posting slots are set up yet: an admin adds them in Settings → Posting queue",
    );
  }
  const taken = await takenTimes(db, workspaceId, exceptId, now);
  return nextFreeSlot({ slots, timeZone: ws.timeZone, taken, now });
}

/**
 * "Add to queue": schedules the item at the next free slot, through the same path as scheduling it
 * by hand. A member of a workspace that requires approval submits that time for approval instead.
 */
export async function addToQueue(ctx: WorkspaceServiceContext, input: { id: string }) {
  await getContentOrThrow(ctx.db, ctx.workspaceId, input.id);
  const slot = await findNextQueueSlot(ctx.db, ctx.workspaceId, input.id);
  if (!slot) {
    throw new ConflictError("Every slot of the coming year is taken: add slots in Settings → Posting queue");
  }
  if (await approvalRequiredFor(ctx)) {
    const approval = await submitForApproval(ctx, {
      entityType: "content",
      entityId: input.id,
      action: "schedule",
      scheduledAt: slot,
    });
    return {
      slot,
      submitted: true as const,
      item: await getContentOrThrow(ctx.db, ctx.workspaceId, input.id),
      approval,
    };
  }
  const item = await scheduleContent(ctx, { id: input.id, scheduledAt: slot });
  return { slot, submitted: false as const, item, approval: null };
}
