import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { rowsOf } from "@/server/db/raw-rows";
import {
  activityLogs,
  campaignStepVariants,
  emailCampaigns,
  emailEvents,
  emailSends,
  leads,
  workspaces,
} from "@/server/db/schema";
import { setQueue } from "@/server/queue";
import { abTestDecideJob } from "@/server/queue/jobs/ab-test";
import { systemActor } from "@/server/services/context";
import { decideAbTest, decideDueAbTests } from "@/server/services/email/ab-test";
import { runSender } from "@/server/services/email/sender";
import { closeTransports } from "@/server/services/email/transport";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";
import { recordingQueue } from "../helpers/queues";
import { startDnsStandInForFile, verifySenderDomainThroughDns } from "../helpers/sender-domains";

/**
 * Issue 19 point 5: A/B tests. A test share of the audience is dealt to the variants, the rest waits
 * for the winner (by people's opens or clicks, machines left out), which a delayed job — or the
 * scheduler tick, when the queue lost it — chooses once and sends to the rest.
 */
const h = await setupTestDb();
const db = h.db as Db;
const dns = await startDnsStandInForFile();

const recording = recordingQueue();

let sink: SmtpSink;
let f: Awaited<ReturnType<typeof twoWorkspaces>>;

const SENDER = {
  fromName: "Acme Team",
  fromEmail: "news@abtest.example",
  replyTo: "",
  postalAddress: "Acme Ltd, 1 Market Street, Springfield 12345, USA",
  sendRatePerSecond: 0,
};

beforeAll(async () => {
  setQueue(recording);
  sink = await startSmtpSink();
  f = await twoWorkspaces(db);
  await verifySenderDomainThroughDns(db, dns, f.ws.id, "abtest.example");
  await db
    .update(workspaces)
    .set({
      settings: sql`${workspaces.settings} || ${JSON.stringify({ sender: SENDER, smtp: { url: sink.url } })}::jsonb`,
    })
    .where(eq(workspaces.id, f.ws.id));
  closeTransports();
});

afterAll(async () => {
  closeTransports();
  await sink.close();
  setQueue(h.queue);
});

const SUBJECTS = { A: "Spring sale starts now", B: "Your 20% code is inside", C: "Last chance, friend" };

/** `count` tagged leads and a one-time campaign for them with variants B and C (A is the step). */
async function campaignWithTest(count: number, share: number) {
  const tag = `ab-${randomUUID().slice(0, 8)}`;
  await db.insert(leads).values(
    Array.from({ length: count }, (_v, i) => ({
      workspaceId: f.ws.id,
      email: `${tag}-${i}@people.example`,
      name: `Person ${i}`,
      tags: [tag],
    })),
  );
  const owner = callerFor(db, f.owner);
  const campaign = await owner.email.campaigns.create({
    workspaceId: f.ws.id,
    type: "one-time",
    name: `Test ${tag}`,
    audience: { criteria: { match: "all", conditions: [{ field: "tag", op: "has", value: tag }] } },
    steps: [{ subject: SUBJECTS.A, body: "Hello {{name}}, the sale is on: [shop](https://shop.example/a)" }],
  });
  const saved = await callerFor(db, f.member).emailAbTest.save({
    workspaceId: f.ws.id,
    campaignId: campaign.id,
    settings: { sharePercent: share, metric: "opens", waitMinutes: 120 },
    variants: [
      { label: "B", subject: SUBJECTS.B, body: "Hi {{name}}, use code **SPRING20**." },
      { label: "C", subject: SUBJECTS.C, body: "{{name}}, the sale ends tonight." },
    ],
  });
  return { campaign, tag, saved };
}

async function sendsOf(campaignId: string) {
  return db
    .select({
      id: emailSends.id,
      leadId: emailSends.leadId,
      variantId: emailSends.variantId,
      status: emailSends.status,
    })
    .from(emailSends)
    .where(eq(emailSends.campaignId, campaignId));
}

