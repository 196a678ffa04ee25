import { and, asc, count, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { EmailBlock } from "@/lib/email-blocks";
import { sanitizeMarkdown } from "@/lib/markdown";
import type { Db } from "@/server/db";
import {
  type CampaignStatus,
  type CampaignType,
  campaignSteps,
  customFieldDefinitions,
  emailCampaigns,
  emailEvents,
  emailSends,
  leads,
  workspaces,
} from "@/server/db/schema";
import { ConflictError, DomainError, NotFoundError, ValidationError } from "@/server/errors";
import { record } from "../activity";
import { assertMayActDirectly } from "../approvals/policy";
import type { WorkspaceServiceContext } from "../context";
import { decodeKeysetCursor, encodeKeysetCursor } from "../keyset";
import { compileSegmentCriteria, criteriaProblems } from "../segments/compile";
import { type SegmentCriteria, segmentCriteriaSchema } from "../segments/criteria-schemas";
import { getUsableSegmentOrThrow } from "../segments/segments";
import { copyAbTest } from "./ab-test";
import { notSuppressed } from "./audience";
import { prepareCampaignEmail } from "./blocks-render";
import { recipientCounts } from "./campaign-recipients";
import {
  type AudienceInput,
  type CreateCampaignInput,
  type ListCampaignsInput,
  type PreviewInput,
  type SenderOverrides,
  type StepInput,
  senderOverridesSchema,
  triggerSchema,
  type UpdateCampaignInput,
} from "./campaign-schemas";
import { renderCampaignEmail } from "./render";
import { scheduledLocalTime, withoutLocalTime } from "./scheduled-local-time";
import { assertCampaignCanSend } from "./send-readiness";
import { getSenderSettings, type SenderSettings } from "./sender-settings";
import { enrollSequenceAudience } from "./sequences";
import { campaignOwnFroms, kickCampaignSender, startCampaignSend } from "./start";

type CampaignRow = typeof emailCampaigns.$inferSelect;
type StepRow = typeof campaignSteps.$inferSelect;

/** The campaign as the editor and the API see it: the jsonb columns read into typed fields. */
export function shapeCampaign(row: CampaignRow, steps: StepRow[]) {
  const content = row.content ?? {};
  const schedule = (row.schedule ?? {}) as { sendAt?: string; trigger?: unknown };
  const sender = senderOverridesSchema.safeParse(content);
  const trigger = triggerSchema.safeParse(schedule.trigger);
  const criteria = segmentCriteriaSchema.safeParse(row.segmentCriteria);
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    name: row.name,
    type: row.type,
    status: row.status,
    sender: sender.success ? sender.data : { fromName: "", fromEmail: "", replyTo: "" },
    audience: {
      segmentId: typeof content.segmentId === "string" ? content.segmentId : null,
      criteria: criteria.success ? criteria.data : { match: "all" as const, conditions: [] },
    },
    trigger: trigger.success ? trigger.data : null,
    /** The email content item this campaign was sent for, if it was (content → publish). */
    contentId: typeof content.contentId === "string" ? content.contentId : null,
    sendAt: schedule.sendAt ? new Date(schedule.sendAt) : null,
    /** "Send at a local time": the wall-clock "YYYY-MM-DDTHH:MM" each lead receives it at, in its own zone. */
    localTime: scheduledLocalTime(row.schedule),
    metrics: row.metrics,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    steps: steps
      .sort((a, b) => a.position - b.position)
      .map((s) => ({
        id: s.id,
        position: s.position,
        delayMinutes: s.delayMinutes,
        subject: s.subject,
        preheader: s.preheader,
        body: s.body,
        format: s.format,
        blocks: s.format === "blocks" ? ((s.blocks ?? []) as EmailBlock[]) : null,
      })),
  };
}
export type Campaign = ReturnType<typeof shapeCampaign>;
/** As `campaigns.get` answers: with how many leads it reached once started (else null). */
export type CampaignWithReach = Campaign & { recipients: number | null };

/** Who a campaign's criteria reach: active leads only — suppressed leads are never mailed. */
export function audienceWhere(workspaceId: string, criteria: SegmentCriteria) {
  return and(
    eq(leads.workspaceId, workspaceId),
    eq(leads.status, "active"),
    compileSegmentCriteria(criteria, { workspaceId }),
    notSuppressed(workspaceId),
  );
}

