import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDaysToKey, dayKey, zonedInstant } from "@/components/content/zoned-time";
import type { Db } from "@/server/db";
import {
  activityLogs,
  campaignSteps,
  emailCampaigns,
  emailSends,
  leads,
  workspaces,
} from "@/server/db/schema";
import { setQueue } from "@/server/queue";
import { runSender } from "@/server/services/email/sender";
import { startDueScheduledCampaigns } from "@/server/services/email/start";
import { closeTransports } from "@/server/services/email/transport";
import { handleFormPost } from "@/server/services/forms/http";
import { fillLeadTimeZones } from "@/server/services/leads-import/time-zones";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";
import { recordingQueue } from "../helpers/queues";
import { startDnsStandInForFile, verifySenderDomainThroughDns } from "../helpers/sender-domains";

/**
 * Issue 19 point 6: a lead's time zone (form, custom field, country), campaigns delivered at a
 * local hour in each lead's own zone, and the workspace's quiet hours — over a real database and a
 * real SMTP server. Time is never waited for: the scheduler's start is brought forward through the
 * campaign's `sendAt`, and the sender's quiet-hours clock is injected (`runSender({ now })`).
 */
const h = await setupTestDb();
const db = h.db as Db;
const dns = await startDnsStandInForFile();
const BASE = "https://organic.test";

const noQueue = recordingQueue();

const appDb = globalThis as unknown as { organicDb?: Promise<unknown> };
let sink: SmtpSink;
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
const WS_ZONE = "Europe/London";

const SENDER = {
  fromName: "Acme Team",
  fromEmail: "news@acme.example",
  replyTo: "",
  postalAddress: "Acme Ltd, 1 Market Street, Springfield 12345, USA",
  sendRatePerSecond: 0,
};

beforeAll(async () => {
  setQueue(noQueue);
  appDb.organicDb = Promise.resolve(h);
  sink = await startSmtpSink();
  f = await twoWorkspaces(db);
  await verifySenderDomainThroughDns(db, dns, f.ws.id, "acme.example");
  await db
    .update(workspaces)
    .set({
      timeZone: WS_ZONE,
      settings: sql`${workspaces.settings} || ${JSON.stringify({ sender: SENDER, smtp: { url: sink.url } })}::jsonb`,
    })
    .where(eq(workspaces.id, f.ws.id));
  closeTransports();
  const owner = callerFor(db, f.owner);
  await owner.leads.fields.create({ workspaceId: f.ws.id, label: "Timezone", type: "text" });
  await owner.leads.fields.create({ workspaceId: f.ws.id, label: "Country", type: "text" });
});

afterAll(async () => {
  appDb.organicDb = undefined;
  closeTransports();
  await sink.close();
  setQueue(h.queue);
});

const zoneOf = async (id: string) =>
  (await db.select({ tz: leads.timeZone }).from(leads).where(eq(leads.id, id)))[0]?.tz;