/** Subject of every message the sink got for these sends, keyed by send id (from the Message-ID). */
function subjectsBySend(sendIds: Set<string>) {
  const out = new Map<string, string>();
  for (const m of sink.received) {
    const id = m.messageId?.slice(1).split("@")[0];
    if (!id || !sendIds.has(id)) continue;
    const head = m.raw.subarray(0, 8192).toString("utf8");
    out.set(id, /^Subject:\s*(.*)$/im.exec(head)?.[1]?.trim() ?? "");
  }
  return out;
}

describe("an A/B test from start to winner", () => {
  let campaignId: string;
  let ids: Record<"A" | "B" | "C", string>;

  it("sends exactly the test share, split evenly, each with its variant's subject", async () => {
    const { campaign, saved } = await campaignWithTest(1000, 20);
    campaignId = campaign.id;
    expect(saved.variants.map((v) => [v.label, v.subject])).toEqual([
      ["A", SUBJECTS.A],
      ["B", SUBJECTS.B],
      ["C", SUBJECTS.C],
    ]);
    ids = Object.fromEntries(saved.variants.map((v) => [v.label, v.id])) as typeof ids;

    const started = await callerFor(db, f.owner).email.campaigns.sendNow({
      workspaceId: f.ws.id,
      id: campaignId,
    });
    expect(started).toMatchObject({ queued: 200 });
    const decision = recording.enqueued.find((j) => j.name === abTestDecideJob.name);
    expect(decision?.opts?.jobId).toBe(`ab-test-decide-${campaignId}`);
    expect(decision?.opts?.delayMs).toBeGreaterThan(119 * 60_000);

    const rows = await sendsOf(campaignId);
    expect(rows).toHaveLength(200);
    const per = (id: string) => rows.filter((r) => r.variantId === id).length;
    expect([per(ids.A), per(ids.B), per(ids.C)]).toEqual([67, 67, 66]);

    await runSender(db, { workspaceId: f.ws.id, deadline: Date.now() + 30_000 });
    const sent = await sendsOf(campaignId);
    expect(sent.filter((r) => r.status === "sent")).toHaveLength(200);
    const subjects = subjectsBySend(new Set(sent.map((r) => r.id)));
    expect(subjects.size).toBe(200);
    const labelOf = new Map(Object.entries(ids).map(([label, id]) => [id, label as "A" | "B" | "C"]));
    for (const r of sent) expect(subjects.get(r.id)).toBe(SUBJECTS[labelOf.get(r.variantId!)!]);

    // Everyone in the test got mail, but the rest has not: the campaign keeps sending.
    const [c] = await db.select().from(emailCampaigns).where(eq(emailCampaigns.id, campaignId));
    expect(c?.status).toBe("sending");
    expect(c?.abTest).toMatchObject({ phase: "testing", testSize: 200, audienceSize: 1000 });
  });

  it("picks the variant most people opened (machine opens left out), once, and mails the rest", async () => {
    const rows = await sendsOf(campaignId);
    const of = (id: string) => rows.filter((r) => r.variantId === id);
    const opens = (list: typeof rows, n: number, isMachine: boolean) =>
      list.slice(0, n).map((r) => ({
        workspaceId: f.ws.id,
        sendId: r.id,
        campaignId,
        leadId: r.leadId,
        type: "open" as const,
        isMachine,
      }));
    await db.insert(emailEvents).values([
      ...opens(of(ids.A), 5, false),
      // An image proxy opening 30 of A's messages would make A win if machines counted.
      ...opens(of(ids.A).slice(10), 30, true),
      ...opens(of(ids.B), 12, false),
      ...opens(of(ids.B), 12, false), // the same people opening twice count once
      ...opens(of(ids.C), 3, false),
    ]);

    // Not due yet: neither the job nor the tick decides.
    await expect(
      decideAbTest(db, { workspaceId: f.ws.id, campaignId, actor: systemActor, due: true }),
    ).resolves.toEqual({ decided: false, winnerVariantId: null, created: 0 });
    expect(await decideDueAbTests(db)).toBe(0);

    // The wait is over (and the queued job was lost with Redis): the scheduler tick decides.
    await db.execute(sql`update email_campaigns
      set ab_test = jsonb_set(ab_test, '{testEndsAt}', to_jsonb(to_char((now() - interval '1 minute') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')))
      where id = ${campaignId}`);
    expect(await decideDueAbTests(db)).toBe(1);
    const [c] = await db.select().from(emailCampaigns).where(eq(emailCampaigns.id, campaignId));
    expect(c?.abTest).toMatchObject({
      phase: "decided",
      winnerVariantId: ids.B,
      decidedBy: "schedule",
      restSize: 800,
      results: [
        { label: "A", sent: 67, opens: 5, clicks: 0 },
        { label: "B", sent: 67, opens: 12, clicks: 0 },
        { label: "C", sent: 66, opens: 3, clicks: 0 },
      ],
    });
    const rest = (await sendsOf(campaignId)).filter((r) => r.status === "pending");
    expect(rest).toHaveLength(800);
    expect(rest.every((r) => r.variantId === ids.B)).toBe(true);

    // Running the decision again — the job, the tick, a person — creates nothing.
    await expect(
      decideAbTest(db, { workspaceId: f.ws.id, campaignId, actor: systemActor, due: true }),
    ).resolves.toMatchObject({ decided: false, created: 0 });
    expect(await decideDueAbTests(db)).toBe(0);
    await expect(
      callerFor(db, f.admin).emailAbTest.decide({ workspaceId: f.ws.id, campaignId, variantId: ids.C }),
    ).rejects.toThrow(/already been chosen/);
    expect(await sendsOf(campaignId)).toHaveLength(1000);

    const [logged] = await db
      .select({ metadata: activityLogs.metadata })
      .from(activityLogs)
      .where(and(eq(activityLogs.entityId, campaignId), eq(activityLogs.action, "campaign.ab_test_decided")));
    expect(logged?.metadata).toMatchObject({ winner: "B", opens: 12, recipients: 800 });
  });

  it("sends the winner to the rest, finishes the campaign and reports exact counts", async () => {
    const before = sink.received.length;
    await runSender(db, { workspaceId: f.ws.id, deadline: Date.now() + 60_000 });
    const all = await sendsOf(campaignId);
    expect(all.filter((r) => r.status === "sent")).toHaveLength(1000);
    expect(sink.received.length - before).toBe(800);
    const restIds = new Set(all.filter((r) => r.variantId === ids.B).map((r) => r.id));
    const subjects = subjectsBySend(restIds);
    expect(subjects.size).toBe(867);
    expect(new Set(subjects.values())).toEqual(new Set([SUBJECTS.B]));
    const [c] = await db.select().from(emailCampaigns).where(eq(emailCampaigns.id, campaignId));
    expect(c?.status).toBe("sent");

    const report = await callerFor(db, f.viewer).email.campaigns.report({
      workspaceId: f.ws.id,
      id: campaignId,
    });
    expect(report.totals).toMatchObject({ sent: 1000, delivered: 1000, uniqueOpens: 20 });
    expect(report.abTest).toMatchObject({
      phase: "decided",
      metric: "opens",
      sharePercent: 20,
      testSize: 200,
      winnerLabel: "B",
      restSize: 800,
    });
    expect(report.abTest?.decidedAt).toBeInstanceOf(Date);
    expect(
      report.abTest?.variants.map((v) => [v.label, v.sent, v.delivered, v.uniqueOpens, v.uniqueClicks]),
    ).toEqual([
      ["A", 67, 67, 5, 0],
      ["B", 867, 867, 12, 0],
      ["C", 66, 66, 3, 0],
    ]);
    expect(report.abTest?.variants[1]?.openRate).toBeCloseTo(12 / 867, 10);
  });
});

