import { and, asc, eq, inArray, notInArray, type SQL, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { logger } from "@/lib/logger";
import { sanitizeMarkdown } from "@/lib/markdown";
import type { Db } from "@/server/db";
import { rowsOf } from "@/server/db/raw-rows";
import { campaignSteps, campaignStepVariants, emailCampaigns, leads } from "@/server/db/schema";
import { ConflictError, NotFoundError, ValidationError } from "@/server/errors";
import { enqueueAbTestDecision } from "@/server/queue/jobs/ab-test";
import { kickEmailSender } from "@/server/queue/jobs/email-sender";
import { record } from "../activity";
import { type Actor, systemActor, type WorkspaceServiceContext } from "../context";
import type { SegmentCriteria } from "../segments/criteria-schemas";
import {
  type AbLabel,
  type AbTestState,
  type AbVariantResult,
  parseAbTest,
  type SaveAbTestInput,
} from "./ab-test-schemas";
import { audienceCondition, parseCriteria } from "./audience";
import { finishSentCampaigns } from "./sender";

type StepRow = typeof campaignSteps.$inferSelect;
type VariantRow = typeof campaignStepVariants.$inferSelect;

/**
 * A/B tests of one-time campaigns. Variant A is the campaign's own email: its row is a copy of the
 * step, refreshed when the test is saved and again when the campaign starts (so the step editor
 * stays the one place A is written). B–D are written in the A/B card. Every test send and every
 * send to the rest carries its variant's id, so the sender and the report never guess.
 */

async function firstStep(db: Db, workspaceId: string, campaignId: string): Promise<StepRow | undefined> {
  const [step] = await db
    .select()
    .from(campaignSteps)
    .where(and(eq(campaignSteps.workspaceId, workspaceId), eq(campaignSteps.campaignId, campaignId)))
    .orderBy(asc(campaignSteps.position))
    .limit(1);
  return step;
}

export async function listVariants(db: Db, workspaceId: string, campaignId: string): Promise<VariantRow[]> {
  return db
    .select()
    .from(campaignStepVariants)
    .where(
      and(eq(campaignStepVariants.workspaceId, workspaceId), eq(campaignStepVariants.campaignId, campaignId)),
    )
    .orderBy(asc(campaignStepVariants.label));
}

/** Writes (or refreshes) variant A as a copy of the step's content. */
async function copyStepToA(db: Db, workspaceId: string, step: StepRow) {
  const content = {
    subject: step.subject,
    preheader: step.preheader,
    body: step.body,
    format: step.format,
    blocks: step.blocks,
  };
  await db
    .insert(campaignStepVariants)
    .values({ workspaceId, campaignId: step.campaignId, stepId: step.id, label: "A", ...content })
    .onConflictDoUpdate({
      target: [campaignStepVariants.stepId, campaignStepVariants.label],
      set: { ...content, updatedAt: new Date() },
    });
}

async function campaignRow(db: Db, workspaceId: string, campaignId: string) {
  const [row] = await db
    .select()
    .from(emailCampaigns)
    .where(and(eq(emailCampaigns.id, campaignId), eq(emailCampaigns.workspaceId, workspaceId)));
  if (!row) throw new NotFoundError("Campaign not found");
  return row;
}

/** The campaign's test (settings and state) with its variants, A first. */
export async function getAbTest(db: Db, workspaceId: string, campaignId: string) {
  const row = await campaignRow(db, workspaceId, campaignId);
  const variants = await listVariants(db, workspaceId, campaignId);
  const test = parseAbTest(row.abTest);
  return {
    campaignId: row.id,
    type: row.type,
    status: row.status,
    test,
    variants: test
      ? variants.map((v) => ({
          id: v.id,
          label: v.label as AbLabel,
          subject: v.subject,
          preheader: v.preheader,
          body: v.body,
          format: v.format,
        }))
      : [],
  };
}
export type AbTestView = Awaited<ReturnType<typeof getAbTest>>;

/** Saves (or, with `settings: null`, removes) the test of a one-time campaign that has not started. */
export async function saveAbTest(ctx: WorkspaceServiceContext, input: SaveAbTestInput) {
  const { db, workspaceId } = ctx;
  const row = await campaignRow(db, workspaceId, input.campaignId);
  if (row.type !== "one-time") throw new ValidationError("Only one-time campaigns can run an A/B test");
  if (row.status !== "draft" && row.status !== "scheduled") {
    throw new ConflictError(`This campaign is ${row.status}; its A/B test can no longer be changed`);
  }
  const step = await firstStep(db, workspaceId, row.id);
  if (!step) throw new ValidationError("Write the campaign's email before adding variants");
  await db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const [kept] = await tx
      .update(emailCampaigns)
      .set({ abTest: input.settings, updatedAt: new Date() })
      .where(
        and(
          eq(emailCampaigns.id, row.id),
          eq(emailCampaigns.workspaceId, workspaceId),
          inArray(emailCampaigns.status, ["draft", "scheduled"]),
        ),
      )
      .returning({ id: emailCampaigns.id });
    if (!kept) throw new ConflictError("This campaign started while you were editing; reload it");
    const labels = input.settings ? ["A", ...input.variants.map((v) => v.label)] : [];
    await tx
      .delete(campaignStepVariants)
      .where(
        and(
          eq(campaignStepVariants.workspaceId, workspaceId),
          eq(campaignStepVariants.campaignId, row.id),
          ...(labels.length ? [notInArray(campaignStepVariants.label, labels)] : []),
        ),
      );
    if (!input.settings) return;
    await copyStepToA(tx, workspaceId, step);
    for (const v of input.variants) {
      const content = {
        subject: v.subject,
        preheader: v.preheader,
        body: sanitizeMarkdown(v.body),
        format: "markdown" as const,
        blocks: null,
      };
      await tx
        .insert(campaignStepVariants)
        .values({ workspaceId, campaignId: row.id, stepId: step.id, label: v.label, ...content })
        .onConflictDoUpdate({
          target: [campaignStepVariants.stepId, campaignStepVariants.label],
          set: { ...content, updatedAt: new Date() },
        });
    }
  });
  await record(
    db,
    ctx.actor,
    workspaceId,
    input.settings ? "campaign.ab_test_saved" : "campaign.ab_test_removed",
    { type: "campaign", id: row.id },
    {
      name: row.name,
      ...(input.settings ? { ...input.settings, variants: 1 + input.variants.length } : {}),
    },
  );
  return getAbTest(db, workspaceId, row.id);
}

