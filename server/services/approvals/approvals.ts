import "server-only";
import { and, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/server/db";
import {
  type ApprovalEntityType,
  approvalRequests,
  content,
  emailCampaigns,
  users,
  workspaceMembers,
  workspaces,
} from "@/server/db/schema";
import {
  ConflictError,
  ForbiddenError,
  isUniqueViolation,
  NotFoundError,
  ValidationError,
} from "@/server/errors";
import { publishEvent } from "@/server/events";
import { record } from "../activity";
import { getContentOrThrow } from "../content/content";
import { publishContentNow, retryContent, scheduleContent } from "../content/lifecycle";
import { preflightPublish } from "../content/publish";
import type { WorkspaceServiceContext } from "../context";
import { getCampaignOrThrow, scheduleCampaign, sendCampaignNow } from "../email/campaigns";
import { notifyWorkspace } from "../notifications";
import { hasRole } from "../workspaces/roles";
import { approvalRequiredFor } from "./policy";
import type { SubmitApprovalInput } from "./schemas";

type ApprovalRow = typeof approvalRequests.$inferSelect;

const ACTION_LABEL = {
  content: { publish: "publish", schedule: "schedule", send: "send" },
  campaign: { publish: "send", schedule: "schedule", send: "send" },
} as const;

function describeRequest(row: Pick<ApprovalRow, "entityType" | "action" | "scheduledAt">) {
  const verb = ACTION_LABEL[row.entityType][row.action];
  return row.scheduledAt ? `${verb} at ${row.scheduledAt.toISOString()}` : `${verb} now`;
}

async function workspaceSlug(db: Db, workspaceId: string) {
  const [ws] = await db
    .select({ slug: workspaces.slug })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  if (!ws) throw new NotFoundError("Workspace not found");
  return ws.slug;
}

function linkOf(slug: string, entityType: ApprovalEntityType, entityId: string) {
  return entityType === "content" ? `/${slug}/content/${entityId}` : `/${slug}/email/${entityId}`;
}

/** The title of the item, after checking it exists in this workspace and may be asked for. */
async function checkSubmittable(ctx: WorkspaceServiceContext, input: SubmitApprovalInput): Promise<string> {
  if ((input.action === "schedule") !== (input.scheduledAt !== undefined)) {
    throw new ValidationError("A scheduled request needs a time (and only a scheduled one)", {
      scheduledAt: ["Needed to schedule"],
    });
  }
  if (input.scheduledAt && input.scheduledAt.getTime() <= Date.now()) {
    throw new ValidationError("Pick a time in the future", { scheduledAt: ["Must be in the future"] });
  }
  if (input.entityType === "content") {
    const item = await getContentOrThrow(ctx.db, ctx.workspaceId, input.entityId);
    if (!["draft", "scheduled", "failed"].includes(item.status)) {
      throw new ConflictError(`This item is ${item.status}; only drafts can be submitted for approval`);
    }
    // Refuse now what the publish would refuse later (e.g. a TikTok post without a video).
    await preflightPublish(ctx.db, item);
    return item.title;
  }
  const campaign = await getCampaignOrThrow(ctx.db, ctx.workspaceId, input.entityId);
  if (campaign.type !== "one-time") {
    throw new ConflictError("Only one-time campaigns are sent, so only they are submitted for approval");
  }
  if (campaign.status !== "draft" && campaign.status !== "scheduled") {
    throw new ConflictError(`This campaign is ${campaign.status}; only drafts can be submitted for approval`);
  }
  return campaign.name;
}

async function adminIds(db: Db, workspaceId: string) {
  const rows = await db
    .select({ userId: workspaceMembers.userId })
    .from(workspaceMembers)
    .where(
      and(eq(workspaceMembers.workspaceId, workspaceId), inArray(workspaceMembers.role, ["owner", "admin"])),
    );
  return rows.map((r) => r.userId);
}

/** Open content pages refresh (campaign pages refetch on their own). */
async function changed(workspaceId: string, entityType: ApprovalEntityType, id: string) {
  if (entityType === "content") await publishEvent({ workspaceId, type: "content.changed", data: { id } });
}

/**
 * A member asks an admin to publish, schedule or send. The item is left as it is (a draft) until an
 * admin approves; one pending request per item. The workspace's admins and owners are notified.
 */
export async function submitForApproval(ctx: WorkspaceServiceContext, input: SubmitApprovalInput) {
  const title = await checkSubmittable(ctx, input);
  if (!(await approvalRequiredFor(ctx))) {
    throw new ConflictError("No approval is needed here: publish, schedule or send it directly");
  }
  let row: ApprovalRow;
  try {
    [row] = (await ctx.db
      .insert(approvalRequests)
      .values({
        workspaceId: ctx.workspaceId,
        entityType: input.entityType,
        entityId: input.entityId,
        action: input.action,
        scheduledAt: input.scheduledAt ?? null,
        requestedBy: ctx.actor.userId,
      })
      .returning()) as [ApprovalRow];
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError("This is already awaiting approval");
    throw err;
  }
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "approval.submitted",
    { type: input.entityType, id: input.entityId },
    { approvalId: row.id, action: input.action, title, scheduledAt: row.scheduledAt?.toISOString() ?? null },
  );
  const slug = await workspaceSlug(ctx.db, ctx.workspaceId);
  await notifyWorkspace(
    ctx.db,
    {
      workspaceId: ctx.workspaceId,
      kind: "approval.requested",
      title: `Approval requested: ${title}`.slice(0, 255),
      body: `Asked to ${describeRequest(row)}. Approve or reject it in Approvals.`,
      link: `/${slug}/approvals`,
    },
    { onlyUserIds: await adminIds(ctx.db, ctx.workspaceId) },
  );
  await changed(ctx.workspaceId, input.entityType, input.entityId);
  return row;
}