describe("duplicating a tested campaign", () => {
  it("copies the test's settings and variants, not its state", async () => {
    const { campaign } = await campaignWithTest(3, 20);
    const copy = await callerFor(db, f.member).email.campaigns.duplicate({
      workspaceId: f.ws.id,
      id: campaign.id,
    });
    const view = await callerFor(db, f.viewer).emailAbTest.get({ workspaceId: f.ws.id, campaignId: copy.id });
    expect(view.test).toEqual({ sharePercent: 20, metric: "opens", waitMinutes: 120 });
    expect(view.variants.map((v) => [v.label, v.subject])).toEqual([
      ["A", SUBJECTS.A],
      ["B", SUBJECTS.B],
      ["C", SUBJECTS.C],
    ]);
    const sourceIds = (
      await callerFor(db, f.viewer).emailAbTest.get({ workspaceId: f.ws.id, campaignId: campaign.id })
    ).variants.map((v) => v.id);
    expect(view.variants.some((v) => sourceIds.includes(v.id))).toBe(false);
  });
});

describe("what happens during the wait", () => {
  it("a lead who unsubscribed during the wait is not mailed the winner", async () => {
    const { campaign, tag } = await campaignWithTest(40, 25);
    await callerFor(db, f.owner).email.campaigns.sendNow({ workspaceId: f.ws.id, id: campaign.id });
    const test = await sendsOf(campaign.id);
    expect(test).toHaveLength(10);
    const inTest = new Set(test.map((r) => r.leadId));
    const outside = await db
      .select({ id: leads.id })
      .from(leads)
      .where(and(eq(leads.workspaceId, f.ws.id), sql`${tag} = any(${leads.tags})`));
    const leaving = outside.find((l) => !inTest.has(l.id))!;
    await db.update(leads).set({ status: "unsubscribed" }).where(eq(leads.id, leaving.id));

    // An admin picks the winner early (C, chosen by hand).
    const variants = await db
      .select({ id: campaignStepVariants.id, label: campaignStepVariants.label })
      .from(campaignStepVariants)
      .where(eq(campaignStepVariants.campaignId, campaign.id));
    const c = variants.find((v) => v.label === "C")!;
    const decided = await callerFor(db, f.admin).emailAbTest.decide({
      workspaceId: f.ws.id,
      campaignId: campaign.id,
      variantId: c.id,
    });
    expect(decided).toEqual({ decided: true, winnerVariantId: c.id, created: 29 });
    const after = await sendsOf(campaign.id);
    expect(after).toHaveLength(39);
    expect(after.some((r) => r.leadId === leaving.id)).toBe(false);
    const [row] = await db.select().from(emailCampaigns).where(eq(emailCampaigns.id, campaign.id));
    expect(row?.abTest).toMatchObject({ phase: "decided", winnerVariantId: c.id, decidedBy: "manual" });
  });
});

