import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  activityLogs,
  campaignEnrollments,
  campaignSteps,
  emailCampaigns,
  emailSends,
  leads,
} from "@/server/db/schema";
import { recordOrder } from "@/server/services/attribution/orders";
import { exitOnGoal } from "@/server/services/email/goals";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

/*
 * Issue 19, point 7: goals on sequences. An order from the address mailed (through recordOrder,
 * as the store webhooks and the API record them) or a reply stops every active enrolment of a
 * campaign with that goal; the pending sends are suppressed with the reason; the report counts who
 * left by each reason.
 */
const h = await setupTestDb();
const db = h.db;
const f = await twoWorkspaces(db);

async function sequence(
  workspaceId: string,
  name: string,
  goals: { stopOnOrder?: boolean; stopOnReply?: boolean },
) {
  const [c] = await db
    .insert(emailCampaigns)
    .values({ workspaceId, name, type: "sequence", status: "active", content: {}, goals })
    .returning();
  const steps = await db
    .insert(campaignSteps)
    .values(
      [1, 2].map((position) => ({ workspaceId, campaignId: c!.id, position, subject: `Step ${position}` })),
    )
    .returning();
  return { id: c!.id, step2: steps[1]!.id, step1: steps[0]!.id };
}

async function enrol(
  workspaceId: string,
  c: Awaited<ReturnType<typeof sequence>>,
  leadId: string,
  email: string,
) {
  await db.insert(campaignEnrollments).values({ workspaceId, campaignId: c.id, leadId });
  await db.insert(emailSends).values([
    {
      workspaceId,
      campaignId: c.id,
      stepId: c.step1,
      leadId,
      toAddress: email,
      status: "sent",
      sentAt: new Date(),
    },
    { workspaceId, campaignId: c.id, stepId: c.step2, leadId, toAddress: email },
  ]);
}

async function newLead(workspaceId: string) {
  const email = `buyer-${randomUUID().slice(0, 8)}@example.test`;
  const [lead] = await db.insert(leads).values({ workspaceId, email }).returning();
  return { id: lead!.id, email };
}

const enrolment = async (campaignId: string, leadId: string) =>
  (
    await db
      .select()
      .from(campaignEnrollments)
      .where(and(eq(campaignEnrollments.campaignId, campaignId), eq(campaignEnrollments.leadId, leadId)))
  )[0]!;
const step2 = async (c: { step2: string }, leadId: string) =>
  (
    await db
      .select()
      .from(emailSends)
      .where(and(eq(emailSends.stepId, c.step2), eq(emailSends.leadId, leadId)))
  )[0]!;

