import { sql } from "drizzle-orm";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { QUEUES } from "@/server/queue/types";
import { MAX_CONNECTIONS } from "./transport";

/** First retry delay after a temporary failure; doubles with every attempt (5 s, 10 s, 20 s, …). */
export const RETRY_BASE_MS = env().EMAIL_RETRY_BASE_MS ?? QUEUES.email.backoffMs;
export const MAX_SEND_ATTEMPTS = QUEUES.email.attempts;

/**
 * Accepted messages (SMTP 250) one worker process may hold before their `sent` mark is committed.
 * Together with the SMTP pool it bounds what a crash can send twice (MAX_DUPLICATES_PER_CRASH).
 */
export const UNRECORDED_MAX = env().EMAIL_SEND_UNRECORDED_MAX;
/** How long an accepted message may wait for the next batched `sent` write. */
export const RECORD_FLUSH_MS = env().EMAIL_SEND_RECORD_FLUSH_MS;

/**
 * Messages a killed worker can have sent without recording it, so that they go out a second time
 * after its claims are taken over: those on the wire (one per pooled SMTP connection) plus those
 * accepted but not yet written. Every transport hand-over holds one of this many slots per
 * process until its outcome is committed, so the bound holds whatever the timing.
 */
export const MAX_DUPLICATES_PER_CRASH =
  (Number.isFinite(MAX_CONNECTIONS) && MAX_CONNECTIONS > 0 ? MAX_CONNECTIONS : 10) + UNRECORDED_MAX;

export type Outcome = { id: string; workspaceId: string } & (
  | { kind: "sent"; messageId: string; delivered: boolean }
  | { kind: "bounced"; error: string }
  | { kind: "retry"; error: string }
  | { kind: "suppressed"; error: string }
  /** Claimed, but the campaign was paused or cancelled before it went out: back to pending. */
  | { kind: "released" }
);

/**
 * The rows' ids as one `uuid[]` parameter, for `s.id = any(…)`: the rows are fetched through the
 * primary key. Without it the planner may read every `sending` row of the table (thousands while a
 * big campaign runs) for a write of a few messages.
 */
const idsOf = (outcomes: Outcome[]) => sql`${`{${outcomes.map((o) => o.id).join(",")}}`}::uuid[]`;

/**
 * "Still claimed", written so that it does not match the partial index on `sending` rows: the
 * statistics taken when a campaign starts say no row is `sending`, so the planner would pick that
 * index (and filter thousands of rows) over the primary-key lookup of the few ids written.
 */
const STILL_CLAIMED = sql`coalesce(s.status, '') = 'sending'`;

/**
 * A permanent SMTP rejection is a hard bounce (as in services/email/bounces.ts): besides the lead,
 * the address is suppressed, the lead's other pending sends are suppressed and its sequences exited.
 * CTEs of the `bounced` statement that read `upd` (the rows just marked bounced).
 */
const HARD_BOUNCE_STOPS_MAIL = sql`supp as (
        insert into email_suppressions (workspace_id, kind, value, reason, note, lead_id, campaign_id)
        select distinct on (workspace_id, lower(to_address)) workspace_id, 'address', left(lower(to_address), 320),
          'bounced', left(error, 2000), lead_id, campaign_id from upd
        on conflict (workspace_id, kind, value) do nothing
      ), pending_upd as (
        update email_sends p set status = 'suppressed', error = 'Not sent: the lead bounced'
        from upd where p.workspace_id = upd.workspace_id and p.lead_id = upd.lead_id and p.status = 'pending'
      ), enrol_upd as (
        update campaign_enrollments e set status = 'exited', exit_reason = 'bounced', exited_at = now()
        from upd where e.workspace_id = upd.workspace_id and e.lead_id = upd.lead_id and e.status = 'active'
      )`;

/**
 * Writes outcomes: at most one statement per kind, each guarded by `status = 'sending'` (a row
 * given back and re-claimed meanwhile is not overwritten by a late writer) and scoped by workspace.
 */