async function getRowOrThrow(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(emailCampaigns)
    .where(and(eq(emailCampaigns.id, id), eq(emailCampaigns.workspaceId, workspaceId)));
  if (!row) throw new NotFoundError("Campaign not found");
  return row;
}

async function stepsOf(db: Db, workspaceId: string, campaignId: string) {
  return db
    .select()
    .from(campaignSteps)
    .where(and(eq(campaignSteps.campaignId, campaignId), eq(campaignSteps.workspaceId, workspaceId)))
    .orderBy(asc(campaignSteps.position));
}

/** A campaign with its steps and, once started, how many leads it reached (`recipients`). */
export async function getCampaignOrThrow(db: Db, workspaceId: string, id: string) {
  const row = await getRowOrThrow(db, workspaceId, id);
  const [steps, reached] = await Promise.all([
    stepsOf(db, workspaceId, id),
    recipientCounts(db, workspaceId, [row]),
  ]);
  return { ...shapeCampaign(row, steps), recipients: reached.get(row.id) ?? null };
}

export async function countAudience(db: Db, workspaceId: string, criteria: SegmentCriteria) {
  const [row] = await db.select({ n: count() }).from(leads).where(audienceWhere(workspaceId, criteria));
  return row?.n ?? 0;
}

const rate = (n: number, d: number) => (d > 0 ? n / d : 0);

/**
 * Campaigns with their audience size, sends and rates, newest first: the list page (the first 200)
 * and REST, which pages on with `cursor` (the previous page's `nextCursor`, a (created_at, id)
 * keyset position, so campaigns created meanwhile never shift a page).
 */
export async function listCampaigns(
  db: Db,
  workspaceId: string,
  input: ListCampaignsInput & { cursor?: string; limit?: number },
) {
  const limit = input.limit ?? 200;
  const filters: SQL[] = [eq(emailCampaigns.workspaceId, workspaceId)];
  if (input.type) filters.push(eq(emailCampaigns.type, input.type));
  if (input.status) filters.push(eq(emailCampaigns.status, input.status));
  if (input.cursor) {
    const c = decodeKeysetCursor(input.cursor, "timestamp");
    if (c.v === null)
      throw new ValidationError("That page link is no longer valid", { cursor: ["Invalid cursor"] });
    filters.push(
      sql`(${emailCampaigns.createdAt}, ${emailCampaigns.id}) < (${c.v}::timestamptz, ${c.id}::uuid)`,
    );
  }
  const found = await db
    .select({ row: emailCampaigns, sortKey: sql<string>`(${emailCampaigns.createdAt})::text` })
    .from(emailCampaigns)
    .where(and(...filters))
    .orderBy(desc(emailCampaigns.createdAt), desc(emailCampaigns.id))
    .limit(limit + 1);
  const more = found.length > limit;
  const kept = more ? found.slice(0, limit) : found;
  const lastKept = kept.at(-1);
  const nextCursor =
    more && lastKept ? encodeKeysetCursor({ v: lastKept.sortKey, id: lastKept.row.id }) : null;
  const rows = kept.map((f) => f.row);
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return { campaigns: [], nextCursor };
  const [sends, events] = await Promise.all([
    db
      .select({
        campaignId: emailSends.campaignId,
        sent: sql<number>`count(*) filter (where ${emailSends.status} = 'sent')::int`,
      })
      .from(emailSends)
      .where(and(eq(emailSends.workspaceId, workspaceId), inArray(emailSends.campaignId, ids)))
      .groupBy(emailSends.campaignId),
    db
      .select({
        campaignId: emailEvents.campaignId,
        opens: sql<number>`count(distinct ${emailEvents.leadId}) filter (where ${emailEvents.type} = 'open')::int`,
        clicks: sql<number>`count(distinct ${emailEvents.leadId}) filter (where ${emailEvents.type} = 'click')::int`,
      })
      .from(emailEvents)
      .where(
        and(
          eq(emailEvents.workspaceId, workspaceId),
          inArray(emailEvents.campaignId, ids),
          eq(emailEvents.isMachine, false),
        ),
      )
      .groupBy(emailEvents.campaignId),
  ]);
  const reached = await recipientCounts(db, workspaceId, rows);
  const sentBy = new Map(sends.map((s) => [s.campaignId, Number(s.sent)]));
  const eventsBy = new Map(events.map((e) => [e.campaignId, e]));
  const campaigns = await Promise.all(
    rows.map(async (row) => {
      const shaped = shapeCampaign(row, []);
      const sent = sentBy.get(row.id) ?? 0;
      const ev = eventsBy.get(row.id);
      return {
        ...shaped,
        // Started: who it reached; not started: who matches its rules now.
        audienceSize: reached.get(row.id) ?? (await countAudience(db, workspaceId, shaped.audience.criteria)),
        audienceKind: reached.has(row.id) ? ("recipients" as const) : ("matching" as const),
        sent,
        openRate: rate(Number(ev?.opens ?? 0), sent),
        clickRate: rate(Number(ev?.clicks ?? 0), sent),
      };
    }),
  );
  return { campaigns, nextCursor };
}