describe("a lead's time zone", () => {
  const create = (customFields: Record<string, string>) =>
    callerFor(db, f.member).leads.create({
      workspaceId: f.ws.id,
      email: `tz-${randomUUID().slice(0, 8)}@example.test`,
      customFields,
    });

  it("comes from the timezone field, then the country; invalid names are not stored", async () => {
    expect((await create({ timezone: "Asia/Tokyo" })).timeZone).toBe("Asia/Tokyo");
    expect((await create({ country: "DE" })).timeZone).toBe("Europe/Berlin");
    expect((await create({ country: "United States" })).timeZone).toBe("America/New_York");
    expect((await create({ timezone: "Asia/Tokyo", country: "DE" })).timeZone).toBe("Asia/Tokyo");
    expect((await create({ timezone: "Mars/Olympus", country: "Japan" })).timeZone).toBe("Asia/Tokyo");
    expect((await create({ timezone: "+09:00" })).timeZone).toBeNull();
    expect((await create({})).timeZone).toBeNull();
  });

  it("follows the fields when they change, an explicit zone staying over a country", async () => {
    const lead = await create({});
    const caller = callerFor(db, f.member);
    await caller.leads.update({ workspaceId: f.ws.id, id: lead.id, customFields: { country: "FR" } });
    expect(await zoneOf(lead.id)).toBe("Europe/Paris");
    await caller.leads.update({
      workspaceId: f.ws.id,
      id: lead.id,
      customFields: { timezone: "America/Chicago" },
    });
    expect(await zoneOf(lead.id)).toBe("America/Chicago");
    await caller.leads.update({ workspaceId: f.ws.id, id: lead.id, customFields: { country: "JP" } });
    expect(await zoneOf(lead.id)).toBe("America/Chicago");
  });

  it("an import's rows get theirs from the timezone and country fields, in one update", async () => {
    const tag = randomUUID().slice(0, 6);
    const rows = await db
      .insert(leads)
      .values(
        [
          { customFields: { timezone: "asia/tokyo" }, timeZone: null },
          { customFields: { country: "Germany" }, timeZone: null },
          { customFields: { timezone: "Bogus/Zone", country: "us" }, timeZone: null },
          { customFields: { timezone: "Europe/Paris" }, timeZone: "Asia/Tokyo" },
          { customFields: { country: "JP" }, timeZone: "America/Chicago" },
          { customFields: { country: "Atlantis" }, timeZone: null },
        ].map((r, i) => ({ workspaceId: f.ws.id, email: `imp${i}-${tag}@example.test`, ...r })),
      )
      .returning({ id: leads.id });
    // Another workspace's lead with the same fields is left alone.
    const [theirs] = await db
      .insert(leads)
      .values({ workspaceId: f.other.id, email: `imp-${tag}@example.test`, customFields: { country: "DE" } })
      .returning({ id: leads.id });
    expect(await fillLeadTimeZones(db, f.ws.id)).toBeGreaterThanOrEqual(4);
    expect(await Promise.all(rows.map((r) => zoneOf(r.id)))).toEqual([
      "Asia/Tokyo",
      "Europe/Berlin",
      "America/New_York",
      "Europe/Paris",
      "America/Chicago",
      null,
    ]);
    expect(await zoneOf(theirs!.id)).toBeNull();
    expect(await fillLeadTimeZones(db, f.ws.id)).toBe(0);
  });

  it("a form submission stores the browser's zone; an invalid one is ignored", async () => {
    const form = await callerFor(db, f.admin).forms.create({
      workspaceId: f.ws.id,
      name: `TZ ${randomUUID().slice(0, 6)}`,
    });
    const submit = async (tz: string) => {
      const email = `form-${randomUUID().slice(0, 8)}@example.test`;
      const res = await handleFormPost(
        new Request(`${BASE}/api/forms/${f.ws.slug}/${form.slug}`, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({ email, tz }),
        }),
        {
          db,
          workspaceSlug: f.ws.slug,
          formSlug: form.slug,
          actor: { userId: null, ip: `198.51.100.${Math.floor(Math.random() * 200)}`, userAgent: "vitest" },
          baseUrl: BASE,
        },
      );
      expect(res.status).toBe(200);
      const [row] = await db
        .select({ tz: leads.timeZone })
        .from(leads)
        .where(and(eq(leads.workspaceId, f.ws.id), eq(leads.email, email)));
      return row?.tz;
    };
    expect(await submit("Asia/Tokyo")).toBe("Asia/Tokyo");
    expect(await submit("Not/AZone")).toBeNull();
    expect(await submit("<script>")).toBeNull();
  });

  it("is set by hand on the lead page: members yes, viewers and other workspaces no", async () => {
    const lead = await create({});
    const set = (user: typeof f.member, workspaceId: string, timeZone: string | null) =>
      callerFor(db, user).sendTime.setLeadTimeZone({ workspaceId, id: lead.id, timeZone });
    await expect(set(f.member, f.ws.id, "Pacific/Auckland")).resolves.toMatchObject({
      timeZone: "Pacific/Auckland",
    });
    expect(await zoneOf(lead.id)).toBe("Pacific/Auckland");
    await expect(set(f.member, f.ws.id, "Mars/Olympus")).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(set(f.viewer, f.ws.id, "Asia/Tokyo")).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(set(f.otherOwner, f.other.id, "Asia/Tokyo")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(set(f.otherOwner, f.ws.id, "Asia/Tokyo")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await zoneOf(lead.id)).toBe("Pacific/Auckland");
    await expect(set(f.member, f.ws.id, null)).resolves.toMatchObject({ timeZone: null });
    expect(await zoneOf(lead.id)).toBeNull();
  });
});