describe("the ab-test-decide job", () => {
  it("decides a due test through the app's job handler, and only once", async () => {
    const { campaign } = await campaignWithTest(30, 10);
    await callerFor(db, f.owner).email.campaigns.sendNow({ workspaceId: f.ws.id, id: campaign.id });
    expect(await sendsOf(campaign.id)).toHaveLength(3);
    const payload = { workspaceId: f.ws.id, campaignId: campaign.id };
    // Early (a clock skew, a job run before its delay): the handler leaves the test running.
    await h.queue.enqueue(abTestDecideJob, payload, { jobId: `early-${campaign.id}` });
    await h.queue.drain();
    expect(await sendsOf(campaign.id)).toHaveLength(3);
    await db.execute(sql`update email_campaigns
      set ab_test = jsonb_set(ab_test, '{testEndsAt}', to_jsonb(to_char((now() - interval '1 minute') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')))
      where id = ${campaign.id}`);
    await h.queue.enqueue(abTestDecideJob, payload, { jobId: `due-${campaign.id}` });
    await h.queue.enqueue(abTestDecideJob, payload, { jobId: `again-${campaign.id}` });
    await h.queue.drain();
    expect(await sendsOf(campaign.id)).toHaveLength(30);
    const [row] = await db.select().from(emailCampaigns).where(eq(emailCampaigns.id, campaign.id));
    // No opens at all: a tie, won by the earlier label.
    expect(row?.abTest).toMatchObject({ phase: "decided", decidedBy: "schedule", restSize: 27 });
    const [a] = await db
      .select({ id: campaignStepVariants.id })
      .from(campaignStepVariants)
      .where(and(eq(campaignStepVariants.campaignId, campaign.id), eq(campaignStepVariants.label, "A")));
    expect(row?.abTest).toMatchObject({ winnerVariantId: a?.id });
  });
});