/** The criteria to store: a saved segment's rules are copied so later edits to it don't move a sent audience. */
async function resolveAudience(db: Db, workspaceId: string, audience: AudienceInput) {
  if (audience.segmentId) {
    const seg = await getUsableSegmentOrThrow(db, workspaceId, audience.segmentId);
    return { segmentId: seg.id, criteria: seg.criteria };
  }
  const problems = criteriaProblems(audience.criteria);
  if (problems.length) throw new ValidationError(problems[0]!, { audience: problems });
  return { segmentId: null, criteria: audience.criteria };
}

/** Sequences and triggered campaigns keep each step's delay (after enrolment); a one-time email has none. */
function cleanSteps(type: CampaignType, steps: StepInput[]) {
  return steps.map((s, i) => ({
    position: i,
    delayMinutes: type === "one-time" ? 0 : s.delayMinutes,
    subject: s.subject,
    preheader: s.preheader,
    body: sanitizeMarkdown(s.body),
    format: s.format,
    blocks: s.format === "blocks" ? (s.blocks ?? []) : null,
  }));
}

function contentJson(sender: SenderOverrides, segmentId: string | null) {
  return { ...sender, segmentId };
}

async function log(
  ctx: WorkspaceServiceContext,
  action: string,
  row: { id: string; name: string },
  meta: Record<string, unknown> = {},
) {
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    `campaign.${action}`,
    { type: "campaign", id: row.id },
    {
      name: row.name,
      ...meta,
    },
  );
}

export async function createCampaign(ctx: WorkspaceServiceContext, input: CreateCampaignInput) {
  const audience = await resolveAudience(ctx.db, ctx.workspaceId, input.audience);
  const steps = cleanSteps(input.type, input.steps);
  const row = await ctx.db.transaction(async (tx) => {
    const [campaign] = await tx
      .insert(emailCampaigns)
      .values({
        workspaceId: ctx.workspaceId,
        name: input.name,
        type: input.type,
        status: "draft",
        segmentCriteria: audience.criteria,
        content: contentJson(input.sender, audience.segmentId),
        schedule: input.type === "triggered" && input.trigger ? { trigger: input.trigger } : {},
        createdBy: ctx.actor.userId,
      })
      .returning();
    await tx
      .insert(campaignSteps)
      .values(steps.map((s) => ({ ...s, workspaceId: ctx.workspaceId, campaignId: campaign!.id })));
    return campaign!;
  });
  await log(ctx, "created", row, { type: row.type });
  return getCampaignOrThrow(ctx.db, ctx.workspaceId, row.id);
}

const EDITABLE: CampaignStatus[] = ["draft", "scheduled", "paused"];

/**
 * Edits settings and steps. Steps are updated in place by position (so the ledger rows of a paused
 * sequence keep pointing at them); removing a step that already has sends is refused.
 */