/** A duplicated campaign gets the test's settings (not its state) and copies of its variants. */
export async function copyAbTest(tx: Db, workspaceId: string, fromCampaignId: string, toCampaignId: string) {
  const [from] = await tx
    .select({ abTest: emailCampaigns.abTest })
    .from(emailCampaigns)
    .where(and(eq(emailCampaigns.id, fromCampaignId), eq(emailCampaigns.workspaceId, workspaceId)));
  const test = parseAbTest(from?.abTest);
  const step = await firstStep(tx, workspaceId, toCampaignId);
  const variants = await listVariants(tx, workspaceId, fromCampaignId);
  if (!test || !step || variants.length < 2) return;
  const settings = { sharePercent: test.sharePercent, metric: test.metric, waitMinutes: test.waitMinutes };
  await tx
    .update(emailCampaigns)
    .set({ abTest: settings })
    .where(and(eq(emailCampaigns.id, toCampaignId), eq(emailCampaigns.workspaceId, workspaceId)));
  await tx.insert(campaignStepVariants).values(
    variants.map((v) => ({
      workspaceId,
      campaignId: toCampaignId,
      stepId: step.id,
      label: v.label,
      subject: v.subject,
      preheader: v.preheader,
      body: v.body,
      format: v.format,
      blocks: v.blocks,
    })),
  );
}

/**
 * Called by startCampaignSend inside its transaction, when the campaign has a test: writes ledger
 * rows for a random test share of the audience only — exactly round(share × audience) people,
 * dealt to the variants in turn (sizes differ by at most one, earlier labels first) — and records
 * the test as `testing`. The rest gets no row until the decision. Null: no test to run.
 */