describe("who may see and change a test", () => {
  let campaignId: string;
  beforeAll(async () => {
    campaignId = (await campaignWithTest(5, 20)).campaign.id;
  });

  it("another workspace can neither read nor change the variants", async () => {
    const other = callerFor(db, f.otherOwner).emailAbTest;
    await expect(other.get({ workspaceId: f.other.id, campaignId })).rejects.toThrow(/not found/i);
    await expect(
      other.save({ workspaceId: f.other.id, campaignId, settings: null, variants: [] }),
    ).rejects.toThrow(/not found/i);
    await expect(other.decide({ workspaceId: f.other.id, campaignId })).rejects.toThrow(/not found/i);
    // …nor reach them by naming workspace A
    await expect(other.get({ workspaceId: f.ws.id, campaignId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const kept = await db
      .select()
      .from(campaignStepVariants)
      .where(eq(campaignStepVariants.campaignId, campaignId));
    expect(kept).toHaveLength(3);
  });

  it("a viewer reads but cannot edit; a member cannot pick the winner", async () => {
    const seen = await callerFor(db, f.viewer).emailAbTest.get({ workspaceId: f.ws.id, campaignId });
    expect(seen.variants.map((v) => v.label)).toEqual(["A", "B", "C"]);
    await expect(
      callerFor(db, f.viewer).emailAbTest.save({
        workspaceId: f.ws.id,
        campaignId,
        settings: { sharePercent: 30, metric: "clicks", waitMinutes: 60 },
        variants: [{ label: "B", subject: "Changed", body: "Changed" }],
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      callerFor(db, f.member).emailAbTest.decide({ workspaceId: f.ws.id, campaignId }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const [row] = await db.select().from(emailCampaigns).where(eq(emailCampaigns.id, campaignId));
    expect(row?.abTest).toEqual({ sharePercent: 20, metric: "opens", waitMinutes: 120 });
  });

  it("bad settings get a clear message and change nothing", async () => {
    const member = callerFor(db, f.member).emailAbTest;
    await expect(
      member.save({
        workspaceId: f.ws.id,
        campaignId,
        settings: { sharePercent: 80, metric: "opens", waitMinutes: 60 },
        variants: [{ label: "B", subject: "x", body: "y" }],
      }),
    ).rejects.toThrow(/at most 50 %/);
    await expect(
      member.save({
        workspaceId: f.ws.id,
        campaignId,
        settings: { sharePercent: 20, metric: "opens", waitMinutes: 10 },
        variants: [{ label: "B", subject: "x", body: "y" }],
      }),
    ).rejects.toThrow(/at least one hour/);
    await expect(
      member.save({
        workspaceId: f.ws.id,
        campaignId,
        settings: { sharePercent: 20, metric: "opens", waitMinutes: 60 },
        variants: [{ label: "C", subject: "x", body: "y" }],
      }),
    ).rejects.toThrow(/B, C, D in order/);
    await expect(
      callerFor(db, f.admin).emailAbTest.decide({ workspaceId: f.ws.id, campaignId }),
    ).rejects.toThrow(/no A\/B test running/);
    const variants = await db
      .select({ subject: campaignStepVariants.subject })
      .from(campaignStepVariants)
      .where(
        and(eq(campaignStepVariants.campaignId, campaignId), inArray(campaignStepVariants.label, ["B"])),
      );
    expect(variants).toEqual([{ subject: SUBJECTS.B }]);
  });

  it("removing the test removes its variants; a started campaign's test cannot change", async () => {
    const member = callerFor(db, f.member).emailAbTest;
    const removed = await member.save({ workspaceId: f.ws.id, campaignId, settings: null });
    expect(removed).toMatchObject({ test: null, variants: [] });
    expect(
      rowsOf(await db.execute(sql`select 1 from campaign_step_variants where campaign_id = ${campaignId}`)),
    ).toHaveLength(0);
    const { campaign } = await campaignWithTest(10, 20);
    await callerFor(db, f.owner).email.campaigns.sendNow({ workspaceId: f.ws.id, id: campaign.id });
    await expect(
      member.save({ workspaceId: f.ws.id, campaignId: campaign.id, settings: null }),
    ).rejects.toThrow(/can no longer be changed/);
  });
});