/** Four leads (Tokyo, Berlin, New York, none) tagged for one new one-time campaign. */
async function zonedCampaign() {
  const tag = `t-${randomUUID().slice(0, 6)}`;
  const zones = { tokyo: "Asia/Tokyo", berlin: "Europe/Berlin", ny: "America/New_York", none: null };
  const rows = await db
    .insert(leads)
    .values(
      Object.entries(zones).map(([k, timeZone]) => ({
        workspaceId: f.ws.id,
        email: `${k}-${tag}@example.test`,
        name: k,
        tags: [tag],
        timeZone,
      })),
    )
    .returning({ id: leads.id, name: leads.name, email: leads.email });
  const [c] = await db
    .insert(emailCampaigns)
    .values({
      workspaceId: f.ws.id,
      name: tag,
      type: "one-time",
      content: {},
      segmentCriteria: { match: "all", conditions: [{ field: "tag", op: "has", value: tag }] },
    })
    .returning();
  await db.insert(campaignSteps).values({
    workspaceId: f.ws.id,
    campaignId: c!.id,
    position: 0,
    subject: "Good morning {{name}}",
    body: "Hello {{name}}.",
  });
  const byName = Object.fromEntries(rows.map((r) => [r.name!, r]));
  return { campaign: c!, leads: byName as Record<keyof typeof zones, (typeof rows)[number]> };
}

async function dueTimes(campaignId: string) {
  const rows = await db
    .select({ name: leads.name, dueAt: emailSends.dueAt, status: emailSends.status })
    .from(emailSends)
    .innerJoin(leads, eq(leads.id, emailSends.leadId))
    .where(eq(emailSends.campaignId, campaignId));
  return Object.fromEntries(rows.map((r) => [r.name!, new Date(r.dueAt).toISOString()]));
}

/** The scheduler's start, brought forward: the campaign's sendAt is moved to now. */
async function reachStart(campaignId: string) {
  await db
    .update(emailCampaigns)
    .set({ schedule: sql`${emailCampaigns.schedule} || jsonb_build_object('sendAt', now())` })
    .where(eq(emailCampaigns.id, campaignId));
  await startDueScheduledCampaigns(db);
}