export async function beginAbTest(
  tx: Db,
  p: {
    workspaceId: string;
    campaignId: string;
    step: StepRow;
    criteria: SegmentCriteria;
    abTest: unknown;
    /** Each row's due time, an expression over `leads` (a local send time); default now. */
    dueAt?: SQL | null;
  },
): Promise<{ queued: number; testEndsAt: Date; testSize: number } | null> {
  const test = parseAbTest(p.abTest);
  if (!test) return null;
  await copyStepToA(tx, p.workspaceId, p.step);
  const variants = await listVariants(tx, p.workspaceId, p.campaignId);
  if (variants.length < 2) return null;
  const where = audienceCondition(p.workspaceId, p.criteria);
  const [counted] = rowsOf<{ n: number }>(
    await tx.execute(sql`select count(*)::int as n from ${leads} where ${where}`),
  );
  const audienceSize = Number(counted?.n ?? 0);
  const testSize = Math.round((audienceSize * test.sharePercent) / 100);
  const ids = `{${variants.map((v) => v.id).join(",")}}`;
  const inserted = await tx.execute(sql`
    with picked as (
      select ${leads.id} as lead_id, ${leads.email} as email, ${p.dueAt ?? sql`now()`} as due_at,
        row_number() over (order by random()) as rn
      from ${leads} where ${where}
    ), ins as (
      insert into email_sends (workspace_id, campaign_id, step_id, lead_id, to_address, due_at, variant_id)
      select ${p.workspaceId}::uuid, ${p.campaignId}::uuid, ${p.step.id}::uuid, lead_id, email, due_at,
        (${ids}::uuid[])[((rn - 1) % ${variants.length}) + 1]
      from picked where rn <= ${testSize}
      on conflict (campaign_id, step_id, lead_id) do nothing
      returning 1
    ) select count(*)::int as n from ins`);
  const queued = Number(rowsOf<{ n: number }>(inserted)[0]?.n ?? 0);
  const testEndsAt = new Date(Date.now() + test.waitMinutes * 60_000);
  const state: AbTestState = {
    sharePercent: test.sharePercent,
    metric: test.metric,
    waitMinutes: test.waitMinutes,
    phase: "testing",
    audienceSize,
    testSize,
    testEndsAt: testEndsAt.toISOString(),
    winnerVariantId: null,
    decidedAt: null,
    decidedBy: null,
    results: [],
  };
  await tx
    .update(emailCampaigns)
    .set({ abTest: state as unknown as Record<string, unknown> })
    .where(and(eq(emailCampaigns.id, p.campaignId), eq(emailCampaigns.workspaceId, p.workspaceId)));
  return { queued, testEndsAt, testSize };
}

/** Queues the decision for when the test's wait ends (the scheduler tick is the backstop). */
export async function scheduleAbTestDecision(workspaceId: string, campaignId: string, at: Date) {
  await enqueueAbTestDecision(workspaceId, campaignId, at).catch((err) =>
    logger.warn({ err, campaignId }, "ab-test decision not queued: the scheduler tick will decide it"),
  );
}

/** Per variant: messages sent, delivered, people who opened / clicked (machines left out). */
export async function variantNumbers(db: Db, workspaceId: string, campaignId: string) {
  const result = await db.execute(sql`
    select v.id, v.label, v.subject,
      (select count(*) from email_sends s
        where s.workspace_id = v.workspace_id and s.campaign_id = v.campaign_id and s.variant_id = v.id
          and s.status = 'sent')::int as sent,
      (select count(*) from email_sends s
        where s.workspace_id = v.workspace_id and s.campaign_id = v.campaign_id and s.variant_id = v.id
          and s.status in ('pending', 'sending'))::int as pending,
      (select count(*) from email_sends s
        where s.workspace_id = v.workspace_id and s.campaign_id = v.campaign_id and s.variant_id = v.id
          and s.status = 'sent' and s.delivered
          and not exists (select 1 from email_events b where b.workspace_id = s.workspace_id
            and b.send_id = s.id and b.type = 'bounce'))::int as delivered,
      (select count(distinct e.lead_id) from email_events e join email_sends s on s.id = e.send_id
        where e.workspace_id = v.workspace_id and e.campaign_id = v.campaign_id and s.variant_id = v.id
          and e.type = 'open' and e.is_machine = false)::int as opens,
      (select count(distinct e.lead_id) from email_events e join email_sends s on s.id = e.send_id
        where e.workspace_id = v.workspace_id and e.campaign_id = v.campaign_id and s.variant_id = v.id
          and e.type = 'click' and e.is_machine = false)::int as clicks
    from campaign_step_variants v
    where v.workspace_id = ${workspaceId} and v.campaign_id = ${campaignId}
    order by v.label`);
  return rowsOf<{
    id: string;
    label: AbLabel;
    subject: string;
    sent: number;
    pending: number;
    delivered: number;
    opens: number;
    clicks: number;
  }>(result).map((r) => ({
    ...r,
    sent: Number(r.sent),
    pending: Number(r.pending),
    delivered: Number(r.delivered),
    opens: Number(r.opens),
    clicks: Number(r.clicks),
  }));
}