describe("goals on sequences", () => {
  it("an order from the mailed address stops a sequence with stopOnOrder, not one without", async () => {
    const withGoal = await sequence(f.ws.id, "Converts", { stopOnOrder: true });
    const without = await sequence(f.ws.id, "Keeps going", {});
    const buyer = await newLead(f.ws.id);
    await enrol(f.ws.id, withGoal, buyer.id, buyer.email);
    await enrol(f.ws.id, without, buyer.id, buyer.email);
    // The same address in workspace B, enrolled in B's stopOnOrder sequence: A's order is not B's.
    const otherSeq = await sequence(f.other.id, "B converts", { stopOnOrder: true });
    const [otherLead] = await db
      .insert(leads)
      .values({ workspaceId: f.other.id, email: buyer.email })
      .returning();
    await enrol(f.other.id, otherSeq, otherLead!.id, buyer.email);

    await recordOrder(db, f.ws.id, "api", {
      externalId: `goal-${randomUUID()}`,
      total: "19.00",
      currency: "USD",
      status: "completed",
      channel: "web",
      email: ` ${buyer.email.toUpperCase()} `,
    });

    expect(await enrolment(withGoal.id, buyer.id)).toMatchObject({
      status: "exited",
      exitReason: "converted",
    });
    expect((await enrolment(withGoal.id, buyer.id)).exitedAt).toBeInstanceOf(Date);
    expect(await step2(withGoal, buyer.id)).toMatchObject({
      status: "suppressed",
      error: "Not sent: the lead placed an order (the campaign's goal)",
    });
    expect(await enrolment(without.id, buyer.id)).toMatchObject({ status: "active", exitReason: null });
    expect((await step2(without, buyer.id)).status).toBe("pending");
    expect(await enrolment(otherSeq.id, otherLead!.id)).toMatchObject({ status: "active" });
    const logs = await db
      .select()
      .from(activityLogs)
      .where(and(eq(activityLogs.action, "campaign.goal_reached"), eq(activityLogs.entityId, withGoal.id)));
    expect(logs).toHaveLength(1);
    expect(logs[0]!.metadata).toMatchObject({ leadId: buyer.id, reason: "converted" });
  });

  it("a refunded order converts no one; an order from an unknown address changes nothing", async () => {
    const c = await sequence(f.ws.id, "Refunds", { stopOnOrder: true });
    const lead = await newLead(f.ws.id);
    await enrol(f.ws.id, c, lead.id, lead.email);
    await recordOrder(db, f.ws.id, "api", {
      externalId: `refund-${randomUUID()}`,
      total: "5.00",
      currency: "USD",
      status: "refunded",
      channel: "web",
      email: lead.email,
    });
    await recordOrder(db, f.ws.id, "api", {
      externalId: `stranger-${randomUUID()}`,
      total: "5.00",
      currency: "USD",
      status: "completed",
      channel: "web",
      email: "stranger@example.test",
    });
    expect((await enrolment(c.id, lead.id)).status).toBe("active");
  });

  it("a reply stops a sequence with stopOnReply (and not one with only stopOnOrder); the report counts each reason", async () => {
    const onReply = await sequence(f.ws.id, "Replies", { stopOnReply: true, stopOnOrder: true });
    const onOrder = await sequence(f.ws.id, "Orders only", { stopOnOrder: true });
    const replier = await newLead(f.ws.id);
    const buyer = await newLead(f.ws.id);
    const stays = await newLead(f.ws.id);
    for (const l of [replier, buyer, stays]) await enrol(f.ws.id, onReply, l.id, l.email);
    await enrol(f.ws.id, onOrder, replier.id, replier.email);

    expect(await exitOnGoal(db, { workspaceId: f.ws.id, leadId: replier.id, goal: "reply" })).toEqual([
      onReply.id,
    ]);
    // Twice is a no-op.
    expect(await exitOnGoal(db, { workspaceId: f.ws.id, leadId: replier.id, goal: "reply" })).toEqual([]);
    expect(await enrolment(onReply.id, replier.id)).toMatchObject({
      status: "exited",
      exitReason: "replied",
    });
    expect(await step2(onReply, replier.id)).toMatchObject({
      status: "suppressed",
      error: "Not sent: the lead replied (the campaign's goal)",
    });
    expect((await enrolment(onOrder.id, replier.id)).status).toBe("active");

    await recordOrder(db, f.ws.id, "api", {
      externalId: `r-${randomUUID()}`,
      total: "9.00",
      currency: "USD",
      status: "completed",
      channel: "web",
      email: buyer.email,
    });
    const report = await callerFor(db, f.viewer).email.campaigns.report({
      workspaceId: f.ws.id,
      id: onReply.id,
    });
    expect(report.exits).toMatchObject({ active: 1, converted: 1, replied: 1, bounced: 0, unsubscribed: 0 });
  });

  it("goals are set by members on sequences, refused on one-time campaigns and for viewers", async () => {
    const c = await sequence(f.ws.id, "Editable", {});
    const member = callerFor(db, f.member);
    expect(
      await member.bounces.updateGoals({
        workspaceId: f.ws.id,
        id: c.id,
        stopOnOrder: true,
        stopOnReply: false,
      }),
    ).toEqual({ stopOnOrder: true, stopOnReply: false });
    expect(await callerFor(db, f.viewer).bounces.goals({ workspaceId: f.ws.id, id: c.id })).toEqual({
      stopOnOrder: true,
      stopOnReply: false,
    });
    await expect(
      callerFor(db, f.viewer).bounces.updateGoals({
        workspaceId: f.ws.id,
        id: c.id,
        stopOnOrder: false,
        stopOnReply: true,
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Another workspace's owner cannot see or change them.
    await expect(
      callerFor(db, f.otherOwner).bounces.goals({ workspaceId: f.other.id, id: c.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const [oneTime] = await db
      .insert(emailCampaigns)
      .values({ workspaceId: f.ws.id, name: "Once", type: "one-time", status: "draft", content: {} })
      .returning();
    await expect(
      member.bounces.updateGoals({
        workspaceId: f.ws.id,
        id: oneTime!.id,
        stopOnOrder: true,
        stopOnReply: true,
      }),
    ).rejects.toThrow(/sequences and triggered campaigns/);
    const [row] = await db
      .select({ goals: emailCampaigns.goals })
      .from(emailCampaigns)
      .where(eq(emailCampaigns.id, oneTime!.id));
    expect(row!.goals).toEqual({});
  });
});
