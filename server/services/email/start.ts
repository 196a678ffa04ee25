import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { appUrl, env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { consume } from "@/lib/ratelimit";
import type { Db } from "@/server/db";
import { refreshStalePlannerFigures } from "@/server/db/planner-figures";
import { rowsOf } from "@/server/db/raw-rows";
import {
  campaignEnrollments,
  campaignSteps,
  emailCampaigns,
  leads,
  users,
  workspaceMembers,
  workspaces,
} from "@/server/db/schema";
import { DomainError, NotFoundError, ValidationError } from "@/server/errors";
import { kickEmailSender } from "@/server/queue/jobs/email-sender";
import { logActivity, record } from "../activity";
import { systemActor, type WorkspaceServiceContext } from "../context";
import { notifyWorkspace } from "../notifications";
import { beginAbTest, scheduleAbTestDecision } from "./ab-test";
import { notSuppressed, parseCriteria, resolveAudience } from "./audience";
import { parseBlocks, prepareCampaignEmail } from "./blocks-render";
import { senderOverridesSchema } from "./campaign-schemas";
import { renderCampaignEmail } from "./render";
import { assertCampaignCanSend } from "./send-readiness";
import { localDueAt } from "./send-time";
import { getSenderSettings, type SenderSettings } from "./sender-settings";
import { stepDueAt } from "./step-delay";
import { suppressionOf } from "./suppressions";
import { getTransport } from "./transport";

async function requireSender(db: Db, workspaceId: string): Promise<SenderSettings> {
  const sender = await getSenderSettings(db, workspaceId);
  if (!sender) {
    throw new ValidationError(
      "Set the sender name, from address and postal address in Settings → Sending before sending",
    );
  }
  return sender;
}

/** A campaign's own From address (its sender override), when it has one: checked like the workspace's. */
export function campaignOwnFroms(content: Record<string, unknown> | null | undefined): string[] {
  const parsed = senderOverridesSchema.safeParse(content ?? {});
  return parsed.success && parsed.data.fromEmail ? [parsed.data.fromEmail] : [];
}

function checkStep(
  step: { subject: string; body: string; format?: string | null; blocks?: unknown } | undefined,
  label = "This campaign",
) {
  if (!step) throw new ValidationError(`${label} has no email yet: write it in the campaign's editor first`);
  if (!step.subject.trim()) throw new ValidationError(`${label} has no subject: add one before sending`);
  if (step.format === "blocks") {
    const blocks = parseBlocks(step.blocks);
    if (!blocks.some((b) => b.type !== "footer"))
      throw new ValidationError(`${label} has no blocks: build the email before sending`);
    return;
  }
  if (!step.body.trim())
    throw new ValidationError(`${label} has an empty body: write the email before sending`);
}

/**
 * Starts sending a one-time campaign: checks it can be sent, moves it draft|scheduled → sending
 * and writes its audience (active leads matching the segment now) into the ledger — both in one
 * transaction — then wakes the sender. Calling it again changes nothing and sends nothing twice.
 */
/** Audiences this large get fresh planner statistics on the ledger right away. */
const ANALYZE_AFTER_ROWS = 5000;

export async function startCampaignSend(
  ctx: WorkspaceServiceContext,
  campaignId: string,
  /** Started by the scheduler: a local send time (schedule.localTime) sets each lead's due time. */
  opts: { scheduled?: boolean } = {},
): Promise<{ queued: number }> {
  const { db, workspaceId } = ctx;
  const [campaign] = await db
    .select()
    .from(emailCampaigns)
    .where(and(eq(emailCampaigns.id, campaignId), eq(emailCampaigns.workspaceId, workspaceId)));
  if (!campaign) throw new NotFoundError("Campaign not found");
  if (campaign.type !== "one-time") {
    throw new ValidationError(
      "Only one-time campaigns are sent at once; sequences and triggered campaigns enrol leads",
    );
  }
  if (campaign.status === "sending" || campaign.status === "sent") {
    const [row] = rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from email_sends
        where workspace_id = ${workspaceId} and campaign_id = ${campaignId} and status in ('pending', 'sending')`),
    );
    if (campaign.status === "sending") await kickEmailSender(workspaceId);
    return { queued: Number(row?.n ?? 0) };
  }
  if (campaign.status !== "draft" && campaign.status !== "scheduled") {
    throw new ValidationError(`A ${campaign.status} campaign cannot be sent`);
  }
  await requireSender(db, workspaceId);
  await assertCampaignCanSend(db, workspaceId, campaignOwnFroms(campaign.content));
  const [step] = await db
    .select()
    .from(campaignSteps)
    .where(and(eq(campaignSteps.campaignId, campaignId), eq(campaignSteps.workspaceId, workspaceId)))
    .orderBy(asc(campaignSteps.position))
    .limit(1);
  checkStep(step);
  const dueAt = opts.scheduled ? await localDueAt(db, workspaceId, campaign.schedule) : null;
  // The audience joins leads with the suppression list: both may have just been imported.
  await refreshStalePlannerFigures(db, ["leads", "email_suppressions"]);

  let abTest = null as { testEndsAt: Date; testSize: number } | null;
  const queued = await db.transaction(async (tx) => {
    const [moved] = await tx
      .update(emailCampaigns)
      .set({ status: "sending", updatedAt: new Date() })
      .where(
        and(
          eq(emailCampaigns.id, campaignId),
          eq(emailCampaigns.workspaceId, workspaceId),
          inArray(emailCampaigns.status, ["draft", "scheduled"]),
        ),
      )
      .returning({ id: emailCampaigns.id });
    if (!moved) return null; // someone else started it a moment ago
    // With an A/B test only the test share gets rows now; the rest when the winner is chosen.
    const ab = await beginAbTest(tx as unknown as Db, {
      workspaceId,
      campaignId,
      step: step!,
      criteria: parseCriteria(campaign.segmentCriteria),
      abTest: campaign.abTest,
      dueAt,
    });
    if (ab) {
      abTest = ab;
      return ab.queued;
    }
    return resolveAudience(tx as unknown as Db, {
      workspaceId,
      campaignId,
      stepId: step!.id,
      criteria: parseCriteria(campaign.segmentCriteria),
      dueAt,
    });
  });
  if (queued === null) return startCampaignSend(ctx, campaignId, opts);
  if (queued >= ANALYZE_AFTER_ROWS) {
    // Thousands of fresh `pending` rows the planner has no figures for yet: without them the
    // senders' claim (due rows in due order, LIMIT n) can sort every pending row of the workspace
    // on each claim — quadratic in the audience. Autovacuum would get there, but later.
    await db.execute(sql`analyze email_sends`).catch((err) => logger.warn({ err }, "analyze email_sends"));
  }
  await record(
    db,
    ctx.actor,
    workspaceId,
    "campaign.send_started",
    { type: "campaign", id: campaignId },
    {
      name: campaign.name,
      recipients: queued,
      ...(abTest ? { abTestSize: abTest.testSize } : {}),
    },
  );
  if (abTest) await scheduleAbTestDecision(workspaceId, campaignId, abTest.testEndsAt);
  await kickEmailSender(workspaceId);
  return { queued };
}

/** Wakes the sender for a workspace now (e.g. after a campaign is resumed). */
export async function kickCampaignSender(workspaceId: string) {
  await kickEmailSender(workspaceId);
}

/**
 * Enrols a lead in a sequence or triggered campaign: the enrolment row and one ledger row per
 * step, due `delay_minutes` after enrolment. False when the lead was already enrolled, is not
 * active (unsubscribed, bounced, complained, pending) or the campaign is not a sequence/triggered one.
 */
export async function enrollLead(
  db: Db,
  p: { workspaceId: string; campaignId: string; leadId: string },
): Promise<boolean> {
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const [lead] = await tx
      .select({ id: leads.id, email: leads.email, status: leads.status })
      .from(leads)
      .where(and(eq(leads.id, p.leadId), eq(leads.workspaceId, p.workspaceId), notSuppressed(p.workspaceId)));
    // not active, or its address (or domain) is on the suppression list
    if (lead?.status !== "active") return false;
    const [campaign] = await tx
      .select({ type: emailCampaigns.type })
      .from(emailCampaigns)
      .where(and(eq(emailCampaigns.id, p.campaignId), eq(emailCampaigns.workspaceId, p.workspaceId)));
    if (!campaign || campaign.type === "one-time") return false;
    const [enrolment] = await tx
      .insert(campaignEnrollments)
      .values({ workspaceId: p.workspaceId, campaignId: p.campaignId, leadId: p.leadId })
      .onConflictDoNothing()
      .returning({ enrolledAt: campaignEnrollments.enrolledAt });
    if (!enrolment) return false;
    await tx.execute(sql`
      insert into email_sends (workspace_id, campaign_id, step_id, lead_id, to_address, due_at)
      select ${p.workspaceId}::uuid, ${p.campaignId}::uuid, st.id, ${p.leadId}::uuid, ${lead.email},
        ${stepDueAt(sql`${enrolment.enrolledAt.toISOString()}::timestamptz`, sql`st.delay_minutes`)}
      from campaign_steps st
      where st.workspace_id = ${p.workspaceId} and st.campaign_id = ${p.campaignId}
      on conflict (campaign_id, step_id, lead_id) do nothing`);
    return true;
  });
}

const SAMPLE_LEAD = {
  id: "00000000-0000-0000-0000-000000000000",
  name: "Alex Sample",
  customFields: {} as Record<string, unknown>,
};

/**
 * Test emails go to members of this workspace only, and — when they leave the server (SMTP, Gmail)
 * — only to an address its owner has verified: never a way to mail anyone from the operator's
 * servers. Per user and per workspace they are limited per hour.
 */
async function checkTestRecipient(ctx: WorkspaceServiceContext, to: string, leaves: boolean) {
  const [member] = await ctx.db
    .select({ email: users.email, verified: users.emailVerified })
    .from(workspaceMembers)
    .innerJoin(users, eq(users.id, workspaceMembers.userId))
    .where(
      and(
        eq(workspaceMembers.workspaceId, ctx.workspaceId),
        sql`lower(${users.email}) = ${to.toLowerCase()}`,
      ),
    );
  if (!member) {
    throw new ValidationError(
      "Test emails go only to members of this workspace: pick one of their addresses",
      {
        to: ["Not a member's address"],
      },
    );
  }
  if (leaves && !member.verified) {
    throw new ValidationError(
      `${member.email} isn't verified yet: test emails are sent only to verified addresses (its owner verifies it from the sign-up email)`,
      { to: ["Not verified"] },
    );
  }
  const suppressed = await suppressionOf(ctx.db, ctx.workspaceId, to);
  if (suppressed) {
    throw new ValidationError(
      `${to.toLowerCase()} is on the suppression list (${suppressed}): remove it in Email → Suppression list to send it a test`,
      { to: ["On the suppression list"] },
    );
  }
}

