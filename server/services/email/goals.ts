import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/server/db";
import {
  campaignEnrollments,
  ENROLLMENT_EXIT_REASONS,
  type EnrollmentExitReason,
  emailCampaigns,
  emailSends,
  leads,
} from "@/server/db/schema";
import { NotFoundError, ValidationError } from "@/server/errors";
import { logActivity, record } from "../activity";
import type { WorkspaceServiceContext } from "../context";

/**
 * Goals on sequences and triggered campaigns (issue 19, point 7): a lead who converts (an order from
 * the address mailed) or replies (the bounce mailbox saw the reply) leaves every active enrolment
 * of a campaign whose `goals` ask for it. The enrolment becomes `exited` with the reason, and the
 * lead's pending sends of that campaign are suppressed with the reason in words.
 */

export type GoalReached = "order" | "reply";

const REASON = { order: "converted", reply: "replied" } as const;
const WORDS = {
  order: "Not sent: the lead placed an order (the campaign's goal)",
  reply: "Not sent: the lead replied (the campaign's goal)",
} as const;
const GOAL_KEY = { order: "stopOnOrder", reply: "stopOnReply" } as const;

/** Orders that do not count as converting. */
const NOT_A_SALE = /cancel|refund|fail|declin|void/i;

/**
 * Exits the lead's active enrolments of campaigns with the goal on; returns the campaigns it left.
 * Safe to call twice: the second finds no active enrolment.
 */
export async function exitOnGoal(
  db: Db,
  p: { workspaceId: string; leadId: string; goal: GoalReached; detail?: Record<string, unknown> },
): Promise<string[]> {
  const key = GOAL_KEY[p.goal];
  return db.transaction(async (tx) => {
    const exited = await tx
      .update(campaignEnrollments)
      .set({ status: "exited", exitReason: REASON[p.goal], exitedAt: sql`now()` as unknown as Date })
      .where(
        and(
          eq(campaignEnrollments.workspaceId, p.workspaceId),
          eq(campaignEnrollments.leadId, p.leadId),
          eq(campaignEnrollments.status, "active"),
          inArray(
            campaignEnrollments.campaignId,
            tx
              .select({ id: emailCampaigns.id })
              .from(emailCampaigns)
              .where(
                and(
                  eq(emailCampaigns.workspaceId, p.workspaceId),
                  sql`coalesce((${emailCampaigns.goals} ->> ${key})::boolean, false)`,
                ),
              ),
          ),
        ),
      )
      .returning({ campaignId: campaignEnrollments.campaignId });
    const campaignIds = exited.map((e) => e.campaignId);
    if (campaignIds.length === 0) return [];
    await tx
      .update(emailSends)
      .set({ status: "suppressed", error: WORDS[p.goal] })
      .where(
        and(
          eq(emailSends.workspaceId, p.workspaceId),
          eq(emailSends.leadId, p.leadId),
          inArray(emailSends.campaignId, campaignIds),
          eq(emailSends.status, "pending"),
        ),
      );
    for (const campaignId of campaignIds)
      await logActivity(tx, {
        workspaceId: p.workspaceId,
        userId: null,
        action: "campaign.goal_reached",
        entityType: "campaign",
        entityId: campaignId,
        metadata: { leadId: p.leadId, reason: REASON[p.goal], ...p.detail },
      });
    return campaignIds;
  });
}

/**
 * After an order is stored: the lead with the buyer's address (in the order's workspace) has
 * converted. Orders without an address, cancelled or refunded ones, and buyers who are no lead
 * change nothing.
 */
export async function exitOnOrder(
  db: Db,
  p: { workspaceId: string; email: string | null | undefined; status: string; orderId: string },
): Promise<string[]> {
  const email = p.email?.trim().toLowerCase();
  if (!email || NOT_A_SALE.test(p.status)) return [];
  const [lead] = await db
    .select({ id: leads.id })
    .from(leads)
    .where(and(eq(leads.workspaceId, p.workspaceId), eq(leads.email, email)));
  if (!lead) return [];
  return exitOnGoal(db, {
    workspaceId: p.workspaceId,
    leadId: lead.id,
    goal: "order",
    detail: { orderId: p.orderId },
  });
}

export const campaignGoalsInput = z.object({
  id: z.uuid(),
  stopOnOrder: z.boolean(),
  stopOnReply: z.boolean(),
});
export type CampaignGoals = { stopOnOrder: boolean; stopOnReply: boolean };

async function goalsRow(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select({
      id: emailCampaigns.id,
      type: emailCampaigns.type,
      goals: emailCampaigns.goals,
      name: emailCampaigns.name,
    })
    .from(emailCampaigns)
    .where(and(eq(emailCampaigns.id, id), eq(emailCampaigns.workspaceId, workspaceId)));
  if (!row) throw new NotFoundError("Campaign not found");
  return row;
}

/** The campaign's goals (both off unless set). */
export async function getCampaignGoals(db: Db, workspaceId: string, id: string): Promise<CampaignGoals> {
  const row = await goalsRow(db, workspaceId, id);
  return { stopOnOrder: row.goals?.stopOnOrder === true, stopOnReply: row.goals?.stopOnReply === true };
}

/**
 * Sets the goals of a sequence or triggered campaign (at any status: a goal only ever stops mail).
 * A lead who already converted before the goal was switched on is not looked back at.
 */
export async function updateCampaignGoals(
  ctx: WorkspaceServiceContext,
  input: z.infer<typeof campaignGoalsInput>,
): Promise<CampaignGoals> {
  const row = await goalsRow(ctx.db, ctx.workspaceId, input.id);
  if (row.type === "one-time")
    throw new ValidationError("Goals apply to sequences and triggered campaigns, not a one-time send", {
      goals: ["Only for sequences and triggered campaigns"],
    });
  const goals = { stopOnOrder: input.stopOnOrder, stopOnReply: input.stopOnReply };
  await ctx.db
    .update(emailCampaigns)
    .set({ goals, updatedAt: sql`now()` as unknown as Date })
    .where(and(eq(emailCampaigns.id, input.id), eq(emailCampaigns.workspaceId, ctx.workspaceId)));
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "campaign.goals_updated",
    { type: "campaign", id: input.id },
    goals,
  );
  return goals;
}

export type EnrollmentExits = Record<EnrollmentExitReason, number> & { active: number; completed: number };

/**
 * How the leads of a sequence or triggered campaign left it, by reason (the campaign report); null
 * for a one-time campaign (it has no enrolments).
 */
export async function enrollmentExits(
  db: Db,
  workspaceId: string,
  campaignId: string,
): Promise<EnrollmentExits | null> {
  const rows = await db
    .select({
      status: campaignEnrollments.status,
      reason: campaignEnrollments.exitReason,
      n: sql<number>`count(*)::int`,
    })
    .from(campaignEnrollments)
    .where(
      and(eq(campaignEnrollments.workspaceId, workspaceId), eq(campaignEnrollments.campaignId, campaignId)),
    )
    .groupBy(campaignEnrollments.status, campaignEnrollments.exitReason);
  if (rows.length === 0) return null;
  const out: EnrollmentExits = {
    active: 0,
    completed: 0,
    ...Object.fromEntries(ENROLLMENT_EXIT_REASONS.map((r) => [r, 0])),
  } as EnrollmentExits;
  for (const r of rows) {
    const n = Number(r.n);
    if (r.status === "active") out.active += n;
    else if (r.status === "completed") out.completed += n;
    else if (r.reason && r.reason in out) out[r.reason] += n;
    else out.removed += n;
  }
  return out;
}
