import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/server/db/raw-rows";
import {
  campaignSteps,
  emailCampaigns,
  emailEvents,
  emailSends,
  leads,
  workspaces,
} from "@/server/db/schema";
import { getCampaignReport } from "@/server/services/email/reports";
import { runMigration, setupTestDb } from "../helpers/db";
import { twoWorkspaces } from "../helpers/fixtures";

/**
 * The send ledger's shape: a delivery kept on the send (migration 0035), and one foreign key for a
 * send's workspace, campaign and step (migration 0036).
 */
// DDL: a database of this file's own (on PGlite the file's copy is closed afterwards, not reused).
const h = await setupTestDb({ ownDatabase: true });
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
beforeAll(async () => {
  f = await twoWorkspaces(h.db);
});

/** A one-time campaign with `steps` steps and `n` leads, each sent the first step. */
async function sentCampaign(workspaceId: string, n: number, steps = 1) {
  const [campaign] = await h.db
    .insert(emailCampaigns)
    .values({ workspaceId, name: "Old", type: "one-time", status: "sent", content: {} })
    .returning();
  const stepRows = await h.db
    .insert(campaignSteps)
    .values(
      Array.from({ length: steps }, (_, i) => ({
        workspaceId,
        campaignId: campaign!.id,
        position: i,
        subject: "S",
        body: "B",
      })),
    )
    .returning();
  const people = await h.db
    .insert(leads)
    .values(
      Array.from({ length: n }, () => ({ workspaceId, email: `s-${crypto.randomUUID()}@example.test` })),
    )
    .returning();
  const sends = await h.db
    .insert(emailSends)
    .values(
      people.map((l) => ({
        workspaceId,
        campaignId: campaign!.id,
        stepId: stepRows[0]!.id,
        leadId: l.id,
        toAddress: l.email,
        status: "sent" as const,
        sentAt: new Date(),
      })),
    )
    .returning();
  return { campaign: campaign!, steps: stepRows, sends };
}

const sendsOf = async (campaignId: string) =>
  (await h.db.select({ id: emailSends.id }).from(emailSends).where(eq(emailSends.campaignId, campaignId)))
    .length;

describe("migration 0035", () => {
  it("marks the sends that had a delivered event, deletes those events, keeps every other event", async () => {
    const { campaign, sends } = await sentCampaign(f.ws.id, 3);
    const report = async () => {
      const { totals } = await getCampaignReport(h.db, f.ws.id, { id: campaign.id });
      return { sent: totals.sent, delivered: totals.delivered, inOutbox: totals.inOutbox };
    };

    // The shape before 0035, with the rows the old recorder wrote: a delivered event for the first
    // two sends (the third only reached the outbox), and an open.
    await h.db.execute(sql`alter table email_sends drop column delivered`);
    await h.db.execute(sql`alter table email_events drop constraint email_events_type`);
    await h.db.execute(sql`alter table email_events add constraint email_events_type
      check (type in ('delivered', 'open', 'click', 'bounce', 'unsubscribe', 'complaint', 'reply'))`);
    for (const s of sends.slice(0, 2)) {
      await h.db.execute(sql`insert into email_events (workspace_id, send_id, campaign_id, lead_id, type)
        values (${f.ws.id}, ${s.id}, ${campaign.id}, ${s.leadId}, 'delivered')`);
    }
    await h.db.execute(sql`insert into email_events (workspace_id, send_id, campaign_id, lead_id, type)
      values (${f.ws.id}, ${sends[0]!.id}, ${campaign.id}, ${sends[0]!.leadId}, 'open')`);

    await runMigration(h.db, "0035");

    const after = await h.db
      .select({ id: emailSends.id, delivered: emailSends.delivered })
      .from(emailSends)
      .where(eq(emailSends.campaignId, campaign.id));
    expect(Object.fromEntries(after.map((r) => [r.id, r.delivered]))).toEqual({
      [sends[0]!.id]: true,
      [sends[1]!.id]: true,
      [sends[2]!.id]: false,
    });
    const events = await h.db
      .select({ type: emailEvents.type })
      .from(emailEvents)
      .where(eq(emailEvents.campaignId, campaign.id));
    expect(events).toEqual([{ type: "open" }]);
    // The report reads it: two delivered, one only in the outbox, as the old events said.
    expect(await report()).toEqual({ sent: 3, delivered: 2, inOutbox: 1 });
    // No `delivered` event can be written any more.
    await expect(
      h.db.execute(sql`insert into email_events (workspace_id, send_id, campaign_id, lead_id, type)
        values (${f.ws.id}, ${sends[2]!.id}, ${campaign.id}, ${sends[2]!.leadId}, 'delivered')`),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/email_events_type/) } });
  });
});

