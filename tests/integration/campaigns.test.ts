import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import {
  activityLogs,
  campaignEnrollments,
  campaignSteps,
  emailCampaigns,
  emailSends,
  leads,
  segments,
} from "@/server/db/schema";
import { emitDomainEvents } from "@/server/services/domain-events/record";
import { domainEvent, leadSnapshot } from "@/server/services/domain-events/types";
import { enrollActiveSequences } from "@/server/services/email/sequences";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

const h = await setupTestDb({ ownDatabase: true });
let f: Awaited<ReturnType<typeof twoWorkspaces>>;

const SENDER = {
  fromName: "Fernwood Games",
  fromEmail: "hello@fernwood.test",
  replyTo: "",
  postalAddress: "12 Mill Lane, Bristol BS1 4DJ, United Kingdom",
  sendRatePerSecond: 0,
};

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
  await callerFor(h.db, f.owner).email.sender.update({ workspaceId: f.ws.id, ...SENDER });
  await callerFor(h.db, f.otherOwner).email.sender.update({ workspaceId: f.other.id, ...SENDER });
});

async function addLead(workspaceId: string, p: { tags?: string[]; status?: "active" | "unsubscribed" } = {}) {
  const [lead] = await h.db
    .insert(leads)
    .values({
      workspaceId,
      email: `lead-${randomUUID().slice(0, 8)}@example.test`,
      name: "Lee",
      tags: p.tags ?? [],
      status: p.status ?? "active",
    })
    .returning();
  return lead!;
}

const oneTime = (name = "November news", extra: Record<string, unknown> = {}) => ({
  type: "one-time" as const,
  name,
  steps: [{ subject: "Hello {{name|there}}", preheader: "New decks", body: "# Hi\n\nOur new deck." }],
  ...extra,
});

const sequence = (tag: string) => ({
  type: "sequence" as const,
  name: `Welcome ${tag}`,
  audience: {
    segmentId: null,
    criteria: {
      match: "all" as const,
      conditions: [{ field: "tag" as const, op: "has" as const, value: tag }],
    },
  },
  steps: [
    { subject: "Day 0", body: "Welcome", delayMinutes: 0 },
    { subject: "Day 2", body: "Tips", delayMinutes: 2 * 24 * 60 },
  ],
});

async function campaignCount(workspaceId: string) {
  return (
    await h.db
      .select({ id: emailCampaigns.id })
      .from(emailCampaigns)
      .where(eq(emailCampaigns.workspaceId, workspaceId))
  ).length;
}