/** Members' addresses a test can go to, for the send-test dialog. */
export async function listTestRecipients(db: Db, workspaceId: string, userId: string | null) {
  const [rows, transport] = await Promise.all([
    db
      .select({ id: users.id, email: users.email, name: users.name, verified: users.emailVerified })
      .from(workspaceMembers)
      .innerJoin(users, eq(users.id, workspaceMembers.userId))
      .where(eq(workspaceMembers.workspaceId, workspaceId))
      .orderBy(asc(users.email)),
    getTransport(db, workspaceId).kind(),
  ]);
  const leaves = transport !== "outbox";
  return {
    transport,
    recipients: rows.map((r) => ({
      email: r.email,
      name: r.name,
      you: r.id === userId,
      allowed: !leaves || r.verified,
    })),
  };
}

const testLimits = () => {
  const e = env();
  return {
    user: { name: "email-test-user", points: e.EMAIL_TEST_SENDS_PER_USER_PER_HOUR, durationSeconds: 3600 },
    workspace: {
      name: "email-test-workspace",
      points: e.EMAIL_TEST_SENDS_PER_WORKSPACE_PER_HOUR,
      durationSeconds: 3600,
    },
  };
};

/**
 * Sends one message with sample data to `to` (a member's address, see checkTestRecipient) through
 * the workspace's transport: subject prefixed "[Test]", links working but not tracked, nothing
 * written to the ledger. A test needs no verified From domain: it reaches only the team.
 */