async function decide(
  ctx: WorkspaceServiceContext,
  id: string,
  set: Partial<typeof approvalRequests.$inferInsert>,
) {
  if (!ctx.actorRole || !hasRole(ctx.actorRole, "admin")) {
    throw new ForbiddenError("Only an admin or owner can approve or reject");
  }
  const [row] = await ctx.db
    .update(approvalRequests)
    .set({ ...set, decidedBy: ctx.actor.userId, decidedAt: sql`now()` as unknown as Date })
    .where(
      and(
        eq(approvalRequests.id, id),
        eq(approvalRequests.workspaceId, ctx.workspaceId),
        eq(approvalRequests.status, "pending"),
      ),
    )
    .returning();
  if (row) return row;
  const [current] = await ctx.db
    .select({ status: approvalRequests.status })
    .from(approvalRequests)
    .where(and(eq(approvalRequests.id, id), eq(approvalRequests.workspaceId, ctx.workspaceId)));
  if (!current) throw new NotFoundError("Approval request not found");
  throw new ConflictError(`This request was already ${current.status}`);
}

/** Performs what was asked, as the approving admin, through the same paths as a direct action. */
async function perform(ctx: WorkspaceServiceContext, row: ApprovalRow) {
  if (row.entityType === "content") {
    if (row.action === "schedule" && row.scheduledAt) {
      return scheduleContent(ctx, { id: row.entityId, scheduledAt: row.scheduledAt });
    }
    const item = await getContentOrThrow(ctx.db, ctx.workspaceId, row.entityId);
    return item.status === "failed"
      ? retryContent(ctx, { id: row.entityId })
      : publishContentNow(ctx, { id: row.entityId });
  }
  if (row.action === "schedule" && row.scheduledAt) {
    return scheduleCampaign(ctx, { id: row.entityId, sendAt: row.scheduledAt });
  }
  return sendCampaignNow(ctx, { id: row.entityId });
}

/**
 * An admin approves: the request is claimed (so two admins cannot both act), then the action is
 * performed; if the action is refused (say the time has passed) the request is pending again.
 */