export async function updateCampaign(ctx: WorkspaceServiceContext, input: UpdateCampaignInput) {
  const current = await getRowOrThrow(ctx.db, ctx.workspaceId, input.id);
  if (!EDITABLE.includes(current.status)) {
    throw new ConflictError(
      current.status === "active" || current.status === "sending"
        ? `This campaign is ${current.status}; pause it before editing`
        : `This campaign is ${current.status} and can no longer be edited`,
    );
  }
  const shaped = shapeCampaign(current, []);
  if (input.steps && current.type === "one-time" && input.steps.length !== 1) {
    throw new ValidationError("A one-time campaign has exactly one email", { steps: ["Exactly one email"] });
  }
  if (current.type === "triggered" && input.trigger === null) {
    throw new ValidationError("Choose what starts this campaign", { trigger: ["Required"] });
  }
  const audience = input.audience ? await resolveAudience(ctx.db, ctx.workspaceId, input.audience) : null;
  const steps = input.steps ? cleanSteps(current.type, input.steps) : null;
  await ctx.db.transaction(async (tx) => {
    const set: Partial<typeof emailCampaigns.$inferInsert> = { updatedAt: sql`now()` as unknown as Date };
    if (input.name !== undefined) set.name = input.name;
    if (input.sender || audience) {
      // Other keys (the content item a campaign was sent for) stay.
      set.content = {
        ...current.content,
        ...contentJson(
          input.sender ?? shaped.sender,
          audience ? audience.segmentId : shaped.audience.segmentId,
        ),
      };
    }
    if (audience) set.segmentCriteria = audience.criteria;
    if (input.trigger && current.type === "triggered") {
      set.schedule = { ...(current.schedule ?? {}), trigger: input.trigger };
    }
    const [updated] = await tx
      .update(emailCampaigns)
      .set(set)
      .where(
        and(
          eq(emailCampaigns.id, input.id),
          eq(emailCampaigns.workspaceId, ctx.workspaceId),
          inArray(emailCampaigns.status, EDITABLE),
        ),
      )
      .returning({ id: emailCampaigns.id });
    if (!updated) throw new ConflictError("This campaign changed status while you were editing; reload it");
    if (!steps) return;
    const existing = await stepsOf(tx as unknown as Db, ctx.workspaceId, input.id);
    for (const s of steps) {
      const old = existing.find((e) => e.position === s.position);
      if (old) {
        await tx
          .update(campaignSteps)
          .set({ ...s, updatedAt: sql`now()` as unknown as Date })
          .where(and(eq(campaignSteps.id, old.id), eq(campaignSteps.workspaceId, ctx.workspaceId)));
      } else {
        await tx.insert(campaignSteps).values({ ...s, workspaceId: ctx.workspaceId, campaignId: input.id });
      }
    }
    const removed = existing.filter((e) => e.position >= steps.length).map((e) => e.id);
    if (removed.length) {
      const [used] = await tx
        .select({ n: count() })
        .from(emailSends)
        .where(and(eq(emailSends.workspaceId, ctx.workspaceId), inArray(emailSends.stepId, removed)));
      if ((used?.n ?? 0) > 0) throw new ConflictError("A step that has already been sent cannot be removed");
      await tx
        .delete(campaignSteps)
        .where(and(eq(campaignSteps.workspaceId, ctx.workspaceId), inArray(campaignSteps.id, removed)));
    }
  });
  const result = await getCampaignOrThrow(ctx.db, ctx.workspaceId, input.id);
  await log(ctx, "updated", result);
  return result;
}

const DELETABLE: CampaignStatus[] = ["draft", "scheduled", "sent", "paused", "cancelled"];

export async function deleteCampaign(ctx: WorkspaceServiceContext, input: { id: string }) {
  const [row] = await ctx.db
    .delete(emailCampaigns)
    .where(
      and(
        eq(emailCampaigns.id, input.id),
        eq(emailCampaigns.workspaceId, ctx.workspaceId),
        inArray(emailCampaigns.status, DELETABLE),
      ),
    )
    .returning();
  if (!row) {
    const current = await getRowOrThrow(ctx.db, ctx.workspaceId, input.id);
    throw new ConflictError(`This campaign is ${current.status}; pause or cancel it before deleting`);
  }
  await log(ctx, "deleted", row);
  return { id: row.id };
}