export async function recordOutcomes(db: Db, outcomes: Outcome[]) {
  const of = <K extends Outcome["kind"]>(kind: K) =>
    outcomes.filter((o): o is Extract<Outcome, { kind: K }> => o.kind === kind);
  const sent = of("sent");
  if (sent.length) {
    await db.execute(sql`
      with v as (
        select * from jsonb_to_recordset(${JSON.stringify(sent)}::jsonb)
          as v(id uuid, "workspaceId" uuid, "messageId" text, delivered boolean)
      )
      update email_sends s set status = 'sent', sent_at = now(), claimed_at = null,
        message_id = left(v."messageId", 255), delivered = v.delivered, error = null
      from v where s.id = any(${idsOf(sent)}) and s.id = v.id and s.workspace_id = v."workspaceId"
        and ${STILL_CLAIMED}`);
  }
  const bounced = of("bounced");
  if (bounced.length) {
    await db.execute(sql`
      with v as (
        select * from jsonb_to_recordset(${JSON.stringify(bounced)}::jsonb)
          as v(id uuid, "workspaceId" uuid, error text)
      ), upd as (
        update email_sends s set status = 'bounced', claimed_at = null, attempts = s.attempts + 1, error = v.error
        from v where s.id = any(${idsOf(bounced)}) and s.id = v.id and s.workspace_id = v."workspaceId"
          and ${STILL_CLAIMED}
        returning s.id, s.workspace_id, s.campaign_id, s.lead_id, s.to_address, v.error
      ), lead_upd as (
        update leads l set status = 'bounced', updated_at = now()
        from upd where l.id = upd.lead_id and l.workspace_id = upd.workspace_id and l.status in ('active', 'pending')
        returning l.id
      ), ${HARD_BOUNCE_STOPS_MAIL}, act as (
        insert into activity_logs (workspace_id, action, entity_type, entity_id, metadata)
        select upd.workspace_id, 'lead.bounced', 'lead', upd.lead_id, jsonb_build_object('sendId', upd.id,
          'campaignId', upd.campaign_id, 'source', 'smtp', 'bounceType', 'hard', 'detail', left(upd.error, 2000))
        from upd join lead_upd on lead_upd.id = upd.lead_id
      )
      insert into email_events (workspace_id, send_id, campaign_id, lead_id, type, bounce_type, source, detail)
      select workspace_id, id, campaign_id, lead_id, 'bounce', 'hard', 'smtp', left(error, 2000) from upd`);
  }
  const retry = of("retry");
  if (retry.length) {
    await db.execute(sql`
      with v as (
        select * from jsonb_to_recordset(${JSON.stringify(retry)}::jsonb)
          as v(id uuid, "workspaceId" uuid, error text)
      )
      update email_sends s set
        status = case when s.attempts + 1 >= ${MAX_SEND_ATTEMPTS} then 'failed' else 'pending' end,
        attempts = s.attempts + 1,
        due_at = now() + make_interval(secs => ${RETRY_BASE_MS / 1000} * power(2, s.attempts)),
        claimed_at = null, error = v.error
      from v where s.id = any(${idsOf(retry)}) and s.id = v.id and s.workspace_id = v."workspaceId"
        and ${STILL_CLAIMED}`);
  }
  const released = of("released");
  if (released.length) {
    // back to pending — or suppressed, when the campaign was cancelled (cancel suppresses pending rows)
    await db.execute(sql`
      with v as (
        select * from jsonb_to_recordset(${JSON.stringify(released)}::jsonb) as v(id uuid, "workspaceId" uuid)
      )
      update email_sends s set claimed_at = null,
        status = case when c.status = 'cancelled' then 'suppressed' else 'pending' end,
        error = case when c.status = 'cancelled' then 'Not sent: the campaign was cancelled' else s.error end
      from v, email_campaigns c
      where s.id = any(${idsOf(released)}) and s.id = v.id and s.workspace_id = v."workspaceId"
        and c.id = s.campaign_id and ${STILL_CLAIMED}`);
  }
  const suppressed = of("suppressed");
  if (suppressed.length) {
    await db.execute(sql`
      with v as (
        select * from jsonb_to_recordset(${JSON.stringify(suppressed)}::jsonb)
          as v(id uuid, "workspaceId" uuid, error text)
      )
      update email_sends s set status = 'suppressed', claimed_at = null, error = v.error
      from v where s.id = any(${idsOf(suppressed)}) and s.id = v.id and s.workspace_id = v."workspaceId"
        and ${STILL_CLAIMED}`);
  }
}