export async function approveRequest(ctx: WorkspaceServiceContext, input: { id: string }) {
  const row = await decide(ctx, input.id, { status: "approved" });
  try {
    await perform(ctx, row);
  } catch (err) {
    await ctx.db
      .update(approvalRequests)
      .set({ status: "pending", decidedBy: null, decidedAt: null })
      .where(and(eq(approvalRequests.id, row.id), eq(approvalRequests.workspaceId, ctx.workspaceId)));
    throw err;
  }
  const title = await entityTitle(ctx.db, ctx.workspaceId, row);
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "approval.approved",
    { type: row.entityType, id: row.entityId },
    { approvalId: row.id, action: row.action, title },
  );
  if (row.requestedBy) {
    await notifyWorkspace(
      ctx.db,
      {
        workspaceId: ctx.workspaceId,
        kind: "approval.approved",
        title: `Approved: ${title}`.slice(0, 255),
        body: `An admin approved your request to ${describeRequest(row)}.`,
        link: linkOf(await workspaceSlug(ctx.db, ctx.workspaceId), row.entityType, row.entityId),
      },
      { onlyUserIds: [row.requestedBy] },
    );
  }
  await changed(ctx.workspaceId, row.entityType, row.entityId);
  return row;
}

/** An admin rejects with a reason: the item stays a draft and its author sees why. */
export async function rejectRequest(ctx: WorkspaceServiceContext, input: { id: string; reason: string }) {
  const row = await decide(ctx, input.id, { status: "rejected", reason: input.reason });
  const title = await entityTitle(ctx.db, ctx.workspaceId, row);
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "approval.rejected",
    { type: row.entityType, id: row.entityId },
    { approvalId: row.id, action: row.action, title, reason: input.reason },
  );
  if (row.requestedBy) {
    await notifyWorkspace(
      ctx.db,
      {
        workspaceId: ctx.workspaceId,
        kind: "approval.rejected",
        title: `Not approved: ${title}`.slice(0, 255),
        body: input.reason,
        link: linkOf(await workspaceSlug(ctx.db, ctx.workspaceId), row.entityType, row.entityId),
      },
      { onlyUserIds: [row.requestedBy] },
    );
  }
  await changed(ctx.workspaceId, row.entityType, row.entityId);
  return row;
}

/** The author takes back a pending request (or an admin clears it). */
export async function withdrawRequest(ctx: WorkspaceServiceContext, input: { id: string }) {
  const [row] = await ctx.db
    .update(approvalRequests)
    .set({ status: "withdrawn", decidedBy: ctx.actor.userId, decidedAt: sql`now()` as unknown as Date })
    .where(
      and(
        eq(approvalRequests.id, input.id),
        eq(approvalRequests.workspaceId, ctx.workspaceId),
        eq(approvalRequests.status, "pending"),
        ctx.actorRole && hasRole(ctx.actorRole, "admin")
          ? undefined
          : ctx.actor.userId
            ? eq(approvalRequests.requestedBy, ctx.actor.userId)
            : sql`false`,
      ),
    )
    .returning();
  if (!row) throw new NotFoundError("No pending request of yours to withdraw");
  await record(ctx.db, ctx.actor, ctx.workspaceId, "approval.withdrawn", {
    type: row.entityType,
    id: row.entityId,
  });
  await changed(ctx.workspaceId, row.entityType, row.entityId);
  return row;
}

async function entityTitle(db: Db, workspaceId: string, row: Pick<ApprovalRow, "entityType" | "entityId">) {
  if (row.entityType === "content") {
    const [item] = await db
      .select({ title: content.title })
      .from(content)
      .where(and(eq(content.id, row.entityId), eq(content.workspaceId, workspaceId)));
    return item?.title ?? "Deleted item";
  }
  const [campaign] = await db
    .select({ name: emailCampaigns.name })
    .from(emailCampaigns)
    .where(and(eq(emailCampaigns.id, row.entityId), eq(emailCampaigns.workspaceId, workspaceId)));
  return campaign?.name ?? "Deleted campaign";
}