describe("send at a local time", () => {
  it("each lead's message is due at 09:00 on its own clock (New York on its DST change day)", async () => {
    const { campaign, leads: l } = await zonedCampaign();
    // 14 March 2027: the US moves to summer time that night, Europe two weeks later.
    const scheduled = await callerFor(db, f.member).sendTime.scheduleLocal({
      workspaceId: f.ws.id,
      id: campaign.id,
      date: "2027-03-14",
      time: "09:00",
    });
    expect(scheduled).toMatchObject({ status: "scheduled", localTime: "2027-03-14T09:00" });
    // It starts when 09:00 first comes anywhere (UTC+14).
    expect(scheduled.sendAt?.toISOString()).toBe("2027-03-13T19:00:00.000Z");

    await reachStart(campaign.id);
    const [row] = await db.select().from(emailCampaigns).where(eq(emailCampaigns.id, campaign.id));
    expect(row!.status).toBe("sending");
    expect(await dueTimes(campaign.id)).toEqual({
      tokyo: "2027-03-14T00:00:00.000Z", // JST, UTC+9
      berlin: "2027-03-14T08:00:00.000Z", // CET, UTC+1
      ny: "2027-03-14T13:00:00.000Z", // EDT from 02:00 that day, UTC−4
      none: "2027-03-14T09:00:00.000Z", // the workspace's zone, London (GMT)
    });
    // None is due yet: nothing leaves, and the campaign keeps sending (not sent).
    const run = await runSender(db, { workspaceId: f.ws.id, deadline: Date.now() + 10_000 });
    expect(run.claimed).toBe(0);
    for (const lead of Object.values(l)) expect(sink.for(lead.email)).toHaveLength(0);
    const [still] = await db.select().from(emailCampaigns).where(eq(emailCampaigns.id, campaign.id));
    expect(still!.status).toBe("sending");
  });

  it("zones whose hour has already passed when it starts get theirs at once", async () => {
    const { campaign, leads: l } = await zonedCampaign();
    const yesterday = addDaysToKey(dayKey(new Date(), "UTC"), -1);
    await db
      .update(emailCampaigns)
      .set({
        status: "scheduled",
        schedule: { sendAt: new Date().toISOString(), localTime: `${yesterday}T09:00` },
      })
      .where(eq(emailCampaigns.id, campaign.id));
    await startDueScheduledCampaigns(db);
    const due = await dueTimes(campaign.id);
    expect(due.berlin).toBe(zonedInstant(yesterday, "09:00", "Europe/Berlin")!.toISOString());
    await runSender(db, { workspaceId: f.ws.id, deadline: Date.now() + 20_000 });
    await sink.waitFor(4);
    for (const lead of Object.values(l)) expect(sink.for(lead.email)).toHaveLength(1);
    const [row] = await db.select().from(emailCampaigns).where(eq(emailCampaigns.id, campaign.id));
    expect(row!.status).toBe("sent");
  });

  it("is refused once the hour has passed everywhere, and a plain schedule clears it", async () => {
    const { campaign } = await zonedCampaign();
    const caller = callerFor(db, f.member);
    await expect(
      caller.sendTime.scheduleLocal({
        workspaceId: f.ws.id,
        id: campaign.id,
        date: "2020-01-01",
        time: "09:00",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      caller.sendTime.scheduleLocal({
        workspaceId: f.ws.id,
        id: campaign.id,
        date: "2027-02-30",
        time: "09:00",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      caller.sendTime.scheduleLocal({
        workspaceId: f.ws.id,
        id: campaign.id,
        date: "2027-03-14",
        time: "25:00",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      callerFor(db, f.viewer).sendTime.scheduleLocal({
        workspaceId: f.ws.id,
        id: campaign.id,
        date: "2027-03-14",
        time: "09:00",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      callerFor(db, f.otherOwner).sendTime.scheduleLocal({
        workspaceId: f.other.id,
        id: campaign.id,
        date: "2027-03-14",
        time: "09:00",
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const [untouched] = await db.select().from(emailCampaigns).where(eq(emailCampaigns.id, campaign.id));
    expect(untouched!.status).toBe("draft");

    await caller.sendTime.scheduleLocal({
      workspaceId: f.ws.id,
      id: campaign.id,
      date: "2027-03-14",
      time: "09:00",
    });
    const plain = await caller.email.campaigns.schedule({
      workspaceId: f.ws.id,
      id: campaign.id,
      sendAt: new Date("2027-03-14T12:00:00Z"),
    });
    expect(plain.localTime).toBeNull();
    await reachStart(campaign.id);
    const due = Object.values(await dueTimes(campaign.id));
    expect(due).toHaveLength(4);
    // Without a local time every message is due when the campaign starts.
    for (const at of due) expect(Math.abs(new Date(at).getTime() - Date.now())).toBeLessThan(60_000);
    expect((await runSender(db, { workspaceId: f.ws.id, deadline: Date.now() + 20_000 })).sent).toBe(4);
  });
});

describe("quiet hours", () => {
  it("only admins change them, in their own workspace, with valid hours", async () => {
    const set = (user: typeof f.admin, workspaceId: string) =>
      callerFor(db, user).sendTime.setQuietHours({ workspaceId, quietHours: { from: 21, to: 8 } });
    await expect(set(f.viewer, f.ws.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(set(f.member, f.ws.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(set(f.otherOwner, f.ws.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      callerFor(db, f.admin).sendTime.setQuietHours({ workspaceId: f.ws.id, quietHours: { from: 8, to: 8 } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      callerFor(db, f.admin).sendTime.setQuietHours({
        workspaceId: f.ws.id,
        quietHours: { from: 21, to: 24 },
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await callerFor(db, f.viewer).sendTime.quietHours({ workspaceId: f.ws.id })).toEqual({
      quietHours: null,
      timeZone: WS_ZONE,
    });
    await expect(set(f.admin, f.ws.id)).resolves.toEqual({
      quietHours: { from: 21, to: 8 },
      timeZone: WS_ZONE,
    });
    const logged = await db
      .select()
      .from(activityLogs)
      .where(
        and(eq(activityLogs.workspaceId, f.ws.id), eq(activityLogs.action, "workspace.quiet_hours_updated")),
      );
    expect(logged).toHaveLength(1);
    // The other workspace's settings are its own.
    expect(await callerFor(db, f.otherOwner).sendTime.quietHours({ workspaceId: f.other.id })).toMatchObject({
      quietHours: null,
    });
  });

  it("a send due inside 21–08 waits until 08:00 and goes then, not before (sequences too)", async () => {
    await callerFor(db, f.admin).sendTime.setQuietHours({
      workspaceId: f.ws.id,
      quietHours: { from: 21, to: 8 },
    });
    // The night before yesterday, on the workspace's (London) clock — all of it in the past, so
    // the database's own now() never holds a message back; the sender's clock is injected.
    const today = dayKey(new Date(), WS_ZONE);
    const night = addDaysToKey(today, -2);
    const morning = addDaysToKey(today, -1);
    const at = (day: string, time: string) => zonedInstant(day, time, WS_ZONE)!;
    const { campaign, leads: l } = await zonedCampaign();
    await db.update(emailCampaigns).set({ status: "sending" }).where(eq(emailCampaigns.id, campaign.id));
    const [step] = await db.select().from(campaignSteps).where(eq(campaignSteps.campaignId, campaign.id));
    await db.insert(emailSends).values({
      workspaceId: f.ws.id,
      campaignId: campaign.id,
      stepId: step!.id,
      leadId: l.berlin.id,
      toAddress: l.berlin.email,
      dueAt: at(night, "22:30"),
    });
    // A sequence's step, due in the middle of the night.
    const seq = await zonedCampaign();
    await db
      .update(emailCampaigns)
      .set({ type: "sequence", status: "active" })
      .where(eq(emailCampaigns.id, seq.campaign.id));
    const [seqStep] = await db
      .select()
      .from(campaignSteps)
      .where(eq(campaignSteps.campaignId, seq.campaign.id));
    await db.insert(emailSends).values({
      workspaceId: f.ws.id,
      campaignId: seq.campaign.id,
      stepId: seqStep!.id,
      leadId: seq.leads.ny.id,
      toAddress: seq.leads.ny.email,
      dueAt: at(morning, "03:15"),
    });
    const dueOf = async (campaignId: string) =>
      (await db.select().from(emailSends).where(eq(emailSends.campaignId, campaignId)))[0]!;

    const run = (now: Date) =>
      runSender(db, { workspaceId: f.ws.id, deadline: Date.now() + 20_000, now: () => now });
    expect((await run(at(night, "23:00"))).claimed).toBe(0);
    const end = at(morning, "08:00").toISOString();
    expect((await dueOf(campaign.id)).dueAt.toISOString()).toBe(end);
    expect((await dueOf(seq.campaign.id)).dueAt.toISOString()).toBe(end);

    expect((await run(at(morning, "07:59"))).claimed).toBe(0);
    expect(sink.for(l.berlin.email)).toHaveLength(0);
    expect(sink.for(seq.leads.ny.email)).toHaveLength(0);
    expect((await dueOf(campaign.id)).status).toBe("pending");

    const sent = await run(at(morning, "08:00"));
    expect(sent.sent).toBe(2);
    expect(sink.for(l.berlin.email)).toHaveLength(1);
    expect(sink.for(seq.leads.ny.email)).toHaveLength(1);
    expect((await dueOf(campaign.id)).status).toBe("sent");

    // Without quiet hours the same clock holds nothing back.
    await callerFor(db, f.admin).sendTime.setQuietHours({ workspaceId: f.ws.id, quietHours: null });
    expect(
      (await callerFor(db, f.viewer).sendTime.quietHours({ workspaceId: f.ws.id })).quietHours,
    ).toBeNull();
  });
});

describe("a workspace zone the database does not know", () => {
  it("falls back to UTC at the scheduler's start", async () => {
    // Zones are validated on write; a row changed behind the app's back still cannot fail a start.
    const { campaign } = await zonedCampaign();
    await db.update(workspaces).set({ timeZone: "Nowhere/Land" }).where(eq(workspaces.id, f.ws.id));
    try {
      await db
        .update(emailCampaigns)
        .set({
          status: "scheduled",
          schedule: { sendAt: new Date().toISOString(), localTime: "2027-07-14T09:00" },
        })
        .where(eq(emailCampaigns.id, campaign.id));
      expect(await startDueScheduledCampaigns(db)).toBeGreaterThanOrEqual(1);
      // 09:00 UTC, where the workspace's London would have made it 08:00 UTC (BST).
      expect((await dueTimes(campaign.id)).none).toBe("2027-07-14T09:00:00.000Z");
      expect((await dueTimes(campaign.id)).tokyo).toBe("2027-07-14T00:00:00.000Z");
    } finally {
      await db.update(workspaces).set({ timeZone: WS_ZONE }).where(eq(workspaces.id, f.ws.id));
    }
  });
});