export async function duplicateCampaign(ctx: WorkspaceServiceContext, input: { id: string }) {
  const source = await getCampaignOrThrow(ctx.db, ctx.workspaceId, input.id);
  const row = await ctx.db.transaction(async (tx) => {
    const [copy] = await tx
      .insert(emailCampaigns)
      .values({
        workspaceId: ctx.workspaceId,
        name: `Copy of ${source.name}`.slice(0, 255),
        type: source.type,
        status: "draft",
        segmentCriteria: source.audience.criteria,
        content: contentJson(source.sender, source.audience.segmentId),
        schedule: source.trigger ? { trigger: source.trigger } : {},
        createdBy: ctx.actor.userId,
      })
      .returning();
    await tx.insert(campaignSteps).values(
      source.steps.map((s) => ({
        workspaceId: ctx.workspaceId,
        campaignId: copy!.id,
        position: s.position,
        delayMinutes: s.delayMinutes,
        subject: s.subject,
        preheader: s.preheader,
        body: s.body,
        format: s.format,
        blocks: s.blocks,
      })),
    );
    await copyAbTest(tx as unknown as Db, ctx.workspaceId, source.id, copy!.id);
    return copy!;
  });
  await log(ctx, "duplicated", row, { from: source.id });
  return getCampaignOrThrow(ctx.db, ctx.workspaceId, row.id);
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

const TYPE_LABEL: Record<CampaignType, string> = {
  "one-time": "one-time campaigns",
  sequence: "sequences",
  triggered: "triggered campaigns",
};

/**
 * Moves a campaign from one of `from` to `to` with a conditional UPDATE, so two people (or a person
 * and the scheduler) cannot both win. An illegal move is a CONFLICT that says why.
 */
async function transition(
  ctx: WorkspaceServiceContext,
  p: {
    id: string;
    verb: string;
    from: CampaignStatus[];
    types: CampaignType[];
    set: (row: CampaignRow) => Partial<typeof emailCampaigns.$inferInsert>;
  },
) {
  const current = await getRowOrThrow(ctx.db, ctx.workspaceId, p.id);
  if (!p.types.includes(current.type)) {
    throw new ConflictError(`Only ${p.types.map((t) => TYPE_LABEL[t]).join(" and ")} can be ${p.verb}`);
  }
  const [row] = await ctx.db
    .update(emailCampaigns)
    .set({ ...p.set(current), updatedAt: sql`now()` as unknown as Date })
    .where(
      and(
        eq(emailCampaigns.id, p.id),
        eq(emailCampaigns.workspaceId, ctx.workspaceId),
        inArray(emailCampaigns.status, p.from),
      ),
    )
    .returning();
  if (!row) {
    const now = await getRowOrThrow(ctx.db, ctx.workspaceId, p.id);
    throw new ConflictError(
      `This campaign is ${now.status}; only ${p.from.join(" or ")} campaigns can be ${p.verb}`,
    );
  }
  return row;
}

/** The postal address (and from address) must be set before anything is sent. */
export async function requireSenderSettings(db: Db, workspaceId: string) {
  const sender = await getSenderSettings(db, workspaceId);
  if (!sender) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "Set the sender name, from address and postal address in Settings → Sending first",
    );
  }
  return sender;
}

export async function sendCampaignNow(ctx: WorkspaceServiceContext, input: { id: string }) {
  await assertMayActDirectly(ctx, "send a campaign");
  const current = await getRowOrThrow(ctx.db, ctx.workspaceId, input.id);
  if (current.type !== "one-time") throw new ConflictError("Only one-time campaigns can be sent now");
  if (current.status !== "draft" && current.status !== "scheduled") {
    throw new ConflictError(
      `This campaign is ${current.status}; only draft or scheduled campaigns can be sent`,
    );
  }
  await requireSenderSettings(ctx.db, ctx.workspaceId);
  // startCampaignSend records the activity row (campaign.send_started) itself.
  const { queued } = await startCampaignSend(ctx, input.id);
  return { ...(await getCampaignOrThrow(ctx.db, ctx.workspaceId, input.id)), queued };
}