const requester = alias(users, "requester");
const decider = alias(users, "decider");

/** The workspace's requests (pending, or the last decided ones), with the item's title and type. */
export async function listApprovals(db: Db, workspaceId: string, input: { status: "pending" | "decided" }) {
  const rows = await db
    .select({
      id: approvalRequests.id,
      entityType: approvalRequests.entityType,
      entityId: approvalRequests.entityId,
      action: approvalRequests.action,
      scheduledAt: approvalRequests.scheduledAt,
      status: approvalRequests.status,
      reason: approvalRequests.reason,
      createdAt: approvalRequests.createdAt,
      decidedAt: approvalRequests.decidedAt,
      requestedBy: requester.name,
      requestedByEmail: requester.email,
      decidedBy: decider.name,
      contentTitle: content.title,
      contentType: content.type,
      campaignName: emailCampaigns.name,
    })
    .from(approvalRequests)
    .leftJoin(requester, eq(requester.id, approvalRequests.requestedBy))
    .leftJoin(decider, eq(decider.id, approvalRequests.decidedBy))
    .leftJoin(
      content,
      and(
        eq(approvalRequests.entityType, "content"),
        eq(content.id, approvalRequests.entityId),
        eq(content.workspaceId, approvalRequests.workspaceId),
      ),
    )
    .leftJoin(
      emailCampaigns,
      and(
        eq(approvalRequests.entityType, "campaign"),
        eq(emailCampaigns.id, approvalRequests.entityId),
        eq(emailCampaigns.workspaceId, approvalRequests.workspaceId),
      ),
    )
    .where(
      and(
        eq(approvalRequests.workspaceId, workspaceId),
        input.status === "pending"
          ? eq(approvalRequests.status, "pending")
          : ne(approvalRequests.status, "pending"),
      ),
    )
    .orderBy(desc(approvalRequests.createdAt))
    .limit(100);
  return rows.map(({ contentTitle, campaignName, ...r }) => ({
    ...r,
    title: contentTitle ?? campaignName ?? (r.entityType === "content" ? "Deleted item" : "Deleted campaign"),
  }));
}

/** The latest request for one item (pending, or the last decision), for its editor; null if none. */
export async function latestApprovalFor(
  db: Db,
  workspaceId: string,
  input: { entityType: ApprovalEntityType; entityId: string },
) {
  const [row] = await db
    .select({
      id: approvalRequests.id,
      action: approvalRequests.action,
      scheduledAt: approvalRequests.scheduledAt,
      status: approvalRequests.status,
      reason: approvalRequests.reason,
      createdAt: approvalRequests.createdAt,
      decidedAt: approvalRequests.decidedAt,
      requestedById: approvalRequests.requestedBy,
      requestedBy: requester.name,
    })
    .from(approvalRequests)
    .leftJoin(requester, eq(requester.id, approvalRequests.requestedBy))
    .where(
      and(
        eq(approvalRequests.workspaceId, workspaceId),
        eq(approvalRequests.entityType, input.entityType),
        eq(approvalRequests.entityId, input.entityId),
      ),
    )
    .orderBy(desc(approvalRequests.createdAt))
    .limit(1);
  return row ?? null;
}

/** Ids of the items of one kind awaiting approval (for the lists' badges), and their count. */
export async function pendingApprovalIds(
  db: Db,
  workspaceId: string,
  input: { entityType: ApprovalEntityType },
) {
  const rows = await db
    .select({ entityId: approvalRequests.entityId })
    .from(approvalRequests)
    .where(
      and(
        eq(approvalRequests.workspaceId, workspaceId),
        eq(approvalRequests.entityType, input.entityType),
        eq(approvalRequests.status, "pending"),
      ),
    )
    .limit(1000);
  return rows.map((r) => r.entityId);
}
