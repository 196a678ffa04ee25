import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { campaignEnrollments, campaignSteps, emailCampaigns, emailSends, leads } from "@/server/db/schema";
import { compileSegmentCriteria } from "../segments/compile";
import { segmentCriteriaSchema } from "../segments/criteria-schemas";
import { notSuppressed } from "./audience";
import { stepDueAt } from "./step-delay";

function rowCount(result: unknown): number {
  const r = result as { rows?: unknown[]; rowCount?: number | null; affectedRows?: number };
  return r.rows?.length ?? r.rowCount ?? r.affectedRows ?? 0;
}

/**
 * Enrols every active lead that matches the sequence's segment and is not enrolled yet, and writes
 * its ledger rows (one per step, due at enrolment + the step's delay) in the same statement. The
 * UNIQUE constraints on enrolments and sends make a second run, or a concurrent one, a no-op — each
 * step reaches a lead at most once. Returns how many leads were newly enrolled.
 */
export async function enrollSequenceAudience(
  db: Db,
  campaign: { id: string; workspaceId: string; segmentCriteria: Record<string, unknown> },
): Promise<number> {
  const parsed = segmentCriteriaSchema.safeParse(campaign.segmentCriteria);
  const criteria = parsed.success ? parsed.data : { match: "all" as const, conditions: [] };
  const ws = campaign.workspaceId;
  const result = await db.execute(sql`
    with enrolled as (
      insert into ${campaignEnrollments} (workspace_id, campaign_id, lead_id)
      select ${ws}::uuid, ${campaign.id}::uuid, ${leads.id}
      from ${leads}
      where ${and(eq(leads.workspaceId, ws), eq(leads.status, "active"), compileSegmentCriteria(criteria, { workspaceId: ws }), notSuppressed(ws))}
      on conflict (campaign_id, lead_id) do nothing
      returning lead_id, enrolled_at
    ), queued as (
      insert into ${emailSends} (workspace_id, campaign_id, step_id, lead_id, to_address, due_at)
      select ${ws}::uuid, ${campaign.id}::uuid, s.id, e.lead_id, l.email, ${stepDueAt(sql`e.enrolled_at`, sql`s.delay_minutes`)}
      from enrolled e
      join ${leads} l on l.id = e.lead_id and l.workspace_id = ${ws}
      join ${campaignSteps} s on s.campaign_id = ${campaign.id} and s.workspace_id = ${ws}
      on conflict (campaign_id, step_id, lead_id) do nothing
    )
    select lead_id from enrolled`);
  return rowCount(result);
}

/** The repeating enroller: every active sequence, each scoped to its own workspace. */
export async function enrollActiveSequences(db: Db) {
  const active = await db
    .select({
      id: emailCampaigns.id,
      workspaceId: emailCampaigns.workspaceId,
      segmentCriteria: emailCampaigns.segmentCriteria,
    })
    .from(emailCampaigns)
    .where(and(eq(emailCampaigns.type, "sequence"), eq(emailCampaigns.status, "active")));
  let enrolled = 0;
  for (const c of active) enrolled += await enrollSequenceAudience(db, c);
  return { campaigns: active.length, enrolled };
}
