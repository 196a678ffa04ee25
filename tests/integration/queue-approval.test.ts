import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { describeAction } from "@/lib/activity-labels";
import { activityLogs, approvalRequests, content, notifications, workspaces } from "@/server/db/schema";
import { createApiKey } from "@/server/services/api-keys";
import { findNextQueueSlot } from "@/server/services/content/queue";
import { callerFor } from "../helpers/fixtures";
import { call, setupRest } from "./rest-helpers";

/**
 * Issue 15 point 17: the posting queue (weekly slots in the workspace's zone; "Add to queue" takes
 * the next free one) and the approval step (members submit; admins approve, which performs the
 * action, or reject with a reason). Enforced on the server, for tRPC and REST alike.
 */
const { h, f } = await setupRest();
const owner = callerFor(h.db, f.owner);
const admin = callerFor(h.db, f.admin);
const member = callerFor(h.db, f.member);
const outsider = callerFor(h.db, f.otherOwner);
const wsId = f.ws.id;
const day = 86_400_000;

const SENDER = {
  fromName: "Fernwood Games",
  fromEmail: "hello@fernwood.test",
  replyTo: "",
  postalAddress: "12 Mill Lane, Bristol BS1 4DJ, United Kingdom",
  sendRatePerSecond: 0,
};
/** Mon/Wed/Fri at 09:00 and 18:00. */
const SLOTS = [0, 2, 4].flatMap((d) => ["09:00", "18:00"].map((time) => ({ day: d, time })));

async function draft(title: string, by = owner) {
  return by.content.create({ workspaceId: wsId, type: "blog", title, body: "Ferns like it damp." });
}
async function rowOf(id: string) {
  const [row] = await h.db.select().from(content).where(eq(content.id, id));
  return row!;
}
async function setZone(timeZone: string) {
  await h.db.update(workspaces).set({ timeZone }).where(eq(workspaces.id, wsId));
}
async function setPublishing(p: { slots?: typeof SLOTS; requireApproval?: boolean }) {
  const current = await owner.workspace.publishing.get({ workspaceId: wsId });
  return admin.workspace.publishing.update({ workspaceId: wsId, ...current, ...p });
}
async function memberKey() {
  const { key } = await createApiKey(
    { db: h.db, workspaceId: wsId, actor: { userId: f.member.id, ip: null, userAgent: "vitest" } },
    { name: "member key", scopes: ["read", "write"] },
  );
  return key;
}

