import { eq, inArray, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { appUrl } from "@/lib/env";
import { logger } from "@/lib/logger";
import { getRedis } from "@/lib/redis";
import type { Db } from "@/server/db";
import { campaignSteps, workspaces } from "@/server/db/schema";
import { publishEvent } from "@/server/events";
import { QUEUES } from "@/server/queue/types";
import { emitWebhookEvent } from "@/server/services/webhooks/emit";
import { logActivity } from "../activity";
import { rowsOf } from "./audience";
import { renderCampaignEmail } from "./render";
import { getSenderSettings, type SenderSettings } from "./sender-settings";
import { type EmailTransport, getTransport, TransportError } from "./transport";

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

/** Rows one claim takes (capped by the workspace's per-second rate when one is set). */
export const SEND_BATCH_SIZE = num("EMAIL_SEND_BATCH_SIZE", 100);
/** Messages one sender job hands to the transport at the same time. */
export const SEND_CONCURRENCY = num("EMAIL_SEND_CONCURRENCY", 20);
/** A `sending` claim older than this belongs to a dead worker and goes back to `pending`. */
export const STALE_SEND_MS = num("EMAIL_STALE_CLAIM_MS", 5 * 60_000);
/** First retry delay after a temporary failure; doubles with every attempt (5 s, 10 s, 20 s, …). */
export const RETRY_BASE_MS = num("EMAIL_RETRY_BASE_MS", QUEUES.email.backoffMs);
export const MAX_SEND_ATTEMPTS = QUEUES.email.attempts;

interface ClaimedRow {
  id: string;
  campaign_id: string;
  step_id: string;
  lead_id: string;
  to_address: string;
  attempts: number;
  lead_status: string;
  lead_name: string | null;
  custom_fields: Record<string, unknown> | null;
}

/**
 * Claims up to `limit` due rows of the workspace (`pending` → `sending`) in one statement. `SKIP
 * LOCKED` lets any number of senders run side by side without ever taking the same row; rows of
 * campaigns that are not sending/active (paused, cancelled) are left alone.
 */
export async function claimDueSends(db: Db, workspaceId: string, limit: number): Promise<ClaimedRow[]> {
  const result = await db.execute(sql`
    with due as (
      select s.id from email_sends s
      join email_campaigns c on c.id = s.campaign_id
      where s.workspace_id = ${workspaceId} and s.status = 'pending' and s.due_at <= now()
        and c.status in ('sending', 'active')
      order by s.due_at
      limit ${limit}
      for update of s skip locked
    )
    update email_sends s set status = 'sending', claimed_at = now()
    from due, leads l
    where s.id = due.id and l.id = s.lead_id
    returning s.id, s.campaign_id, s.step_id, s.lead_id, s.to_address, s.attempts,
      l.status as lead_status, l.name as lead_name, l.custom_fields`);
  return rowsOf<ClaimedRow>(result);
}

/** Gives back `sending` claims whose worker died (older than `staleMs`). */
export async function reclaimStaleSends(db: Db, staleMs = STALE_SEND_MS): Promise<number> {
  const result = await db.execute(sql`
    with r as (
      update email_sends set status = 'pending', claimed_at = null
      where status = 'sending' and claimed_at < now() - make_interval(secs => ${staleMs / 1000})
      returning 1
    ) select count(*)::int as n from r`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}

type Outcome =
  | { id: string; kind: "sent"; messageId: string; delivered: boolean }
  | { id: string; kind: "bounced"; error: string }
  | { id: string; kind: "retry"; error: string }
  | { id: string; kind: "suppressed"; error: string }
  /** Claimed, but the campaign was paused or cancelled before it went out: back to pending. */
  | { id: string; kind: "released" };

/** Records a batch's outcomes: a few statements per batch, each guarded by `status = 'sending'`. */
async function recordOutcomes(db: Db, outcomes: Outcome[]) {
  const sent = outcomes.filter((o) => o.kind === "sent");
  if (sent.length) {
    await db.execute(sql`
      with v as (
        select * from jsonb_to_recordset(${JSON.stringify(sent)}::jsonb) as v(id uuid, "messageId" text, delivered boolean)
      ), upd as (
        update email_sends s set status = 'sent', sent_at = now(), claimed_at = null,
          message_id = left(v."messageId", 255), error = null
        from v where s.id = v.id and s.status = 'sending'
        returning s.id, s.workspace_id, s.campaign_id, s.lead_id, v.delivered
      )
      insert into email_events (workspace_id, send_id, campaign_id, lead_id, type)
      select workspace_id, id, campaign_id, lead_id, 'delivered' from upd where delivered`);
  }
  const bounced = outcomes.filter((o) => o.kind === "bounced");
  if (bounced.length) {
    await db.execute(sql`
      with v as (
        select * from jsonb_to_recordset(${JSON.stringify(bounced)}::jsonb) as v(id uuid, error text)
      ), upd as (
        update email_sends s set status = 'bounced', claimed_at = null, attempts = s.attempts + 1, error = v.error
        from v where s.id = v.id and s.status = 'sending'
        returning s.id, s.workspace_id, s.campaign_id, s.lead_id
      ), lead_upd as (
        update leads l set status = 'bounced', updated_at = now()
        from upd where l.id = upd.lead_id and l.status = 'active'
        returning l.id
      )
      insert into email_events (workspace_id, send_id, campaign_id, lead_id, type)
      select workspace_id, id, campaign_id, lead_id, 'bounce' from upd`);
  }
  const retry = outcomes.filter((o) => o.kind === "retry");
  if (retry.length) {
    await db.execute(sql`
      with v as (
        select * from jsonb_to_recordset(${JSON.stringify(retry)}::jsonb) as v(id uuid, error text)
      )
      update email_sends s set
        status = case when s.attempts + 1 >= ${MAX_SEND_ATTEMPTS} then 'failed' else 'pending' end,
        attempts = s.attempts + 1,
        due_at = now() + make_interval(secs => ${RETRY_BASE_MS / 1000} * power(2, s.attempts)),
        claimed_at = null, error = v.error
      from v where s.id = v.id and s.status = 'sending'`);
  }
  const released = outcomes.filter((o) => o.kind === "released").map((o) => o.id);
  if (released.length) {
    // back to pending — or suppressed, when the campaign was cancelled (cancel suppresses pending rows)
    await db.execute(sql`
      update email_sends s set claimed_at = null,
        status = case when c.status = 'cancelled' then 'suppressed' else 'pending' end,
        error = case when c.status = 'cancelled' then 'Not sent: the campaign was cancelled' else s.error end
      from email_campaigns c
      where c.id = s.campaign_id
        and s.id in (select jsonb_array_elements_text(${JSON.stringify(released)}::jsonb)::uuid)
        and s.status = 'sending'`);
  }
  const suppressed = outcomes.filter((o) => o.kind === "suppressed");
  if (suppressed.length) {
    await db.execute(sql`
      with v as (
        select * from jsonb_to_recordset(${JSON.stringify(suppressed)}::jsonb) as v(id uuid, error text)
      )
      update email_sends s set status = 'suppressed', claimed_at = null, error = v.error
      from v where s.id = v.id and s.status = 'sending'`);
  }
}

const limiters = new Map<string, RateLimiterMemory | RateLimiterRedis>();

/** Waits for one of the workspace's send tokens; shared across workers through Redis in scale-out. */
async function takeSendToken(workspaceId: string, perSecond: number) {
  if (perSecond <= 0) return;
  const redis = getRedis();
  const key = `${perSecond}:${redis ? "redis" : "memory"}`;
  let limiter = limiters.get(key);
  if (!limiter) {
    const opts = { keyPrefix: `rl:email-send:${perSecond}`, points: perSecond, duration: 1 };
    limiter = redis ? new RateLimiterRedis({ ...opts, storeClient: redis }) : new RateLimiterMemory(opts);
    limiters.set(key, limiter);
  }
  for (;;) {
    try {
      await limiter.consume(workspaceId);
      return;
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      await new Promise((r) => setTimeout(r, Math.max(5, res.msBeforeNext) + Math.random() * 20));
    }
  }
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

interface SenderEnv {
  workspace: { id: string; name: string; slug: string };
  sender: SenderSettings;
  transport: EmailTransport;
  steps: Map<string, { subject: string; preheader: string; body: string }>;
  baseUrl: string;
  /** Whether a campaign may still send (not paused or cancelled since the claim); re-read often. */
  campaignLive: (campaignId: string) => Promise<boolean>;
}

/** How often a sender re-reads its campaigns' status while sending a batch. */
const CAMPAIGN_RECHECK_MS = num("EMAIL_CAMPAIGN_RECHECK_MS", 500);

function campaignStatusCache(db: Db, workspaceId: string) {
  const cache = new Map<string, { at: number; live: Promise<boolean> }>();
  return (campaignId: string) => {
    const hit = cache.get(campaignId);
    if (hit && Date.now() - hit.at < CAMPAIGN_RECHECK_MS) return hit.live;
    const live = db
      .execute(
        sql`select status from email_campaigns where id = ${campaignId} and workspace_id = ${workspaceId}`,
      )
      .then((r) => {
        const status = rowsOf<{ status: string }>(r)[0]?.status;
        return status === "sending" || status === "active";
      });
    cache.set(campaignId, { at: Date.now(), live });
    return live;
  };
}

/**
 * Keeps a batch's claims fresh while it is being sent, so a slow but living sender never has its
 * rows given back as stale (and sent a second time by another). Only a dead sender's claims age.
 */
function heartbeat(db: Db, ids: string[]) {
  const every = Math.max(250, Math.floor(STALE_SEND_MS / 3));
  const timer = setInterval(() => {
    db.execute(sql`
      update email_sends set claimed_at = now()
      where id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)
        and status = 'sending'`).catch(() => {});
  }, every);
  timer.unref?.();
  return () => clearInterval(timer);
}

async function sendOne(e: SenderEnv, row: ClaimedRow): Promise<Outcome> {
  if (row.lead_status !== "active") {
    return { id: row.id, kind: "suppressed", error: `Not sent: the lead is ${row.lead_status}` };
  }
  const step = e.steps.get(row.step_id);
  if (!step) return { id: row.id, kind: "suppressed", error: "Not sent: the step no longer exists" };
  // Paused or cancelled after the claim: this one waits (pause takes effect within a recheck).
  if (!(await e.campaignLive(row.campaign_id))) return { id: row.id, kind: "released" };
  try {
    const msg = renderCampaignEmail({
      workspace: e.workspace,
      sender: e.sender,
      step,
      lead: { id: row.lead_id, email: row.to_address, name: row.lead_name, customFields: row.custom_fields },
      sendId: row.id,
      baseUrl: e.baseUrl,
    });
    await takeSendToken(e.workspace.id, e.sender.sendRatePerSecond);
    const res = await e.transport.send({
      from: { name: e.sender.fromName, address: e.sender.fromEmail },
      to: row.to_address,
      replyTo: e.sender.replyTo || null,
      subject: msg.subject,
      html: msg.html,
      text: msg.text,
      headers: msg.headers,
    });
    return { id: row.id, kind: "sent", messageId: res.messageId, delivered: res.accepted };
  } catch (err) {
    if (err instanceof TransportError && err.permanent) {
      return { id: row.id, kind: "bounced", error: err.message };
    }
    return { id: row.id, kind: "retry", error: err instanceof Error ? err.message : String(err) };
  }
}

const lastProgress = new Map<string, number>();

async function reportProgress(db: Db, workspaceId: string, campaignIds: Iterable<string>, force = false) {
  for (const campaignId of campaignIds) {
    const now = Date.now();
    if (!force && now - (lastProgress.get(campaignId) ?? 0) < 1000) continue;
    lastProgress.set(campaignId, now);
    const result = await db.execute(sql`
      select count(*) filter (where status = 'sent')::int as sent, count(*)::int as total
      from email_sends where workspace_id = ${workspaceId} and campaign_id = ${campaignId}`);
    const c = rowsOf<{ sent: number; total: number }>(result)[0];
    await publishEvent({
      workspaceId,
      type: "job.progress",
      data: { kind: "campaign-send", campaignId, sent: Number(c?.sent ?? 0), total: Number(c?.total ?? 0) },
    });
  }
}

/**
 * One-time campaigns with nothing left to send (no pending or sending row) become `sent`. A
 * conditional UPDATE, so of several senders finishing together exactly one records it.
 */
export async function finishSentCampaigns(db: Db, workspaceId?: string) {
  const result = await db.execute(sql`
    update email_campaigns c set status = 'sent', updated_at = now()
    where c.type = 'one-time' and c.status = 'sending'
      ${workspaceId ? sql`and c.workspace_id = ${workspaceId}` : sql``}
      and not exists (
        select 1 from email_sends s
        where s.workspace_id = c.workspace_id and s.campaign_id = c.id and s.status in ('pending', 'sending')
      )
    returning c.id, c.workspace_id, c.name`);
  const done = rowsOf<{ id: string; workspace_id: string; name: string }>(result);
  for (const c of done) {
    await logActivity(db, {
      workspaceId: c.workspace_id,
      userId: null,
      action: "campaign.sent",
      entityType: "campaign",
      entityId: c.id,
      metadata: { name: c.name },
    });
    await reportProgress(db, c.workspace_id, [c.id], true);
    await publishEvent({
      workspaceId: c.workspace_id,
      type: "job.finished",
      data: { kind: "campaign-send", campaignId: c.id },
    });
    await emitWebhookEvent(db, c.workspace_id, "campaign.sent", { id: c.id, name: c.name });
  }
  return done.length;
}

export interface SenderRunResult {
  claimed: number;
  sent: number;
  bounced: number;
  retried: number;
  suppressed: number;
  /** Claimed, then given back because the campaign was paused or cancelled meanwhile. */
  released: number;
  /** The deadline came while due rows were still being found: another turn is needed. */
  more: boolean;
}

/**
 * Sends the workspace's due mail until none is left or `deadline` (epoch ms) passes: claim a batch,
 * hand each message to the transport (rate-limited, `SEND_CONCURRENCY` at a time), record the batch.
 * A crash between hand-over and record leaves at most one batch in `sending`, re-sent after the
 * stale timeout — the only way a message can go out twice.
 */
export async function runSender(
  db: Db,
  p: { workspaceId: string; deadline: number; log?: Logger },
): Promise<SenderRunResult> {
  const log = p.log ?? logger;
  const totals: SenderRunResult = {
    claimed: 0,
    sent: 0,
    bounced: 0,
    retried: 0,
    suppressed: 0,
    released: 0,
    more: false,
  };
  const sender = await getSenderSettings(db, p.workspaceId).catch(() => null);
  if (!sender) {
    log.warn({ workspaceId: p.workspaceId }, "no sender settings: campaign mail waits");
    return totals;
  }
  const [ws] = await db
    .select({ id: workspaces.id, name: workspaces.name, slug: workspaces.slug })
    .from(workspaces)
    .where(eq(workspaces.id, p.workspaceId));
  if (!ws) return totals;
  const e: SenderEnv = {
    workspace: ws,
    sender,
    transport: getTransport(db, ws.id),
    steps: new Map(),
    baseUrl: appUrl(),
    campaignLive: campaignStatusCache(db, ws.id),
  };
  const batchSize =
    sender.sendRatePerSecond > 0 ? Math.min(SEND_BATCH_SIZE, sender.sendRatePerSecond) : SEND_BATCH_SIZE;
  const campaigns = new Set<string>();

  while (Date.now() < p.deadline) {
    const rows = await claimDueSends(db, ws.id, batchSize);
    if (rows.length === 0) break;
    totals.claimed += rows.length;
    const missing = [...new Set(rows.map((r) => r.step_id))].filter((id) => !e.steps.has(id));
    if (missing.length) {
      const steps = await db
        .select({
          id: campaignSteps.id,
          subject: campaignSteps.subject,
          preheader: campaignSteps.preheader,
          body: campaignSteps.body,
        })
        .from(campaignSteps)
        .where(inArray(campaignSteps.id, missing));
      for (const s of steps) e.steps.set(s.id, s);
    }
    const stopHeartbeat = heartbeat(
      db,
      rows.map((r) => r.id),
    );
    let outcomes: Outcome[];
    try {
      outcomes = await mapLimit(rows, SEND_CONCURRENCY, (row) => sendOne(e, row));
    } finally {
      stopHeartbeat();
    }
    await recordOutcomes(db, outcomes);
    for (const o of outcomes) {
      if (o.kind === "sent") totals.sent++;
      else if (o.kind === "bounced") totals.bounced++;
      else if (o.kind === "retry") totals.retried++;
      else if (o.kind === "suppressed") totals.suppressed++;
      else totals.released++;
    }
    for (const r of rows) campaigns.add(r.campaign_id);
    await reportProgress(db, ws.id, campaigns);
    if (rows.length < batchSize || outcomes.some((o) => o.kind === "released")) break;
    if (Date.now() >= p.deadline) totals.more = true;
  }
  if (totals.claimed > 0) await finishSentCampaigns(db, ws.id);
  if (totals.retried || totals.bounced)
    log.info({ workspaceId: ws.id, ...totals }, "campaign sends recorded");
  return totals;
}

/** Workspaces with mail due now in a campaign that is sending or active: what the tick fans out. */
export async function findWorkspacesWithDueSends(db: Db): Promise<string[]> {
  const result = await db.execute(sql`
    select distinct c.workspace_id from email_campaigns c
    where c.status in ('sending', 'active') and exists (
      select 1 from email_sends s
      where s.workspace_id = c.workspace_id and s.campaign_id = c.id
        and s.status = 'pending' and s.due_at <= now()
    )`);
  return rowsOf<{ workspace_id: string }>(result).map((r) => r.workspace_id);
}