/** The leader on the metric; a tie goes to the earlier label. */
export function pickWinner(results: AbVariantResult[], metric: "opens" | "clicks"): AbVariantResult | null {
  const sorted = [...results].sort((a, b) => b[metric] - a[metric] || a.label.localeCompare(b.label));
  return sorted[0] ?? null;
}

export interface DecideResult {
  decided: boolean;
  winnerVariantId: string | null;
  /** Ledger rows written for the rest of the audience by this call (0 when already decided). */
  created: number;
}

/**
 * Chooses the winner (given, or the leader on the metric) and writes ledger rows with it for every
 * lead of the audience not yet in the ledger — resolved now, so a lead who unsubscribed or bounced
 * during the wait is not mailed. Under the campaign row's lock and conditional on `testing`:
 * running it again (a doubled job, the tick and the job together) changes nothing.
 * `due`: only when the test's wait is over (the job and the tick); a person may decide early.
 */
export async function decideAbTest(
  db: Db,
  p: { workspaceId: string; campaignId: string; variantId?: string; actor: Actor; due?: boolean },
): Promise<DecideResult> {
  const outcome = await db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const [row] = await tx
      .select()
      .from(emailCampaigns)
      .where(and(eq(emailCampaigns.id, p.campaignId), eq(emailCampaigns.workspaceId, p.workspaceId)))
      .for("update");
    if (!row) throw new NotFoundError("Campaign not found");
    const test = parseAbTest(row.abTest);
    if (!test?.phase) {
      if (p.due) return null;
      throw new ValidationError("This campaign has no A/B test running");
    }
    if (test.phase === "decided") {
      if (p.due) return null;
      throw new ConflictError("The winner of this A/B test has already been chosen");
    }
    if (p.due && test.testEndsAt && Date.parse(test.testEndsAt) > Date.now()) return null;
    if (row.status !== "sending" && row.status !== "paused") {
      if (p.due) return null;
      throw new ConflictError(`This campaign is ${row.status}; no winner can be sent`);
    }
    const numbers = await variantNumbers(tx, p.workspaceId, p.campaignId);
    const results: AbVariantResult[] = numbers.map((n) => ({
      variantId: n.id,
      label: n.label,
      sent: n.sent,
      opens: n.opens,
      clicks: n.clicks,
    }));
    const winner = p.variantId
      ? results.find((r) => r.variantId === p.variantId)
      : pickWinner(results, test.metric);
    if (!winner) throw new ValidationError("Pick one of this campaign's variants");
    const step = await firstStep(tx, p.workspaceId, p.campaignId);
    if (!step) throw new ValidationError("This campaign has no email");
    const inserted = await tx.execute(sql`
      with ins as (
        insert into email_sends (workspace_id, campaign_id, step_id, lead_id, to_address, due_at, variant_id)
        select ${p.workspaceId}::uuid, ${p.campaignId}::uuid, ${step.id}::uuid, ${leads.id}, ${leads.email},
          now(), ${winner.variantId}::uuid
        from ${leads} where ${audienceCondition(p.workspaceId, parseCriteria(row.segmentCriteria))}
        on conflict (campaign_id, step_id, lead_id) do nothing
        returning 1
      ) select count(*)::int as n from ins`);
    const created = Number(rowsOf<{ n: number }>(inserted)[0]?.n ?? 0);
    const state: AbTestState = {
      ...test,
      phase: "decided",
      winnerVariantId: winner.variantId,
      decidedAt: new Date().toISOString(),
      decidedBy: p.variantId || !p.due ? "manual" : "schedule",
      results,
      restSize: created,
    };
    await tx
      .update(emailCampaigns)
      .set({ abTest: state as unknown as Record<string, unknown>, updatedAt: new Date() })
      .where(and(eq(emailCampaigns.id, row.id), eq(emailCampaigns.workspaceId, p.workspaceId)));
    return { name: row.name, winner, created, metric: test.metric };
  });
  if (!outcome) return { decided: false, winnerVariantId: null, created: 0 };
  await record(
    db,
    p.actor,
    p.workspaceId,
    "campaign.ab_test_decided",
    { type: "campaign", id: p.campaignId },
    {
      name: outcome.name,
      winner: outcome.winner.label,
      metric: outcome.metric,
      [outcome.metric]: outcome.winner[outcome.metric],
      recipients: outcome.created,
      chosen: Boolean(p.variantId),
    },
  );
  if (outcome.created > 0) await kickEmailSender(p.workspaceId);
  else await finishSentCampaigns(db, p.workspaceId);
  return { decided: true, winnerVariantId: outcome.winner.variantId, created: outcome.created };
}