describe("a send's step key (migration 0036)", () => {
  it("deleting a step, a campaign or a workspace deletes its sends; other workspaces' stay", async () => {
    const two = await sentCampaign(f.ws.id, 2, 2);
    const byCampaign = await sentCampaign(f.ws.id, 2);
    const other = await sentCampaign(f.other.id, 2);
    // The first step holds every send: deleting the second leaves them, deleting the first takes them.
    await h.db.delete(campaignSteps).where(eq(campaignSteps.id, two.steps[1]!.id));
    expect(await sendsOf(two.campaign.id)).toBe(2);
    await h.db.delete(campaignSteps).where(eq(campaignSteps.id, two.steps[0]!.id));
    expect(await sendsOf(two.campaign.id)).toBe(0);
    await h.db.delete(emailCampaigns).where(eq(emailCampaigns.id, byCampaign.campaign.id));
    expect(await sendsOf(byCampaign.campaign.id)).toBe(0);
    const gone = await twoWorkspaces(h.db);
    const ofGone = await sentCampaign(gone.ws.id, 3);
    await h.db.delete(workspaces).where(eq(workspaces.id, gone.ws.id));
    expect(await sendsOf(ofGone.campaign.id)).toBe(0);
    expect(await sendsOf(other.campaign.id)).toBe(2);
  });

  it("refuses a send whose step is not of its campaign, or whose campaign is not of its workspace", async () => {
    const mine = await sentCampaign(f.ws.id, 1);
    const theirs = await sentCampaign(f.other.id, 1);
    const [lead] = await h.db
      .insert(leads)
      .values({ workspaceId: f.ws.id, email: `k-${crypto.randomUUID()}@example.test` })
      .returning();
    const send = (p: { workspaceId: string; campaignId: string; stepId: string }) =>
      h.db.insert(emailSends).values({ ...p, leadId: lead!.id, toAddress: lead!.email });
    const refused = { cause: { message: expect.stringMatching(/email_sends_step_fk/) } };
    // Another campaign's step.
    await expect(
      send({ workspaceId: f.ws.id, campaignId: mine.campaign.id, stepId: theirs.steps[0]!.id }),
    ).rejects.toMatchObject(refused);
    // Another workspace's campaign and step, in this workspace's row.
    await expect(
      send({ workspaceId: f.ws.id, campaignId: theirs.campaign.id, stepId: theirs.steps[0]!.id }),
    ).rejects.toMatchObject(refused);
    expect(await sendsOf(mine.campaign.id)).toBe(1);
    expect(await sendsOf(theirs.campaign.id)).toBe(1);
    // The same row with its own step is written.
    await send({ workspaceId: f.ws.id, campaignId: mine.campaign.id, stepId: mine.steps[0]!.id });
    expect(await sendsOf(mine.campaign.id)).toBe(2);
  });

  it("the migration keeps every send and leaves the one key", async () => {
    const keys = async () =>
      rowsOf<{ conname: string }>(
        await h.db.execute(sql`select conname from pg_constraint
          where conrelid = 'email_sends'::regclass and contype = 'f' order by conname`),
      ).map((r) => r.conname);
    const { campaign } = await sentCampaign(f.ws.id, 3);
    // The shape before 0036: three keys, no unique (workspace, campaign, id) on steps.
    await h.db.execute(sql`alter table email_sends drop constraint email_sends_step_fk`);
    await h.db.execute(sql`alter table campaign_steps drop constraint campaign_steps_workspace_campaign_id`);
    await h.db.execute(sql`alter table email_sends
      add constraint email_sends_workspace_id_workspaces_id_fk foreign key (workspace_id) references workspaces (id) on delete cascade,
      add constraint email_sends_campaign_id_email_campaigns_id_fk foreign key (campaign_id) references email_campaigns (id) on delete cascade,
      add constraint email_sends_step_id_campaign_steps_id_fk foreign key (step_id) references campaign_steps (id) on delete cascade`);
    const before = await keys();
    expect(before).toContain("email_sends_step_id_campaign_steps_id_fk");

    await runMigration(h.db, "0036");

    expect((await keys()).sort()).toEqual(
      before
        .filter((k) => !/^email_sends_(workspace_id|campaign_id|step_id)_/.test(k))
        .concat("email_sends_step_fk")
        .sort(),
    );
    expect(await sendsOf(campaign.id)).toBe(3);
  });
});