export async function sendTestEmail(
  ctx: WorkspaceServiceContext,
  input: {
    campaignId?: string;
    step: {
      subject: string;
      preheader?: string | null;
      body: string;
      format?: string | null;
      blocks?: unknown;
    };
    to: string;
  },
): Promise<{ messageId: string; delivered: boolean }> {
  const sender = await requireSender(ctx.db, ctx.workspaceId);
  checkStep(input.step, "The test email");
  const [ws] = await ctx.db
    .select({ id: workspaces.id, name: workspaces.name, slug: workspaces.slug })
    .from(workspaces)
    .where(eq(workspaces.id, ctx.workspaceId));
  if (!ws) throw new NotFoundError("Workspace not found");
  const transport = getTransport(ctx.db, ctx.workspaceId);
  await checkTestRecipient(ctx, input.to, (await transport.kind()) !== "outbox");
  const limits = testLimits();
  await consume(limits.user, ctx.actor.userId ?? `system:${ctx.workspaceId}`);
  await consume(limits.workspace, ctx.workspaceId);
  await prepareCampaignEmail({ workspace: ws, sender, step: input.step, baseUrl: appUrl() });
  const msg = renderCampaignEmail({
    workspace: ws,
    sender,
    step: input.step,
    lead: { ...SAMPLE_LEAD, email: input.to },
    sendId: null,
    baseUrl: appUrl(),
  });
  const result = await transport.send({
    from: { name: sender.fromName, address: sender.fromEmail },
    to: input.to,
    replyTo: sender.replyTo || null,
    subject: `[Test] ${msg.subject}`,
    html: msg.html,
    text: msg.text,
    headers: msg.headers,
  });
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "campaign.test_sent",
    { type: "campaign", id: input.campaignId ?? null },
    { to: input.to },
  );
  return { messageId: result.messageId, delivered: result.accepted };
}