describe("queue slots", () => {
  it("refuses to queue with no slots, clearly, and changes nothing", async () => {
    const item = await draft("No slots yet");
    await expect(owner.content.addToQueue({ workspaceId: wsId, id: item.id })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/No posting slots.*Settings → Posting queue/),
    });
    expect((await rowOf(item.id)).status).toBe("draft");
  });

  it("only admins edit the slots; bad slots are refused", async () => {
    await expect(
      member.workspace.publishing.update({ workspaceId: wsId, slots: SLOTS, requireApproval: false }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      admin.workspace.publishing.update({ workspaceId: wsId, slots: [{ day: 0, time: "25:00" }] }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      admin.workspace.publishing.update({
        workspaceId: wsId,
        slots: [
          { day: 1, time: "09:00" },
          { day: 1, time: "09:00" },
        ],
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      outsider.workspace.publishing.update({ workspaceId: wsId, slots: SLOTS }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const saved = await setPublishing({ slots: [...SLOTS].reverse() });
    expect(saved.slots).toEqual(SLOTS); // kept in week order
    const [log] = await h.db
      .select()
      .from(activityLogs)
      .where(
        and(eq(activityLogs.workspaceId, wsId), eq(activityLogs.action, "workspace.publishing_updated")),
      );
    expect(log?.userId).toBe(f.admin.id);
  });

  it("computes slots in the workspace's zone across both DST changes", async () => {
    await setPublishing({ slots: SLOTS });
    await setZone("Europe/Berlin");
    const next = (now: string) =>
      findNextQueueSlot(h.db, wsId, "00000000-0000-4000-8000-000000000000", new Date(now));
    // Friday 13:00 CET (winter): Friday 18:00 CET.
    expect((await next("2026-03-20T12:00:00Z"))?.toISOString()).toBe("2026-03-20T17:00:00.000Z");
    // Friday 19:30 CET; the clocks go forward on Sunday: Monday 09:00 is CEST (UTC+2).
    expect((await next("2026-03-27T18:30:00Z"))?.toISOString()).toBe("2026-03-30T07:00:00.000Z");
    // Friday 19:30 CEST; the clocks go back on Sunday: Monday 09:00 is CET (UTC+1).
    expect((await next("2026-10-23T17:30:00Z"))?.toISOString()).toBe("2026-10-26T08:00:00.000Z");
    // The same instant is another weekday in Tokyo: Saturday 03:30 there, so Monday 09:00 JST.
    await setZone("Asia/Tokyo");
    expect((await next("2026-03-27T18:30:00Z"))?.toISOString()).toBe("2026-03-30T00:00:00.000Z");
    await setZone("UTC");
  });

  it("skips slots taken by a scheduled item or a pending request of the workspace only", async () => {
    await setPublishing({ slots: SLOTS });
    const now = new Date();
    const first = await findNextQueueSlot(h.db, wsId, "00000000-0000-4000-8000-000000000000", now);
    const taken = await draft("Taken slot");
    await owner.content.schedule({ workspaceId: wsId, id: taken.id, scheduledAt: first! });
    const second = await findNextQueueSlot(h.db, wsId, "00000000-0000-4000-8000-000000000000", now);
    expect(second!.getTime()).toBeGreaterThan(first!.getTime());
    // The item itself does not block its own slot (re-queueing keeps it).
    expect((await findNextQueueSlot(h.db, wsId, taken.id, now))?.getTime()).toBe(first!.getTime());
    // Another workspace's scheduled item does not take A's slot.
    const bItem = await outsider.content.create({
      workspaceId: f.other.id,
      type: "blog",
      title: "B",
      body: "b",
    });
    await outsider.content.schedule({ workspaceId: f.other.id, id: bItem.id, scheduledAt: second! });
    expect(
      (await findNextQueueSlot(h.db, wsId, "00000000-0000-4000-8000-000000000000", now))?.getTime(),
    ).toBe(second!.getTime());
    await owner.content.unschedule({ workspaceId: wsId, id: taken.id });
    await outsider.content.unschedule({ workspaceId: f.other.id, id: bItem.id });
  });
});

describe("Add to queue", () => {
  it("schedules at the next free slot through the ordinary schedule path, one item per slot", async () => {
    await setPublishing({ slots: SLOTS, requireApproval: false });
    const a = await draft("Queued one");
    const b = await draft("Queued two", member);
    const first = await owner.content.addToQueue({ workspaceId: wsId, id: a.id });
    expect(first.submitted).toBe(false);
    expect(first.item.status).toBe("scheduled");
    expect(first.item.scheduledAt?.getTime()).toBe(first.slot.getTime());
    const second = await member.content.addToQueue({ workspaceId: wsId, id: b.id });
    expect(second.slot.getTime()).toBeGreaterThan(first.slot.getTime());
    expect((await rowOf(b.id)).status).toBe("scheduled");
    // The same activity entry as a hand-scheduled item.
    const logs = await h.db
      .select()
      .from(activityLogs)
      .where(and(eq(activityLogs.entityId, b.id), eq(activityLogs.action, "content.scheduled")));
    expect(logs).toHaveLength(1);
    await expect(outsider.content.addToQueue({ workspaceId: wsId, id: a.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(outsider.content.addToQueue({ workspaceId: f.other.id, id: a.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    for (const id of [a.id, b.id]) await owner.content.unschedule({ workspaceId: wsId, id });
  });

  it("through REST too", async () => {
    const item = await draft("Queued by key");
    const res = await call("POST", `/content/${item.id}/queue`, { key: await memberKey(), body: {} });
    expect(res.status).toBe(200);
    expect(res.body.item.status).toBe("scheduled");
    expect(res.body.slot).toBe(res.body.item.scheduledAt);
    await owner.content.unschedule({ workspaceId: wsId, id: item.id });
  });
});

describe("approval", () => {
  it("when required, members cannot publish, schedule or send directly — tRPC or REST", async () => {
    await setPublishing({ requireApproval: true });
    await admin.email.sender.update({ workspaceId: wsId, ...SENDER });
    const item = await draft("Needs a yes", member);
    const campaign = await member.email.campaigns.create({
      workspaceId: wsId,
      type: "one-time",
      name: "Needs a yes too",
      steps: [{ subject: "Hi", body: "<p>Hi</p>" }],
    });
    const forbidden = { code: "FORBIDDEN", message: expect.stringMatching(/approval/) };
    const ids = { workspaceId: wsId, id: item.id };
    await expect(member.content.publishNow(ids)).rejects.toMatchObject(forbidden);
    await expect(
      member.content.schedule({ ...ids, scheduledAt: new Date(Date.now() + day) }),
    ).rejects.toMatchObject(forbidden);
    await expect(
      member.content.create({
        workspaceId: wsId,
        type: "blog",
        title: "Sneaky",
        body: "x",
        scheduledAt: new Date(Date.now() + day),
      }),
    ).rejects.toMatchObject(forbidden);
    await expect(
      member.email.campaigns.sendNow({ workspaceId: wsId, id: campaign.id }),
    ).rejects.toMatchObject(forbidden);
    await expect(
      member.email.campaigns.schedule({
        workspaceId: wsId,
        id: campaign.id,
        sendAt: new Date(Date.now() + day),
      }),
    ).rejects.toMatchObject(forbidden);

    const key = await memberKey();
    const rest = [
      await call("POST", `/content/${item.id}/publish`, { key, body: {} }),
      await call("POST", "/content", {
        key,
        body: {
          type: "blog",
          title: "Sneaky",
          body: "x",
          scheduledAt: new Date(Date.now() + day).toISOString(),
        },
      }),
      await call("POST", `/campaigns/${campaign.id}/send`, { key, body: {} }),
    ];
    for (const r of rest) {
      expect(r.status).toBe(403);
      expect(r.body.detail).toMatch(/approval/);
    }
    expect((await rowOf(item.id)).status).toBe("draft");
    expect((await owner.email.campaigns.get({ workspaceId: wsId, id: campaign.id })).status).toBe("draft");
    expect(await member.approvals.required({ workspaceId: wsId })).toBe(true);
    expect(await admin.approvals.required({ workspaceId: wsId })).toBe(false);

    // Admins are unaffected.
    const scheduled = await admin.content.schedule({ ...ids, scheduledAt: new Date(Date.now() + day) });
    expect(scheduled.status).toBe("scheduled");
    await admin.content.unschedule(ids);
  });

  it("a member submits, admins are notified, and approving performs the action", async () => {
    await setPublishing({ requireApproval: true });
    const item = await draft("Approve me", member);
    const when = new Date(Date.now() + 3 * day);
    const request = await member.approvals.submit({
      workspaceId: wsId,
      entityType: "content",
      entityId: item.id,
      action: "schedule",
      scheduledAt: when,
    });
    expect(request.status).toBe("pending");
    expect((await rowOf(item.id)).status).toBe("draft");
    await expect(
      member.approvals.submit({
        workspaceId: wsId,
        entityType: "content",
        entityId: item.id,
        action: "publish",
      }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: "This is already awaiting approval" });
    expect(await owner.approvals.pendingIds({ workspaceId: wsId, entityType: "content" })).toContain(item.id);
    const pending = await owner.approvals.list({ workspaceId: wsId, status: "pending" });
    expect(pending.find((r) => r.id === request.id)).toMatchObject({
      title: "Approve me",
      action: "schedule",
    });

    const notified = await h.db
      .select({ userId: notifications.userId })
      .from(notifications)
      .where(and(eq(notifications.workspaceId, wsId), eq(notifications.kind, "approval.requested")));
    const who = new Set(notified.map((n) => n.userId));
    expect(who.has(f.owner.id) && who.has(f.admin.id)).toBe(true);
    expect(who.has(f.member.id) || who.has(f.viewer.id)).toBe(false);

    // Only admins decide; another workspace cannot see or approve it.
    await expect(member.approvals.approve({ workspaceId: wsId, id: request.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(outsider.approvals.approve({ workspaceId: wsId, id: request.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      outsider.approvals.approve({ workspaceId: f.other.id, id: request.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await outsider.approvals.list({ workspaceId: f.other.id, status: "pending" })).toEqual([]);

    await admin.approvals.approve({ workspaceId: wsId, id: request.id });
    const row = await rowOf(item.id);
    expect(row.status).toBe("scheduled");
    expect(row.scheduledAt?.getTime()).toBe(when.getTime());
    await expect(admin.approvals.approve({ workspaceId: wsId, id: request.id })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const actions = (
      await h.db
        .select({ action: activityLogs.action })
        .from(activityLogs)
        .where(eq(activityLogs.entityId, item.id))
    ).map((l) => l.action);
    expect(actions).toEqual(
      expect.arrayContaining(["approval.submitted", "content.scheduled", "approval.approved"]),
    );
    const [told] = await h.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, f.member.id), eq(notifications.kind, "approval.approved")));
    expect(told?.title).toBe("Approved: Approve me");
    await admin.content.unschedule({ workspaceId: wsId, id: item.id });
  });

  it("a member's Add to queue becomes a request for the slot; approving schedules it there", async () => {
    await setPublishing({ slots: SLOTS, requireApproval: true });
    const item = await draft("Queued for approval", member);
    const queued = await member.content.addToQueue({ workspaceId: wsId, id: item.id });
    expect(queued.submitted).toBe(true);
    expect(queued.item.status).toBe("draft");
    // The requested slot is taken for the next item.
    const next = await findNextQueueSlot(h.db, wsId, "00000000-0000-4000-8000-000000000000");
    expect(next!.getTime()).toBeGreaterThan(queued.slot.getTime());
    await owner.approvals.approve({ workspaceId: wsId, id: queued.approval!.id });
    expect((await rowOf(item.id)).scheduledAt?.getTime()).toBe(queued.slot.getTime());
    await owner.content.unschedule({ workspaceId: wsId, id: item.id });
  });

  it("rejecting needs a reason, leaves a draft and tells the author why", async () => {
    await setPublishing({ requireApproval: true });
    const item = await draft("Reject me", member);
    const res = await call("POST", `/content/${item.id}/approval`, {
      key: await memberKey(),
      body: { action: "publish" },
    });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    await expect(admin.approvals.reject({ workspaceId: wsId, id, reason: "  " })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await admin.approvals.reject({ workspaceId: wsId, id, reason: "Add the launch date" });
    expect((await rowOf(item.id)).status).toBe("draft");
    const latest = await member.approvals.forEntity({
      workspaceId: wsId,
      entityType: "content",
      entityId: item.id,
    });
    expect(latest).toMatchObject({ status: "rejected", reason: "Add the launch date" });
    await expect(admin.approvals.approve({ workspaceId: wsId, id })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const [log] = await h.db
      .select()
      .from(activityLogs)
      .where(and(eq(activityLogs.entityId, item.id), eq(activityLogs.action, "approval.rejected")));
    expect(log?.metadata).toMatchObject({ reason: "Add the launch date" });
    expect(describeAction(log!.action, log!.metadata as Record<string, unknown>)).toBe(
      "rejected “Reject me”: Add the launch date",
    );
  });

  it("an approved campaign schedule schedules the campaign", async () => {
    await setPublishing({ requireApproval: true });
    const campaign = await member.email.campaigns.create({
      workspaceId: wsId,
      type: "one-time",
      name: "Spring news",
      steps: [{ subject: "Hi", body: "<p>Hi</p>" }],
    });
    const when = new Date(Date.now() + 2 * day);
    const request = await member.approvals.submit({
      workspaceId: wsId,
      entityType: "campaign",
      entityId: campaign.id,
      action: "schedule",
      scheduledAt: when,
    });
    expect(await owner.approvals.pendingIds({ workspaceId: wsId, entityType: "campaign" })).toContain(
      campaign.id,
    );
    await owner.approvals.approve({ workspaceId: wsId, id: request.id });
    const after = await owner.email.campaigns.get({ workspaceId: wsId, id: campaign.id });
    expect(after.status).toBe("scheduled");
    expect(after.sendAt?.getTime()).toBe(when.getTime());
  });

  it("a failed action leaves the request pending; nothing is asked when approval is off", async () => {
    await setPublishing({ requireApproval: true });
    const item = await draft("Too late", member);
    const request = await member.approvals.submit({
      workspaceId: wsId,
      entityType: "content",
      entityId: item.id,
      action: "schedule",
      scheduledAt: new Date(Date.now() + 60_000),
    });
    await h.db
      .update(approvalRequests)
      .set({ scheduledAt: new Date(Date.now() - 60_000) })
      .where(eq(approvalRequests.id, request.id));
    await expect(admin.approvals.approve({ workspaceId: wsId, id: request.id })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const [still] = await h.db.select().from(approvalRequests).where(eq(approvalRequests.id, request.id));
    expect(still?.status).toBe("pending");
    await member.approvals.withdraw({ workspaceId: wsId, id: request.id });

    await setPublishing({ requireApproval: false });
    await expect(
      member.approvals.submit({
        workspaceId: wsId,
        entityType: "content",
        entityId: item.id,
        action: "publish",
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });
});