export async function scheduleCampaign(
  ctx: WorkspaceServiceContext,
  input: { id: string; sendAt: Date; localTime?: string },
) {
  // A local send time (send-time.ts) may start at once: some zones' hour is still ahead.
  if (input.sendAt.getTime() <= Date.now() && !input.localTime) {
    throw new ValidationError("Pick a time in the future", { sendAt: ["Must be in the future"] });
  }
  await assertMayActDirectly(ctx, "schedule a campaign");
  const current = await getRowOrThrow(ctx.db, ctx.workspaceId, input.id);
  await requireSenderSettings(ctx.db, ctx.workspaceId);
  // Checked again when the time comes; refusing now spares a silent fall back to draft later.
  await assertCampaignCanSend(ctx.db, ctx.workspaceId, campaignOwnFroms(current.content));
  const row = await transition(ctx, {
    id: input.id,
    verb: "scheduled",
    from: ["draft", "scheduled"],
    types: ["one-time"],
    set: (r) => ({
      status: "scheduled",
      schedule: {
        ...withoutLocalTime(r.schedule),
        sendAt: input.sendAt.toISOString(),
        ...(input.localTime && { localTime: input.localTime }),
      },
    }),
  });
  await log(ctx, "scheduled", row, {
    sendAt: input.sendAt.toISOString(),
    ...(input.localTime && { localTime: input.localTime }),
  });
  return getCampaignOrThrow(ctx.db, ctx.workspaceId, row.id);
}

export async function unscheduleCampaign(ctx: WorkspaceServiceContext, input: { id: string }) {
  const row = await transition(ctx, {
    id: input.id,
    verb: "unscheduled",
    from: ["scheduled"],
    types: ["one-time"],
    set: (r) => {
      const { sendAt: _drop, ...rest } = withoutLocalTime(r.schedule);
      return { status: "draft", schedule: rest };
    },
  });
  await log(ctx, "unscheduled", row);
  return getCampaignOrThrow(ctx.db, ctx.workspaceId, row.id);
}

/** Sequences and triggered campaigns start listening; a sequence enrols its current segment at once. */
export async function activateCampaign(ctx: WorkspaceServiceContext, input: { id: string }) {
  const current = await getRowOrThrow(ctx.db, ctx.workspaceId, input.id);
  if (current.type === "triggered" && !shapeCampaign(current, []).trigger) {
    throw new ValidationError("Choose what starts this campaign before activating it", {
      trigger: ["Required"],
    });
  }
  await requireSenderSettings(ctx.db, ctx.workspaceId);
  await assertCampaignCanSend(ctx.db, ctx.workspaceId, campaignOwnFroms(current.content));
  const row = await transition(ctx, {
    id: input.id,
    verb: "activated",
    from: ["draft", "paused"],
    types: ["sequence", "triggered"],
    set: () => ({ status: "active" }),
  });
  const enrolled = row.type === "sequence" ? await enrollSequenceAudience(ctx.db, row) : 0;
  if (enrolled) await kickCampaignSender(ctx.workspaceId);
  await log(ctx, "activated", row, { enrolled });
  return { ...(await getCampaignOrThrow(ctx.db, ctx.workspaceId, row.id)), enrolled };
}

/** The sender only sends rows of sending/active campaigns, so pausing is the status change alone. */
export async function pauseCampaign(ctx: WorkspaceServiceContext, input: { id: string }) {
  const row = await transition(ctx, {
    id: input.id,
    verb: "paused",
    from: ["sending", "active"],
    types: ["one-time", "sequence", "triggered"],
    set: () => ({ status: "paused" }),
  });
  await log(ctx, "paused", row);
  return getCampaignOrThrow(ctx.db, ctx.workspaceId, row.id);
}

export async function resumeCampaign(ctx: WorkspaceServiceContext, input: { id: string }) {
  const current = await getRowOrThrow(ctx.db, ctx.workspaceId, input.id);
  // A campaign the sender paused for an unverified From domain resumes only once it is verified.
  if (current.status === "paused") {
    await assertCampaignCanSend(ctx.db, ctx.workspaceId, campaignOwnFroms(current.content));
  }
  const row = await transition(ctx, {
    id: input.id,
    verb: "resumed",
    from: ["paused"],
    types: ["one-time", "sequence", "triggered"],
    set: (r) => ({ status: r.type === "one-time" ? "sending" : "active" }),
  });
  await kickCampaignSender(ctx.workspaceId);
  await log(ctx, "resumed", row);
  return getCampaignOrThrow(ctx.db, ctx.workspaceId, row.id);
}