/**
 * The campaign scheduler: starts every one-time campaign whose `schedule.sendAt` has passed. A
 * campaign that can no longer be sent (no sender settings, empty body, unverified From domain, no
 * https APP_URL) goes back to draft, and the workspace is told why.
 */
export async function startDueScheduledCampaigns(db: Db, log: Logger = logger): Promise<number> {
  const due = await db
    .select({ id: emailCampaigns.id, workspaceId: emailCampaigns.workspaceId, name: emailCampaigns.name })
    .from(emailCampaigns)
    .where(
      and(
        eq(emailCampaigns.status, "scheduled"),
        eq(emailCampaigns.type, "one-time"),
        sql`${emailCampaigns.schedule} ->> 'sendAt' ~ '^\\d{4}-\\d{2}-\\d{2}T'`,
        sql`(${emailCampaigns.schedule} ->> 'sendAt')::timestamptz <= now()`,
      ),
    )
    .limit(100);
  let started = 0;
  for (const c of due) {
    try {
      await startCampaignSend({ db, workspaceId: c.workspaceId, actor: systemActor }, c.id, {
        scheduled: true,
      });
      started++;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      log.warn({ campaignId: c.id, err: err.message }, "scheduled campaign could not start");
      const [back] = await db
        .update(emailCampaigns)
        .set({ status: "draft", updatedAt: new Date() })
        .where(and(eq(emailCampaigns.id, c.id), eq(emailCampaigns.status, "scheduled")))
        .returning({ id: emailCampaigns.id });
      if (!back) continue;
      await logActivity(db, {
        workspaceId: c.workspaceId,
        userId: null,
        action: "campaign.schedule_failed",
        entityType: "campaign",
        entityId: c.id,
        metadata: { name: c.name, error: err.message },
      });
      await notifyWorkspace(db, {
        workspaceId: c.workspaceId,
        kind: "campaign.failed",
        title: `Scheduled campaign not sent: ${c.name}`.slice(0, 255),
        body: err.message,
        link: null,
      });
    }
  }
  return started;
}