describe("email.campaigns.create / get / list", () => {
  it("creates a draft with its step, a sanitized body and an activity row", async () => {
    const c = callerFor(h.db, f.member);
    const row = await c.email.campaigns.create({
      workspaceId: f.ws.id,
      ...oneTime("Launch", { steps: [{ subject: "Hi", body: "Hello <img src=x onerror=alert(1)>" }] }),
      sender: { fromName: "Sam", fromEmail: "Sam@Fernwood.test", replyTo: "" },
    });
    expect(row).toMatchObject({ status: "draft", type: "one-time", name: "Launch" });
    expect(row.sender.fromEmail).toBe("sam@fernwood.test");
    expect(row.steps).toHaveLength(1);
    expect(row.steps[0]!.body).not.toMatch(/onerror/);
    const got = await c.email.campaigns.get({ workspaceId: f.ws.id, id: row.id });
    expect(got.id).toBe(row.id);
    const [log] = await h.db.select().from(activityLogs).where(eq(activityLogs.entityId, row.id));
    expect(log).toMatchObject({ action: "campaign.created", userId: f.member.id });
    const list = await callerFor(h.db, f.viewer).email.campaigns.list({ workspaceId: f.ws.id });
    const item = list.campaigns.find((x) => x.id === row.id);
    expect(item).toMatchObject({ sent: 0, openRate: 0, clickRate: 0 });
    expect(typeof item?.audienceSize).toBe("number");
  });

  it("copies a saved segment's criteria and counts only active leads in the audience", async () => {
    const tag = `vip-${randomUUID().slice(0, 6)}`;
    await addLead(f.ws.id, { tags: [tag] });
    await addLead(f.ws.id, { tags: [tag] });
    await addLead(f.ws.id, { tags: [tag], status: "unsubscribed" });
    const [seg] = await h.db
      .insert(segments)
      .values({
        workspaceId: f.ws.id,
        name: "VIPs",
        criteria: { match: "all", conditions: [{ field: "tag", op: "has", value: tag }] },
      })
      .returning();
    const row = await callerFor(h.db, f.member).email.campaigns.create({
      workspaceId: f.ws.id,
      ...oneTime("VIP drop"),
      audience: { segmentId: seg!.id, criteria: { match: "all", conditions: [] } },
    });
    expect(row.audience.segmentId).toBe(seg!.id);
    expect(row.audience.criteria.conditions).toHaveLength(1);
    const list = await callerFor(h.db, f.member).email.campaigns.list({ workspaceId: f.ws.id });
    expect(list.campaigns.find((x) => x.id === row.id)).toMatchObject({
      audienceSize: 2,
      audienceKind: "matching",
    });
    expect(
      await callerFor(h.db, f.member).email.campaigns.get({ workspaceId: f.ws.id, id: row.id }),
    ).toMatchObject({
      recipients: null,
    });
    // another workspace's segment is not found
    const [foreign] = await h.db
      .insert(segments)
      .values({ workspaceId: f.other.id, name: "Theirs", criteria: { match: "all", conditions: [] } })
      .returning();
    const before = await campaignCount(f.ws.id);
    await expect(
      callerFor(h.db, f.member).email.campaigns.create({
        workspaceId: f.ws.id,
        ...oneTime("Foreign"),
        audience: { segmentId: foreign!.id, criteria: { match: "all", conditions: [] } },
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await campaignCount(f.ws.id)).toBe(before);
  });

  it("refuses invalid input and writes nothing", async () => {
    const c = callerFor(h.db, f.member);
    const before = await campaignCount(f.ws.id);
    const bad = [
      oneTime(""),
      oneTime("No subject", { steps: [{ subject: "", body: "x" }] }),
      oneTime("Two steps", { steps: [{ subject: "a" }, { subject: "b" }] }),
      oneTime("No steps", { steps: [] }),
      { type: "triggered" as const, name: "No trigger", steps: [{ subject: "a" }] },
      { ...sequence("x"), steps: [{ subject: "a", delayMinutes: -5 }] },
      oneTime("Bad from", { sender: { fromName: "", fromEmail: "not-an-email", replyTo: "" } }),
    ];
    for (const input of bad) {
      await expect(
        c.email.campaigns.create({ workspaceId: f.ws.id, ...(input as ReturnType<typeof oneTime>) }),
      ).rejects.toMatchObject({
        code: "BAD_REQUEST",
      });
    }
    expect(await campaignCount(f.ws.id)).toBe(before);
  });

  it("is FORBIDDEN for a viewer and NOT_FOUND across workspaces", async () => {
    await expect(
      callerFor(h.db, f.viewer).email.campaigns.create({ workspaceId: f.ws.id, ...oneTime() }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      callerFor(h.db, f.otherOwner).email.campaigns.create({ workspaceId: f.ws.id, ...oneTime() }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const mine = await callerFor(h.db, f.member).email.campaigns.create({
      workspaceId: f.ws.id,
      ...oneTime(),
    });
    // the other owner names their own workspace but our campaign id
    const other = callerFor(h.db, f.otherOwner);
    await expect(other.email.campaigns.get({ workspaceId: f.other.id, id: mine.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      other.email.campaigns.update({ workspaceId: f.other.id, id: mine.id, name: "Hijack" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      other.email.campaigns.delete({ workspaceId: f.other.id, id: mine.id }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      other.email.campaigns.duplicate({ workspaceId: f.other.id, id: mine.id }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    for (const action of ["pause", "resume", "cancel", "activate", "unschedule", "sendNow"] as const) {
      await expect(
        other.email.campaigns[action]({ workspaceId: f.other.id, id: mine.id }),
      ).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    }
    const list = await other.email.campaigns.list({ workspaceId: f.other.id });
    expect(list.campaigns.some((x) => x.id === mine.id)).toBe(false);
    expect(
      (await callerFor(h.db, f.member).email.campaigns.get({ workspaceId: f.ws.id, id: mine.id })).name,
    ).toBe("November news");
  });
});

describe("email.campaigns.update / delete / duplicate", () => {
  it("edits name, sender and sequence steps in place; viewers are refused", async () => {
    const c = callerFor(h.db, f.member);
    const seq = await c.email.campaigns.create({ workspaceId: f.ws.id, ...sequence("edit") });
    const firstStepId = seq.steps[0]!.id;
    const updated = await c.email.campaigns.update({
      workspaceId: f.ws.id,
      id: seq.id,
      name: "Renamed",
      sender: { fromName: "Ann", fromEmail: "", replyTo: "reply@fernwood.test" },
      steps: [
        { subject: "Day 0 v2", preheader: "", body: "<script>x</script>Hi", delayMinutes: 0 },
        { subject: "Day 2", preheader: "", body: "Tips", delayMinutes: 2880 },
        { subject: "Day 5", preheader: "", body: "Last", delayMinutes: 7200 },
      ],
    });
    expect(updated.name).toBe("Renamed");
    expect(updated.sender.replyTo).toBe("reply@fernwood.test");
    expect(updated.steps.map((s) => s.subject)).toEqual(["Day 0 v2", "Day 2", "Day 5"]);
    expect(updated.steps[0]!.id).toBe(firstStepId);
    expect(updated.steps[0]!.body).not.toMatch(/script/);
    await expect(
      callerFor(h.db, f.viewer).email.campaigns.update({ workspaceId: f.ws.id, id: seq.id, name: "Nope" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      c.email.campaigns.update({ workspaceId: f.ws.id, id: seq.id, name: "" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await c.email.campaigns.get({ workspaceId: f.ws.id, id: seq.id })).name).toBe("Renamed");
  });

  it("duplicates as a draft with its steps, and deletes drafts but not active campaigns", async () => {
    const c = callerFor(h.db, f.member);
    const seq = await c.email.campaigns.create({ workspaceId: f.ws.id, ...sequence("dup") });
    const copy = await c.email.campaigns.duplicate({ workspaceId: f.ws.id, id: seq.id });
    expect(copy).toMatchObject({ name: `Copy of ${seq.name}`, status: "draft", type: "sequence" });
    expect(copy.steps.map((s) => s.delayMinutes)).toEqual([0, 2880]);
    await c.email.campaigns.activate({ workspaceId: f.ws.id, id: seq.id });
    await expect(c.email.campaigns.delete({ workspaceId: f.ws.id, id: seq.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/active; pause or cancel/),
    });
    await expect(
      c.email.campaigns.update({ workspaceId: f.ws.id, id: seq.id, name: "While active" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      callerFor(h.db, f.viewer).email.campaigns.delete({ workspaceId: f.ws.id, id: copy.id }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await c.email.campaigns.delete({ workspaceId: f.ws.id, id: copy.id });
    await expect(c.email.campaigns.get({ workspaceId: f.ws.id, id: copy.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const steps = await h.db.select().from(campaignSteps).where(eq(campaignSteps.campaignId, copy.id));
    expect(steps).toHaveLength(0);
  });
});

describe("lifecycle", () => {
  it("schedules one-time campaigns in the future only, and unschedules", async () => {
    const c = callerFor(h.db, f.member);
    const row = await c.email.campaigns.create({ workspaceId: f.ws.id, ...oneTime("Later") });
    await expect(
      c.email.campaigns.schedule({ workspaceId: f.ws.id, id: row.id, sendAt: new Date(Date.now() - 1000) }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const when = new Date(Date.now() + 3_600_000);
    const scheduled = await c.email.campaigns.schedule({ workspaceId: f.ws.id, id: row.id, sendAt: when });
    expect(scheduled.status).toBe("scheduled");
    expect(scheduled.sendAt?.getTime()).toBe(when.getTime());
    const back = await c.email.campaigns.unschedule({ workspaceId: f.ws.id, id: row.id });
    expect(back).toMatchObject({ status: "draft", sendAt: null });
    await expect(c.email.campaigns.unschedule({ workspaceId: f.ws.id, id: row.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "This campaign is draft; only scheduled campaigns can be unscheduled",
    });
    const seq = await c.email.campaigns.create({ workspaceId: f.ws.id, ...sequence("sched") });
    await expect(
      c.email.campaigns.schedule({ workspaceId: f.ws.id, id: seq.id, sendAt: when }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: "Only one-time campaigns can be scheduled" });
  });

  it("refuses to activate or schedule before the sender and postal address are set", async () => {
    const lonely = await callerFor(h.db, f.otherOwner).workspace.create({
      name: "No sender",
      slug: `ns-${randomUUID().slice(0, 6)}`,
    });
    const c = callerFor(h.db, f.otherOwner);
    const seq = await c.email.campaigns.create({ workspaceId: lonely.id, ...sequence("nosender") });
    await expect(c.email.campaigns.activate({ workspaceId: lonely.id, id: seq.id })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringMatching(/postal address/),
    });
    const one = await c.email.campaigns.create({ workspaceId: lonely.id, ...oneTime() });
    await expect(c.email.campaigns.sendNow({ workspaceId: lonely.id, id: one.id })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    expect((await c.email.campaigns.get({ workspaceId: lonely.id, id: one.id })).status).toBe("draft");
  });

  it("activates, pauses, resumes and cancels a sequence; illegal moves are CONFLICTs", async () => {
    const c = callerFor(h.db, f.member);
    const seq = await c.email.campaigns.create({ workspaceId: f.ws.id, ...sequence("life") });
    await expect(c.email.campaigns.pause({ workspaceId: f.ws.id, id: seq.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "This campaign is draft; only sending or active campaigns can be paused",
    });
    await expect(c.email.campaigns.sendNow({ workspaceId: f.ws.id, id: seq.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Only one-time campaigns can be sent now",
    });
    expect((await c.email.campaigns.activate({ workspaceId: f.ws.id, id: seq.id })).status).toBe("active");
    await expect(c.email.campaigns.activate({ workspaceId: f.ws.id, id: seq.id })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect((await c.email.campaigns.pause({ workspaceId: f.ws.id, id: seq.id })).status).toBe("paused");
    expect((await c.email.campaigns.resume({ workspaceId: f.ws.id, id: seq.id })).status).toBe("active");
    await expect(c.email.campaigns.resume({ workspaceId: f.ws.id, id: seq.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "This campaign is active; only paused campaigns can be resumed",
    });
    await expect(
      callerFor(h.db, f.viewer).email.campaigns.pause({ workspaceId: f.ws.id, id: seq.id }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const one = await c.email.campaigns.create({ workspaceId: f.ws.id, ...oneTime() });
    await expect(c.email.campaigns.activate({ workspaceId: f.ws.id, id: one.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Only sequences and triggered campaigns can be activated",
    });
    const cancelled = await c.email.campaigns.cancel({ workspaceId: f.ws.id, id: seq.id });
    expect(cancelled.status).toBe("cancelled");
    await expect(c.email.campaigns.cancel({ workspaceId: f.ws.id, id: seq.id })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const actions = await h.db
      .select({ action: activityLogs.action })
      .from(activityLogs)
      .where(eq(activityLogs.entityId, seq.id));
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        "campaign.activated",
        "campaign.paused",
        "campaign.resumed",
        "campaign.cancelled",
      ]),
    );
  });

  it("sends a one-time campaign now: the audience goes into the ledger; pause/resume/cancel follow", async () => {
    const tag = `send-${randomUUID().slice(0, 6)}`;
    await addLead(f.ws.id, { tags: [tag] });
    await addLead(f.ws.id, { tags: [tag] });
    await addLead(f.ws.id, { tags: [tag], status: "unsubscribed" });
    const c = callerFor(h.db, f.member);
    const row = await c.email.campaigns.create({
      workspaceId: f.ws.id,
      ...oneTime("Now"),
      audience: {
        segmentId: null,
        criteria: { match: "all", conditions: [{ field: "tag", op: "has", value: tag }] },
      },
    });
    await expect(
      callerFor(h.db, f.viewer).email.campaigns.sendNow({ workspaceId: f.ws.id, id: row.id }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const sent = await c.email.campaigns.sendNow({ workspaceId: f.ws.id, id: row.id });
    expect(sent.queued).toBe(2);
    expect(["sending", "sent"]).toContain(sent.status);
    await expect(c.email.campaigns.sendNow({ workspaceId: f.ws.id, id: row.id })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const ledger = await h.db.select().from(emailSends).where(eq(emailSends.campaignId, row.id));
    expect(ledger).toHaveLength(2);
    // Once sent, its audience is who it reached: a lead matching its rules later does not move it.
    await addLead(f.ws.id, { tags: [tag] });
    const listed = (await c.email.campaigns.list({ workspaceId: f.ws.id })).campaigns.find(
      (x) => x.id === row.id,
    );
    expect(listed).toMatchObject({ audienceSize: 2, audienceKind: "recipients" });
    expect(await c.email.campaigns.get({ workspaceId: f.ws.id, id: row.id })).toMatchObject({
      recipients: 2,
    });
    expect(
      (await c.email.campaigns.audienceSize({ workspaceId: f.ws.id, audience: listed!.audience })).count,
    ).toBe(3);
  });

  it("cancel suppresses pending ledger rows", async () => {
    const tag = `cancel-${randomUUID().slice(0, 6)}`;
    await addLead(f.ws.id, { tags: [tag] });
    const c = callerFor(h.db, f.member);
    const seq = await c.email.campaigns.create({ workspaceId: f.ws.id, ...sequence(tag) });
    const active = await c.email.campaigns.activate({ workspaceId: f.ws.id, id: seq.id });
    expect(active.enrolled).toBe(1);
    // the step due in two days is still pending
    const out = await c.email.campaigns.cancel({ workspaceId: f.ws.id, id: seq.id });
    expect(out.suppressed).toBeGreaterThanOrEqual(1);
    const pending = await h.db
      .select()
      .from(emailSends)
      .where(and(eq(emailSends.campaignId, seq.id), eq(emailSends.status, "pending")));
    expect(pending).toHaveLength(0);
  });
});

describe("sequences", () => {
  it("enrols matching active leads once, with one ledger row per step at enrolment + delay", async () => {
    const tag = `seq-${randomUUID().slice(0, 6)}`;
    const a = await addLead(f.ws.id, { tags: [tag] });
    await addLead(f.ws.id, { tags: [tag], status: "unsubscribed" });
    await addLead(f.other.id, { tags: [tag] });
    const c = callerFor(h.db, f.member);
    const seq = await c.email.campaigns.create({ workspaceId: f.ws.id, ...sequence(tag) });
    const act = await c.email.campaigns.activate({ workspaceId: f.ws.id, id: seq.id });
    expect(act.enrolled).toBe(1);
    expect(await c.email.campaigns.get({ workspaceId: f.ws.id, id: seq.id })).toMatchObject({
      recipients: 1,
    });
    // a lead entering the segment later is picked up by the enroller, once
    const b = await addLead(f.ws.id, { tags: [tag] });
    await enrollActiveSequences(h.db);
    await enrollActiveSequences(h.db);
    const enrolled = await h.db
      .select({ leadId: campaignEnrollments.leadId })
      .from(campaignEnrollments)
      .where(eq(campaignEnrollments.campaignId, seq.id));
    expect(enrolled.map((e) => e.leadId).sort()).toEqual([a.id, b.id].sort());
    const sends = await h.db.select().from(emailSends).where(eq(emailSends.campaignId, seq.id));
    expect(sends).toHaveLength(4);
    const [e] = await h.db.select().from(campaignEnrollments).where(eq(campaignEnrollments.leadId, a.id));
    const day2 = sends.find((s) => s.leadId === a.id && s.stepId === seq.steps[1]!.id)!;
    expect(day2.dueAt.getTime() - e!.enrolledAt.getTime()).toBe(2 * 24 * 3_600_000);
    // paused sequences enrol nobody
    await c.email.campaigns.pause({ workspaceId: f.ws.id, id: seq.id });
    await addLead(f.ws.id, { tags: [tag] });
    await enrollActiveSequences(h.db);
    expect(
      (await h.db.select().from(campaignEnrollments).where(eq(campaignEnrollments.campaignId, seq.id)))
        .length,
    ).toBe(2);
  });
});

describe("triggered campaigns", () => {
  it("enrols a new lead in matching active triggered campaigns only", async () => {
    const c = callerFor(h.db, f.member);
    const make = async (
      workspaceId: string,
      caller: typeof c,
      trigger: { event: "lead.created" | "tag.added"; tag?: string },
    ) =>
      caller.email.campaigns.create({
        workspaceId,
        type: "triggered",
        name: `On ${trigger.event}`,
        trigger,
        steps: [{ subject: "Welcome" }],
      });
    const active = await make(f.ws.id, c, { event: "lead.created" });
    await c.email.campaigns.activate({ workspaceId: f.ws.id, id: active.id });
    const paused = await make(f.ws.id, c, { event: "lead.created" });
    await c.email.campaigns.activate({ workspaceId: f.ws.id, id: paused.id });
    await c.email.campaigns.pause({ workspaceId: f.ws.id, id: paused.id });
    const onTag = await make(f.ws.id, c, { event: "tag.added", tag: "Buyer" });
    await c.email.campaigns.activate({ workspaceId: f.ws.id, id: onTag.id });
    const otherC = callerFor(h.db, f.otherOwner);
    const foreign = await make(f.other.id, otherC, { event: "lead.created" });
    await otherC.email.campaigns.activate({ workspaceId: f.other.id, id: foreign.id });

    const lead = await addLead(f.ws.id);
    // Recorded events are consumed by the dispatch job, whatever this process imported.
    const emit = async (e: Parameters<typeof domainEvent>) => {
      await emitDomainEvents(h.db, [domainEvent(...e)]);
      await h.queue.drain();
    };
    await emit([f.ws.id, "lead.created", { lead: leadSnapshot(lead) }]);
    const enrolledIn = async (leadId: string) =>
      (
        await h.db
          .select({ campaignId: campaignEnrollments.campaignId })
          .from(campaignEnrollments)
          .where(eq(campaignEnrollments.leadId, leadId))
      ).map((r) => r.campaignId);
    expect(await enrolledIn(lead.id)).toEqual([active.id]);

    await emit([f.ws.id, "lead.tagged", { leadId: lead.id, tag: "other" }]);
    expect(await enrolledIn(lead.id)).toEqual([active.id]);
    await emit([f.ws.id, "lead.tagged", { leadId: lead.id, tag: "buyer" }]);
    expect((await enrolledIn(lead.id)).sort()).toEqual([active.id, onTag.id].sort());
  });
});

describe("multi-step triggered campaigns", () => {
  it("each step waits its delay after enrolment (not all at once)", async () => {
    const c = callerFor(h.db, f.member);
    const tag = `steps-${randomUUID().slice(0, 6)}`;
    const campaign = await c.email.campaigns.create({
      workspaceId: f.ws.id,
      type: "triggered",
      name: "Welcome series",
      trigger: { event: "tag.added", tag },
      steps: [
        { subject: "Welcome", delayMinutes: 0 },
        { subject: "Day 2", delayMinutes: 24 * 60 },
        { subject: "Week 1", delayMinutes: 7 * 24 * 60 },
      ],
    });
    expect(campaign.steps.map((s) => s.delayMinutes)).toEqual([0, 24 * 60, 7 * 24 * 60]);
    await c.email.campaigns.activate({ workspaceId: f.ws.id, id: campaign.id });
    const lead = await c.leads.create({ workspaceId: f.ws.id, email: `${tag}@example.test`, tags: [tag] });
    await h.queue.drain();
    const [enrolment] = await h.db
      .select()
      .from(campaignEnrollments)
      .where(and(eq(campaignEnrollments.campaignId, campaign.id), eq(campaignEnrollments.leadId, lead.id)));
    expect(enrolment).toBeDefined();
    const sends = await h.db
      .select({ dueAt: emailSends.dueAt, position: campaignSteps.position })
      .from(emailSends)
      .innerJoin(campaignSteps, eq(campaignSteps.id, emailSends.stepId))
      .where(and(eq(emailSends.campaignId, campaign.id), eq(emailSends.leadId, lead.id)))
      .orderBy(campaignSteps.position);
    expect(sends.map((s) => (s.dueAt.getTime() - enrolment!.enrolledAt.getTime()) / 60_000)).toEqual([
      0,
      24 * 60,
      7 * 24 * 60,
    ]);
  });

  describe("EMAIL_STEP_DELAY_UNIT_MS shortens a delay minute (the topology test's setting)", () => {
    afterEach(() => {
      delete process.env.EMAIL_STEP_DELAY_UNIT_MS;
      resetEnvCache();
    });

    async function dueOffsets(campaignId: string, leadId: string) {
      const [enrolment] = await h.db
        .select()
        .from(campaignEnrollments)
        .where(and(eq(campaignEnrollments.campaignId, campaignId), eq(campaignEnrollments.leadId, leadId)));
      const sends = await h.db
        .select({ dueAt: emailSends.dueAt })
        .from(emailSends)
        .innerJoin(campaignSteps, eq(campaignSteps.id, emailSends.stepId))
        .where(and(eq(emailSends.campaignId, campaignId), eq(emailSends.leadId, leadId)))
        .orderBy(campaignSteps.position);
      return sends.map((s) => s.dueAt.getTime() - enrolment!.enrolledAt.getTime());
    }

    it("a triggered enrolment's steps fall due that many units apart", async () => {
      process.env.EMAIL_STEP_DELAY_UNIT_MS = "1000";
      resetEnvCache();
      const c = callerFor(h.db, f.member);
      const tag = `unit-${randomUUID().slice(0, 6)}`;
      const campaign = await c.email.campaigns.create({
        workspaceId: f.ws.id,
        type: "triggered",
        name: "Short welcome",
        trigger: { event: "tag.added", tag },
        steps: [
          { subject: "Now", delayMinutes: 0 },
          { subject: "Two later", delayMinutes: 2 },
          { subject: "Five later", delayMinutes: 5 },
        ],
      });
      await c.email.campaigns.activate({ workspaceId: f.ws.id, id: campaign.id });
      const lead = await c.leads.create({ workspaceId: f.ws.id, email: `${tag}@example.test`, tags: [tag] });
      await h.queue.drain();
      expect(await dueOffsets(campaign.id, lead.id)).toEqual([0, 2000, 5000]);
    });

    it("a sequence's enrolment does the same", async () => {
      process.env.EMAIL_STEP_DELAY_UNIT_MS = "250";
      resetEnvCache();
      const tag = `unit-seq-${randomUUID().slice(0, 6)}`;
      const lead = await addLead(f.ws.id, { tags: [tag] });
      const c = callerFor(h.db, f.member);
      const campaign = await c.email.campaigns.create({
        workspaceId: f.ws.id,
        ...sequence(tag),
        steps: [
          { subject: "Now", delayMinutes: 0 },
          { subject: "Later", delayMinutes: 8 },
        ],
      });
      await c.email.campaigns.activate({ workspaceId: f.ws.id, id: campaign.id });
      await enrollActiveSequences(h.db);
      expect(await dueOffsets(campaign.id, lead.id)).toEqual([0, 2000]);
    });
  });
});

describe("email.campaigns.preview / mergeFields / sendTest", () => {
  it("renders a step with merge tags for viewers too", async () => {
    const out = await callerFor(h.db, f.viewer).email.campaigns.preview({
      workspaceId: f.ws.id,
      step: {
        subject: "Hi {{name|there}}",
        preheader: "",
        body: "**Bold** <script>alert(1)</script>",
        delayMinutes: 0,
      },
    });
    expect(out.subject).toMatch(/^Hi /);
    expect(out.html).toContain("<strong>Bold</strong>");
    expect(out.html).not.toContain("<script>");
    expect(out.html).toContain(SENDER.postalAddress);
    const tags = await callerFor(h.db, f.viewer).email.campaigns.mergeFields({ workspaceId: f.ws.id });
    expect(tags.map((t) => t.tag)).toContain("{{email}}");
    await expect(
      callerFor(h.db, f.otherOwner).email.campaigns.preview({
        workspaceId: f.ws.id,
        step: { subject: "x", preheader: "", body: "", delayMinutes: 0 },
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("sendTest is member+, validates the address, and goes to a member's address only", async () => {
    const step = { subject: "Test", preheader: "", body: "Hello", delayMinutes: 0 };
    await expect(
      callerFor(h.db, f.viewer).email.campaigns.sendTest({
        workspaceId: f.ws.id,
        to: "me@example.test",
        step,
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      callerFor(h.db, f.member).email.campaigns.sendTest({ workspaceId: f.ws.id, to: "nope", step }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      callerFor(h.db, f.otherOwner).email.campaigns.sendTest({
        workspaceId: f.ws.id,
        to: "me@example.test",
        step,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      callerFor(h.db, f.member).email.campaigns.sendTest({
        workspaceId: f.ws.id,
        to: "me@example.test",
        step,
      }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("members of this workspace"),
    });
    // No mail server here: the test lands in the outbox, so the member's address needs no verification.
    const sent = await callerFor(h.db, f.member).email.campaigns.sendTest({
      workspaceId: f.ws.id,
      to: f.member.email,
      step,
    });
    expect(sent.delivered).toBe(false);
  });
});

describe("email.sender", () => {
  it("reads for everyone, writes for admins, validates, and stays per workspace", async () => {
    expect(await callerFor(h.db, f.viewer).email.sender.get({ workspaceId: f.ws.id })).toMatchObject({
      fromEmail: SENDER.fromEmail,
    });
    await expect(
      callerFor(h.db, f.member).email.sender.update({ workspaceId: f.ws.id, ...SENDER, fromName: "Member" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      callerFor(h.db, f.admin).email.sender.update({
        workspaceId: f.ws.id,
        ...SENDER,
        postalAddress: "short",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      callerFor(h.db, f.otherOwner).email.sender.update({ workspaceId: f.ws.id, ...SENDER }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await callerFor(h.db, f.viewer).email.sender.get({ workspaceId: f.ws.id }))?.fromName).toBe(
      SENDER.fromName,
    );
    await callerFor(h.db, f.admin).email.sender.update({
      workspaceId: f.ws.id,
      ...SENDER,
      fromName: "Admin set",
    });
    expect((await callerFor(h.db, f.viewer).email.sender.get({ workspaceId: f.ws.id }))?.fromName).toBe(
      "Admin set",
    );
    expect(
      (await callerFor(h.db, f.otherOwner).email.sender.get({ workspaceId: f.other.id }))?.fromName,
    ).toBe(SENDER.fromName);
  });
});
