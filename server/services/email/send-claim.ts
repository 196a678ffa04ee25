import { type SQL, sql } from "drizzle-orm";
import { env } from "@/lib/env";
import type { Db } from "@/server/db";
import { rowsOf } from "@/server/db/raw-rows";
import { suppressionReasonSql } from "./suppressions";

/*
 * The sender's claims on due rows (`pending` → `sending`): taking a batch, and giving back the
 * claims of a dead worker. server/services/email/sender.ts sends what is claimed here.
 */

/**
 * A `sending` claim not refreshed for this long (EMAIL_STALE_CLAIM_MS) belongs to a dead worker and
 * goes back to `pending`. Living senders refresh their claims every claimHeartbeatMs(), so only a
 * crashed (or frozen for several heartbeats) worker's claims ever age this far.
 */
export function staleSendMs(): number {
  return env().EMAIL_STALE_CLAIM_MS;
}

/** How often a sender refreshes `claimed_at` on the rows it holds (at least 3 per stale period). */
export function claimHeartbeatMs(): number {
  return Math.min(env().EMAIL_CLAIM_HEARTBEAT_MS, staleSendMs() / 3);
}

export interface ClaimedRow {
  id: string;
  campaign_id: string;
  step_id: string;
  lead_id: string;
  to_address: string;
  attempts: number;
  lead_status: string;
  variant_id: string | null; // the A/B variant to send (null: the step's own content)
  lead_name: string | null;
  custom_fields: Record<string, unknown> | null;
  /** Why the address (or its domain) is on the suppression list, when it is: the row is not sent. */
  suppressed_reason: string | null;
}

/**
 * Claims up to `limit` due rows of the workspace (`pending` → `sending`) in one statement. `SKIP
 * LOCKED` lets any number of senders run side by side without ever taking the same row; rows of
 * campaigns that are not sending/active (paused, cancelled) are left alone.
 *
 * The live campaigns are an array computed first, not a join: joined, the planner guessed that few
 * rows would match and sorted every pending row of the table for each claim (5 ms at 10,000 rows,
 * growing with the campaign), instead of reading the first `limit` from the due index (0.4 ms).
 */
export async function claimDueSends(db: Db, workspaceId: string, limit: number): Promise<ClaimedRow[]> {
  return rowsOf<ClaimedRow>(await db.execute(claimDueSendsStatement(workspaceId, limit)));
}

/** The claim's statement (exported for its plan test). */
export function claimDueSendsStatement(workspaceId: string, limit: number): SQL {
  return sql`
    with due as (
      select s.id from email_sends s
      where s.workspace_id = ${workspaceId} and s.status = 'pending' and s.due_at <= now()
        and s.campaign_id = any(array(
          select c.id from email_campaigns c
          where c.workspace_id = ${workspaceId} and c.status in ('sending', 'active')))
      order by s.due_at
      limit ${limit}
      for update of s skip locked
    )
    update email_sends s set status = 'sending', claimed_at = now()
    from due, leads l
    where s.id = due.id and l.id = s.lead_id
    returning s.id, s.campaign_id, s.step_id, s.lead_id, s.to_address, s.attempts, s.variant_id,
      l.status as lead_status, l.name as lead_name, l.custom_fields,
      ${suppressionReasonSql(sql`s.workspace_id`, sql`s.to_address`)} as suppressed_reason`;
}

/**
 * Gives back `sending` claims whose worker died (not refreshed for `staleMs`). They were due
 * already; their due time moves a day back so the next claim takes them before anything else of
 * the workspace and a takeover is not stuck behind the rest of a large campaign.
 */
export async function reclaimStaleSends(db: Db, staleMs = staleSendMs()): Promise<number> {
  const result = await db.execute(sql`
    with r as (
      update email_sends set status = 'pending', claimed_at = null, due_at = due_at - interval '1 day'
      where status = 'sending' and claimed_at < now() - make_interval(secs => ${staleMs / 1000})
      returning 1
    ) select count(*)::int as n from r`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}