/** Stops a campaign for good; messages not yet handed to the transport are suppressed. */
export async function cancelCampaign(ctx: WorkspaceServiceContext, input: { id: string }) {
  const row = await transition(ctx, {
    id: input.id,
    verb: "cancelled",
    from: ["draft", "scheduled", "sending", "active", "paused"],
    types: ["one-time", "sequence", "triggered"],
    set: () => ({ status: "cancelled" }),
  });
  const suppressed = await ctx.db
    .update(emailSends)
    .set({ status: "suppressed", error: "Campaign cancelled" })
    .where(
      and(
        eq(emailSends.workspaceId, ctx.workspaceId),
        eq(emailSends.campaignId, row.id),
        eq(emailSends.status, "pending"),
      ),
    )
    .returning({ id: emailSends.id });
  await log(ctx, "cancelled", row, { suppressed: suppressed.length });
  return { ...(await getCampaignOrThrow(ctx.db, ctx.workspaceId, row.id)), suppressed: suppressed.length };
}

// ---------------------------------------------------------------------------------------------
// Preview

/** What a preview shows where the workspace hasn't set its sender yet. */
const PLACEHOLDER_SENDER: SenderSettings = {
  fromName: "Your name",
  fromEmail: "you@example.com",
  replyTo: "",
  postalAddress: "Your postal address — set it in Settings → Sending",
  sendRatePerSecond: 10,
};

/** The workspace sender with a campaign's overrides applied ("" keeps the workspace value). */
export function effectiveSender(
  base: SenderSettings | null,
  overrides?: Partial<SenderOverrides>,
): SenderSettings {
  const s = base ?? PLACEHOLDER_SENDER;
  return {
    ...s,
    fromName: overrides?.fromName || s.fromName,
    fromEmail: overrides?.fromEmail || s.fromEmail,
    replyTo: overrides?.replyTo || s.replyTo,
  };
}

/** Renders a step as a lead would receive it: the workspace's newest active lead, or a sample one. */
export async function previewCampaignEmail(
  db: Db,
  workspaceId: string,
  input: PreviewInput,
  baseUrl: string,
) {
  const [ws] = await db
    .select({ id: workspaces.id, name: workspaces.name, slug: workspaces.slug })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  if (!ws) throw new NotFoundError("Workspace not found");
  const [lead] = await db
    .select({ id: leads.id, email: leads.email, name: leads.name, customFields: leads.customFields })
    .from(leads)
    .where(and(eq(leads.workspaceId, workspaceId), eq(leads.status, "active")))
    .orderBy(desc(leads.createdAt))
    .limit(1);
  const sender = effectiveSender(await getSenderSettings(db, workspaceId), input.sender);
  const step = { ...input.step, body: sanitizeMarkdown(input.step.body) };
  await prepareCampaignEmail({ workspace: ws, sender, step, baseUrl });
  const rendered = renderCampaignEmail({
    workspace: ws,
    sender,
    step,
    lead: lead ?? {
      id: "00000000-0000-0000-0000-000000000000",
      email: "alex@example.com",
      name: "Alex",
      customFields: {},
    },
    sendId: null,
    baseUrl,
  });
  return {
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    sampleLead: lead?.email ?? null,
  };
}

/** Custom fields a body can merge, for the editor's merge-tag helper. */
export async function listMergeFields(db: Db, workspaceId: string) {
  const custom = await db
    .select({ key: customFieldDefinitions.key, label: customFieldDefinitions.label })
    .from(customFieldDefinitions)
    .where(eq(customFieldDefinitions.workspaceId, workspaceId))
    .orderBy(asc(customFieldDefinitions.label));
  return [
    { tag: "{{name|there}}", label: "Name (with a fallback)" },
    { tag: "{{first_name|there}}", label: "First name (with a fallback)" },
    { tag: "{{email}}", label: "Email address" },
    ...custom.map((c) => ({ tag: `{{custom.${c.key}}}`, label: c.label })),
  ];
}

/** The live audience count while editing: active leads the saved segment or the rules match now. */
export async function previewAudience(db: Db, workspaceId: string, audience: AudienceInput) {
  const resolved = await resolveAudience(db, workspaceId, audience);
  return { count: await countAudience(db, workspaceId, resolved.criteria) };
}