interface Entry {
  outcome: Outcome;
  /** Holds a hand-over slot until written (accepted messages only). */
  slot: boolean;
  done: () => void;
  fail: (err: unknown) => void;
}

/**
 * One per database handle and process: every sender job of the process records through it. An
 * outcome is written within RECORD_FLUSH_MS (or at once when UNRECORDED_MAX / 2 wait), many per
 * statement, so marking each message right after its 250 costs a few statements a second rather
 * than one per message. Transport hand-overs take a slot first (`acquire`); a slot is freed when
 * the hand-over fails or its `sent` mark is committed, so at most MAX_DUPLICATES_PER_CRASH
 * messages are ever out-but-unrecorded.
 */
export class SendRecorder {
  private queue: Entry[] = [];
  private held = 0;
  private waiting: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing = false;

  constructor(
    private readonly db: Db,
    private readonly slots = MAX_DUPLICATES_PER_CRASH,
    private readonly flushMs = RECORD_FLUSH_MS,
    private readonly flushAt = Math.max(1, Math.floor(UNRECORDED_MAX / 2)),
  ) {}

  /** Waits for a free hand-over slot; call right before handing a message to the transport. */
  async acquire(): Promise<void> {
    while (this.held >= this.slots) await new Promise<void>((r) => this.waiting.push(r));
    this.held++;
  }

  /** Gives a slot back without recording (the transport refused the message). */
  release(): void {
    this.held--;
    this.waiting.shift()?.();
  }

  /**
   * Queues an outcome for the next write; resolves once it is committed. `holdsSlot`: the outcome
   * is an accepted message whose `acquire` slot is freed only by the write.
   */
  record(outcome: Outcome, holdsSlot = false): Promise<void> {
    return new Promise<void>((done, fail) => {
      this.queue.push({ outcome, slot: holdsSlot, done, fail });
      if (this.queue.length >= this.flushAt) this.flushSoon(0);
      else this.flushSoon(this.flushMs);
    });
  }

  private flushSoon(ms: number) {
    if (this.flushing) return; // the running flush picks the queue up when it ends
    if (this.timer && ms > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, ms);
  }

  private async flush() {
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = true;
    const batch = this.queue;
    this.queue = [];
    let error: unknown = null;
    // A write that fails is tried again briefly: until it lands, the rows stay `sending` and would
    // be re-sent after a takeover, so giving up early only trades one failure for duplicates.
    for (const wait of [0, 50, 250, 1000]) {
      if (wait) await new Promise((r) => setTimeout(r, wait));
      try {
        await recordOutcomes(
          this.db,
          batch.map((e) => e.outcome),
        );
        error = null;
        break;
      } catch (err) {
        error = err;
      }
    }
    if (error)
      logger.error({ err: error, outcomes: batch.length }, "could not record campaign send outcomes");
    for (const e of batch) {
      if (e.slot) this.release();
      if (error) e.fail(error);
      else e.done();
    }
    this.flushing = false;
    if (this.queue.length) this.flushSoon(this.queue.length >= this.flushAt ? 0 : this.flushMs);
  }
}

const recorders = new WeakMap<object, SendRecorder>();

/** The process's recorder for this database handle. */
export function sendRecorderFor(db: Db): SendRecorder {
  let r = recorders.get(db);
  if (!r) {
    r = new SendRecorder(db);
    recorders.set(db, r);
  }
  return r;
}