/** A person's "Pick winner now" (admins): a chosen variant, or the current leader. */
export function decideAbTestNow(
  ctx: WorkspaceServiceContext,
  input: { campaignId: string; variantId?: string },
) {
  return decideAbTest(ctx.db, { workspaceId: ctx.workspaceId, ...input, actor: ctx.actor });
}

/** The tick's backstop: decides every test whose wait is over (the DB, not the queue, says which). */
export async function decideDueAbTests(db: Db, log: Logger = logger): Promise<number> {
  const due = rowsOf<{ id: string; workspace_id: string }>(
    await db.execute(sql`
      select id, workspace_id from email_campaigns
      where type = 'one-time' and status in ('sending', 'paused') and ab_test ->> 'phase' = 'testing'
        and ab_test ->> 'testEndsAt' ~ '^\\d{4}-\\d{2}-\\d{2}T'
        and (ab_test ->> 'testEndsAt')::timestamptz <= now()
      limit 100`),
  );
  let decided = 0;
  for (const c of due) {
    try {
      const r = await decideAbTest(db, {
        workspaceId: c.workspace_id,
        campaignId: c.id,
        actor: systemActor,
        due: true,
      });
      if (r.decided) decided++;
    } catch (err) {
      log.error({ err, campaignId: c.id }, "ab-test decision failed");
    }
  }
  return decided;
}

const ratio = (n: number, d: number) => (d > 0 ? n / d : 0);

/** The report's A/B section: the test, its winner and every variant's exact counts (null: no test). */
export async function abTestReport(db: Db, workspaceId: string, campaignId: string) {
  const [row] = await db
    .select({ abTest: emailCampaigns.abTest })
    .from(emailCampaigns)
    .where(and(eq(emailCampaigns.id, campaignId), eq(emailCampaigns.workspaceId, workspaceId)));
  const test = parseAbTest(row?.abTest);
  if (!test?.phase) return null;
  const numbers = await variantNumbers(db, workspaceId, campaignId);
  const winner = numbers.find((n) => n.id === test.winnerVariantId) ?? null;
  return {
    metric: test.metric,
    sharePercent: test.sharePercent,
    waitMinutes: test.waitMinutes,
    phase: test.phase,
    audienceSize: test.audienceSize ?? null,
    testSize: test.testSize ?? 0,
    testEndsAt: test.testEndsAt ? new Date(test.testEndsAt) : null,
    winnerVariantId: winner?.id ?? null,
    winnerLabel: winner?.label ?? null,
    decidedAt: test.decidedAt ? new Date(test.decidedAt) : null,
    decidedBy: test.decidedBy ?? null,
    restSize: test.restSize ?? null,
    variants: numbers.map((n) => ({
      id: n.id,
      label: n.label,
      subject: n.subject,
      sent: n.sent,
      pending: n.pending,
      delivered: n.delivered,
      uniqueOpens: n.opens,
      uniqueClicks: n.clicks,
      openRate: ratio(n.opens, n.sent),
      clickRate: ratio(n.clicks, n.sent),
    })),
  };
}
export type AbTestReport = NonNullable<Awaited<ReturnType<typeof abTestReport>>>;
