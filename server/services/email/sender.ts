import { eq, inArray, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { appUrl, env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { mapLimit } from "@/lib/map-limit";
import { getRedis } from "@/lib/redis";
import type { Db } from "@/server/db";
import { rowsOf } from "@/server/db/raw-rows";
import { campaignSteps, workspaces } from "@/server/db/schema";
import { publishEvent } from "@/server/events";
import { metrics } from "@/server/observability/metrics";
import { logActivity } from "../activity";
import { requestRollupSoon } from "../analytics/live";
import { transactWithEvents } from "../domain-events/record";
import { domainEvent } from "../domain-events/types";
import { notifyWorkspace } from "../notifications";
import { loadVariants, type VariantContent } from "./ab-test-variants";
import { prepareCampaignEmails } from "./blocks-render";
import { campaignLinkProblem } from "./campaign-links";
import { renderCampaignEmail } from "./render";
import { type ClaimedRow, claimDueSends, claimHeartbeatMs } from "./send-claim";
import { unverifiedDomainProblem } from "./send-readiness";
import { type Outcome, type SendRecorder, sendRecorderFor } from "./send-recorder";
import { quietHoursGate } from "./send-time";
import { senderDomainVerification } from "./sender-domains";
import { getSenderSettings, type SenderSettings } from "./sender-settings";
import { suppressedMessage } from "./suppressions";
import { type EmailTransport, getTransport, TransportError } from "./transport";

/** Rows one claim takes (capped by the workspace's per-second rate when one is set). */
export const SEND_BATCH_SIZE = env().EMAIL_SEND_BATCH_SIZE;
/** Messages one sender job hands to the transport at the same time. */
export const SEND_CONCURRENCY = env().EMAIL_SEND_CONCURRENCY;

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

interface SenderEnv {
  workspace: { id: string; name: string; slug: string };
  sender: SenderSettings;
  transport: EmailTransport;
  steps: Map<string, { subject: string; preheader: string; body: string; format: string; blocks: unknown }>;
  variants: Map<string, VariantContent>; // A/B variants of claimed rows, by id (loaded like steps)
  baseUrl: string;
  recorder: SendRecorder;
  /** Whether a campaign may still send (not paused or cancelled since the claim); re-read often. */
  campaignLive: (campaignId: string) => Promise<boolean>;
  /** The process is shutting down: rows not yet handed to the transport go back to `pending`. */
  signal?: AbortSignal;
}

/** How often a sender re-reads its campaigns' status while sending a batch. */
const CAMPAIGN_RECHECK_MS = env().EMAIL_CAMPAIGN_RECHECK_MS;

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
  const every = Math.max(50, Math.floor(claimHeartbeatMs()));
  const timer = setInterval(() => {
    // Primary-key lookup, not the partial index on `sending` rows (see STILL_CLAIMED).
    db.execute(sql`
      update email_sends set claimed_at = now()
      where id = any(${`{${ids.join(",")}}`}::uuid[]) and coalesce(status, '') = 'sending'`).catch(() => {});
  }, every);
  timer.unref?.();
  return () => clearInterval(timer);
}

/**
 * Sends one claimed row and queues its outcome with the recorder (`recorded` settles once it is
 * written). An accepted message is recorded right after its 250, batched with whatever else
 * finished within a few milliseconds — not at the end of the claim.
 */
async function sendOne(
  e: SenderEnv,
  row: ClaimedRow,
): Promise<{ outcome: Outcome; recorded: Promise<void> }> {
  const base = { id: row.id, workspaceId: e.workspace.id };
  const finish = (outcome: Outcome, holdsSlot = false) => {
    const recorded = e.recorder.record(outcome, holdsSlot);
    // Awaited by the batch; if the batch fails first, a later failure here is already logged.
    recorded.catch(() => {});
    return { outcome, recorded };
  };
  if (row.lead_status !== "active") {
    return finish({ ...base, kind: "suppressed", error: `Not sent: the lead is ${row.lead_status}` });
  }
  if (row.suppressed_reason) {
    const error = suppressedMessage(row.to_address, row.suppressed_reason);
    return finish({ ...base, kind: "suppressed", error });
  }
  const step = (row.variant_id && e.variants.get(row.variant_id)) || e.steps.get(row.step_id);
  if (!step) return finish({ ...base, kind: "suppressed", error: "Not sent: the step no longer exists" });
  // Paused or cancelled after the claim: this one waits (pause takes effect within a recheck).
  if (!(await e.campaignLive(row.campaign_id))) return finish({ ...base, kind: "released" });
  // Shutting down: give the claim back at once, so another worker sends it without waiting.
  if (e.signal?.aborted) return finish({ ...base, kind: "released" });
  let acquired = false;
  try {
    await takeSendToken(e.workspace.id, e.sender.sendRatePerSecond);
    await e.recorder.acquire();
    acquired = true;
    // Rendered only once it holds a hand-over slot: the messages that wait for one (every sender
    // job of the process beyond the slots) wait as rows, not as built messages — the worker's
    // memory holds at most MAX_DUPLICATES_PER_CRASH messages, whatever the parallelism.
    const msg = renderCampaignEmail({
      workspace: e.workspace,
      sender: e.sender,
      step,
      lead: { id: row.lead_id, email: row.to_address, name: row.lead_name, customFields: row.custom_fields },
      sendId: row.id,
      baseUrl: e.baseUrl,
    });
    const res = await e.transport.send({
      from: { name: e.sender.fromName, address: e.sender.fromEmail },
      to: row.to_address,
      replyTo: e.sender.replyTo || null,
      subject: msg.subject,
      html: msg.html,
      text: msg.text,
      headers: msg.headers,
    });
    // The slot stays taken until the `sent` mark is committed.
    acquired = false;
    metrics().emailsSent.inc({ kind: "campaign" });
    return finish({ ...base, kind: "sent", messageId: res.messageId, delivered: res.accepted }, true);
  } catch (err) {
    if (acquired) e.recorder.release();
    if (err instanceof TransportError && err.permanent) {
      return finish({ ...base, kind: "bounced", error: err.message });
    }
    return finish({ ...base, kind: "retry", error: err instanceof Error ? err.message : String(err) });
  }
}

let lastLinkWarning = 0;

/**
 * The checks of a campaign start, again at send time (settings change while a campaign runs):
 * mail that leaves the server needs an https APP_URL and a verified From domain. Without the
 * first, mail waits (the operator's fix; sending resumes by itself after the restart). Without the
 * second, the workspace's running campaigns are paused and its members told why — it is theirs
 * to fix, and a paused campaign says so where a silently waiting one would not.
 */
async function holdSending(db: Db, e: SenderEnv, log: Logger): Promise<boolean> {
  if ((await e.transport.kind()) === "outbox") return false;
  const links = campaignLinkProblem();
  if (links) {
    if (Date.now() - lastLinkWarning > 60_000) {
      lastLinkWarning = Date.now();
      log.warn({ workspaceId: e.workspace.id }, `campaign mail waits: ${links}`);
    }
    return true;
  }
  const from = await senderDomainVerification(db, e.workspace.id, e.sender.fromEmail);
  if (from.by) return false;
  const paused = rowsOf<{ id: string; name: string }>(
    await db.execute(sql`
      update email_campaigns set status = 'paused', updated_at = now()
      where workspace_id = ${e.workspace.id} and status in ('sending', 'active')
      returning id, name`),
  );
  if (paused.length === 0) return true;
  const why = unverifiedDomainProblem(e.sender.fromEmail, from.domain);
  log.warn(
    { workspaceId: e.workspace.id, campaigns: paused.length },
    "campaigns paused: unverified From domain",
  );
  for (const c of paused) {
    await logActivity(db, {
      workspaceId: e.workspace.id,
      userId: null,
      action: "campaign.paused",
      entityType: "campaign",
      entityId: c.id,
      metadata: { name: c.name, reason: why },
    });
  }
  await notifyWorkspace(db, {
    workspaceId: e.workspace.id,
    kind: "campaign.failed",
    title:
      paused.length === 1
        ? `Campaign paused: ${paused[0]!.name}`.slice(0, 255)
        : `${paused.length} campaigns paused`,
    body: `${why} Resume ${paused.length === 1 ? "it" : "them"} once the domain is verified.`,
    link: `/${e.workspace.slug}/settings/sending`,
  });
  return true;
}

const lastProgress = new Map<string, number>();

/**
 * A campaign's progress is counted at most once a second: by this process, and with Redis by one
 * of all the senders (the count reads every row of the campaign: 30 ms at 100k).
 */
export async function progressDue(campaignId: string, force: boolean) {
  const now = Date.now();
  if (!force && now - (lastProgress.get(campaignId) ?? 0) < 1000) return false;
  lastProgress.set(campaignId, now);
  const redis = getRedis();
  if (force || !redis) return true;
  const taken = await redis.set(`email-progress:${campaignId}`, "1", "PX", 1000, "NX").catch(() => "OK");
  return taken === "OK";
}

async function reportProgress(db: Db, workspaceId: string, campaignIds: Iterable<string>, force = false) {
  for (const campaignId of campaignIds) {
    if (!(await progressDue(campaignId, force))) continue;
    const result = await db.execute(sql`
      select count(*) filter (where status = 'sent')::int as sent, count(*)::int as total
      from email_sends where workspace_id = ${workspaceId} and campaign_id = ${campaignId}`);
    const c = rowsOf<{ sent: number; total: number }>(result)[0];
    await publishEvent({
      workspaceId,
      type: "job.progress",
      data: { kind: "campaign-send", campaignId, sent: Number(c?.sent ?? 0), total: Number(c?.total ?? 0) },
    });
    await requestRollupSoon();
  }
}

/**
 * One-time campaigns with nothing left to send (no pending or sending row) become `sent`. A
 * conditional UPDATE, so of several senders finishing together exactly one records it.
 */
export async function finishSentCampaigns(db: Db, workspaceId?: string) {
  // The status change, its activity row and its `campaign.sent` event (webhooks) commit together.
  const done = await transactWithEvents(db, async (tx, events) => {
    const result = await tx.execute(sql`
      update email_campaigns c set status = 'sent', updated_at = now()
      where c.type = 'one-time' and c.status = 'sending'
        ${workspaceId ? sql`and c.workspace_id = ${workspaceId}` : sql``}
        and not exists (
          select 1 from email_sends s
          where s.workspace_id = c.workspace_id and s.campaign_id = c.id and s.status in ('pending', 'sending')
        )
        and coalesce(c.ab_test ->> 'phase', '') <> 'testing' -- an A/B test's rest is still to come
      returning c.id, c.workspace_id, c.name`);
    const rows = rowsOf<{ id: string; workspace_id: string; name: string }>(result);
    for (const c of rows) {
      await logActivity(tx, {
        workspaceId: c.workspace_id,
        userId: null,
        action: "campaign.sent",
        entityType: "campaign",
        entityId: c.id,
        metadata: { name: c.name },
      });
      events.push(domainEvent(c.workspace_id, "campaign.sent", { id: c.id, name: c.name }));
    }
    return rows;
  });
  for (const c of done) {
    await reportProgress(db, c.workspace_id, [c.id], true);
    await publishEvent({
      workspaceId: c.workspace_id,
      type: "job.finished",
      data: { kind: "campaign-send", campaignId: c.id },
    });
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
 * hand each message to the transport (rate-limited, `SEND_CONCURRENCY` at a time), record each
 * outcome as it comes (see SendRecorder). A crashed worker's claims are taken over once stale
 * (EMAIL_STALE_CLAIM_MS after its last heartbeat); of them, only messages on the wire or accepted but not
 * yet recorded — at most MAX_DUPLICATES_PER_CRASH — can go out twice.
 */
export async function runSender(
  db: Db,
  p: {
    workspaceId: string;
    deadline: number;
    log?: Logger;
    signal?: AbortSignal;
    /** The clock quiet hours are read on (tests set it); the real time by default. */
    now?: () => Date;
  },
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
    variants: new Map(),
    baseUrl: appUrl(),
    recorder: sendRecorderFor(db),
    campaignLive: campaignStatusCache(db, ws.id),
    signal: p.signal,
  };
  if (await holdSending(db, e, log)) return totals;
  const quiet = await quietHoursGate(db, ws.id);
  const batchSize =
    sender.sendRatePerSecond > 0 ? Math.min(SEND_BATCH_SIZE, sender.sendRatePerSecond) : SEND_BATCH_SIZE;
  const campaigns = new Set<string>();

  while (Date.now() < p.deadline && !p.signal?.aborted) {
    // Quiet hours: due mail waits for their end (moved there), checked before every claim.
    if (await quiet(p.now?.() ?? new Date())) break;
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
          format: campaignSteps.format,
          blocks: campaignSteps.blocks,
        })
        .from(campaignSteps)
        .where(inArray(campaignSteps.id, missing));
      await prepareCampaignEmails({ workspace: ws, sender, baseUrl: e.baseUrl }, steps);
      for (const s of steps) e.steps.set(s.id, s);
    }
    await loadVariants(db, e.variants, rows);
    await prepareCampaignEmails({ workspace: ws, sender, baseUrl: e.baseUrl }, e.variants.values());
    const stopHeartbeat = heartbeat(
      db,
      rows.map((r) => r.id),
    );
    let outcomes: Outcome[];
    try {
      const results = await mapLimit(rows, SEND_CONCURRENCY, (row) => sendOne(e, row));
      // Claims stay fresh until every outcome of the batch is written.
      await Promise.all(results.map((r) => r.recorded));
      outcomes = results.map((r) => r.outcome);
    } finally {
      stopHeartbeat();
    }
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
