import { and, asc, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { campaignSteps, emailCampaigns, emailEvents, emailSends } from "@/server/db/schema";
import { NotFoundError } from "@/server/errors";
import { abTestReport } from "./ab-test";
import { enrollmentExits } from "./goals";

const HOURLY_FOR_MS = 48 * 3_600_000;

const ratio = (n: number, d: number) => (d > 0 ? n / d : 0);
const num = (v: unknown) => Number(v ?? 0);

export interface TimeBucket {
  /** Start of the bucket (UTC): an hour during the first 48 h after the first send, a day after. */
  at: Date;
  unit: "hour" | "day";
  sent: number;
  opens: number;
  clicks: number;
}

/**
 * One campaign's numbers. Opens and clicks are unique people, humans only (image proxies and link
 * scanners are flagged `is_machine` and left out). Rates are of messages sent; nothing sent = zeros.
 * `from`/`to` narrow every count to sends and events in [from, to).
 */
export async function getCampaignReport(
  db: Db,
  workspaceId: string,
  input: { id: string; from?: Date; to?: Date },
) {
  const [campaign] = await db
    .select({ id: emailCampaigns.id, name: emailCampaigns.name, type: emailCampaigns.type })
    .from(emailCampaigns)
    .where(and(eq(emailCampaigns.id, input.id), eq(emailCampaigns.workspaceId, workspaceId)));
  if (!campaign) throw new NotFoundError("Campaign not found");

  const sendTime = sql`coalesce(${emailSends.sentAt}, ${emailSends.createdAt})`;
  const sendWhere: SQL[] = [eq(emailSends.workspaceId, workspaceId), eq(emailSends.campaignId, campaign.id)];
  const eventWhere: SQL[] = [
    eq(emailEvents.workspaceId, workspaceId),
    eq(emailEvents.campaignId, campaign.id),
  ];
  if (input.from) {
    sendWhere.push(gte(sendTime, input.from));
    eventWhere.push(gte(emailEvents.createdAt, input.from));
  }
  if (input.to) {
    sendWhere.push(lt(sendTime, input.to));
    eventWhere.push(lt(emailEvents.createdAt, input.to));
  }
  const human = sql`${emailEvents.isMachine} = false`;

  const [sendTotals, eventTotals, steps, perStepSends, perStepEvents, links, sentHours, eventHours] =
    await Promise.all([
      db
        .select({
          sent: sql<number>`count(*) filter (where ${emailSends.status} = 'sent')::int`,
          accepted: sql<number>`count(*) filter (where ${emailSends.status} = 'sent' and ${emailSends.delivered})::int`,
          failed: sql<number>`count(*) filter (where ${emailSends.status} = 'failed')::int`,
          bouncedAtSend: sql<number>`count(*) filter (where ${emailSends.status} = 'bounced')::int`,
          suppressed: sql<number>`count(*) filter (where ${emailSends.status} = 'suppressed')::int`,
          pending: sql<number>`count(*) filter (where ${emailSends.status} in ('pending', 'sending'))::int`,
        })
        .from(emailSends)
        .where(and(...sendWhere)),
      db
        .select({
          // A bounce after a server accepted the message (a refusal at send time marks the send `bounced`).
          bouncedLater: sql<number>`count(distinct ${emailEvents.sendId}) filter (where ${emailEvents.type} = 'bounce' and not exists (select 1 from ${emailSends} s where s.id = ${emailEvents.sendId} and s.workspace_id = ${emailEvents.workspaceId} and s.status = 'bounced'))::int`,
          opens: sql<number>`count(distinct ${emailEvents.leadId}) filter (where ${emailEvents.type} = 'open' and ${human})::int`,
          clicks: sql<number>`count(distinct ${emailEvents.leadId}) filter (where ${emailEvents.type} = 'click' and ${human})::int`,
          unsubscribes: sql<number>`count(distinct ${emailEvents.leadId}) filter (where ${emailEvents.type} = 'unsubscribe')::int`,
          complaints: sql<number>`count(distinct ${emailEvents.leadId}) filter (where ${emailEvents.type} = 'complaint')::int`,
        })
        .from(emailEvents)
        .where(and(...eventWhere)),
      db
        .select({ id: campaignSteps.id, position: campaignSteps.position, subject: campaignSteps.subject })
        .from(campaignSteps)
        .where(and(eq(campaignSteps.workspaceId, workspaceId), eq(campaignSteps.campaignId, campaign.id)))
        .orderBy(asc(campaignSteps.position)),
      db
        .select({
          stepId: emailSends.stepId,
          sent: sql<number>`count(*) filter (where ${emailSends.status} = 'sent')::int`,
          failed: sql<number>`count(*) filter (where ${emailSends.status} in ('failed', 'bounced'))::int`,
          pending: sql<number>`count(*) filter (where ${emailSends.status} in ('pending', 'sending'))::int`,
        })
        .from(emailSends)
        .where(and(...sendWhere))
        .groupBy(emailSends.stepId),
      db
        .select({
          stepId: emailSends.stepId,
          opens: sql<number>`count(distinct ${emailEvents.leadId}) filter (where ${emailEvents.type} = 'open' and ${human})::int`,
          clicks: sql<number>`count(distinct ${emailEvents.leadId}) filter (where ${emailEvents.type} = 'click' and ${human})::int`,
        })
        .from(emailEvents)
        .innerJoin(
          emailSends,
          and(eq(emailSends.id, emailEvents.sendId), eq(emailSends.workspaceId, emailEvents.workspaceId)),
        )
        .where(and(...eventWhere))
        .groupBy(emailSends.stepId),
      db
        .select({
          url: emailEvents.url,
          clicks: sql<number>`count(*)::int`,
          uniqueClickers: sql<number>`count(distinct ${emailEvents.leadId})::int`,
        })
        .from(emailEvents)
        .where(and(...eventWhere, eq(emailEvents.type, "click"), human, sql`${emailEvents.url} is not null`))
        .groupBy(emailEvents.url)
        .orderBy(sql`count(*) desc`, asc(emailEvents.url))
        .limit(100),
      db
        .select({
          hour: sql<string>`to_char(date_trunc('hour', ${emailSends.sentAt} at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:00:00"Z"')`,
          n: sql<number>`count(*)::int`,
        })
        .from(emailSends)
        .where(and(...sendWhere, eq(emailSends.status, "sent"), sql`${emailSends.sentAt} is not null`))
        .groupBy(sql`1`),
      db
        .select({
          hour: sql<string>`to_char(date_trunc('hour', ${emailEvents.createdAt} at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:00:00"Z"')`,
          opens: sql<number>`count(distinct ${emailEvents.leadId}) filter (where ${emailEvents.type} = 'open')::int`,
          clicks: sql<number>`count(distinct ${emailEvents.leadId}) filter (where ${emailEvents.type} = 'click')::int`,
        })
        .from(emailEvents)
        .where(and(...eventWhere, human, sql`${emailEvents.type} in ('open', 'click')`))
        .groupBy(sql`1`),
    ]);

  const s = sendTotals[0];
  const e = eventTotals[0];
  const sent = num(s?.sent);
  const bouncedLater = num(e?.bouncedLater);
  const bounced = num(s?.bouncedAtSend) + bouncedLater;
  // Delivered: a mail server (SMTP 250) or Gmail accepted it, and no bounce took it back. A message
  // "sent" with no server configured only went to the in-app outbox: counted apart, never delivered.
  const delivered = Math.max(0, num(s?.accepted) - bouncedLater);
  const inOutbox = Math.max(0, sent - num(s?.accepted));
  const uniqueOpens = num(e?.opens);
  const uniqueClicks = num(e?.clicks);
  const complaints = num(e?.complaints);

  const sendsByStep = new Map(perStepSends.map((r) => [r.stepId, r]));
  const eventsByStep = new Map(perStepEvents.map((r) => [r.stepId, r]));

  return {
    campaign,
    totals: {
      sent,
      delivered,
      inOutbox,
      failed: num(s?.failed),
      bounced,
      suppressed: num(s?.suppressed),
      pending: num(s?.pending),
      uniqueOpens,
      uniqueClicks,
      unsubscribes: num(e?.unsubscribes),
      complaints,
      openRate: ratio(uniqueOpens, sent),
      clickRate: ratio(uniqueClicks, sent),
      complaintRate: ratio(complaints, sent),
    },
    steps: steps.map((st) => {
      const ss = sendsByStep.get(st.id);
      const es = eventsByStep.get(st.id);
      const stepSent = num(ss?.sent);
      return {
        id: st.id,
        position: st.position,
        subject: st.subject,
        sent: stepSent,
        failed: num(ss?.failed),
        pending: num(ss?.pending),
        uniqueOpens: num(es?.opens),
        uniqueClicks: num(es?.clicks),
        openRate: ratio(num(es?.opens), stepSent),
        clickRate: ratio(num(es?.clicks), stepSent),
      };
    }),
    overTime: bucketize(
      sentHours.map((r) => ({ hour: r.hour, sent: num(r.n), opens: 0, clicks: 0 })),
      eventHours.map((r) => ({ hour: r.hour, sent: 0, opens: num(r.opens), clicks: num(r.clicks) })),
    ),
    links: links.map((l) => ({
      url: l.url ?? "",
      clicks: num(l.clicks),
      uniqueClickers: num(l.uniqueClickers),
    })),
    /** One-time campaigns with an A/B test: each variant's exact counts and the winner. */
    abTest: await abTestReport(db, workspaceId, campaign.id),
    /** Sequences and triggered campaigns: how many leads left, by reason (goals.ts); null otherwise. */
    exits: campaign.type === "one-time" ? null : await enrollmentExits(db, workspaceId, campaign.id),
  };
}
export type CampaignReport = Awaited<ReturnType<typeof getCampaignReport>>;

type HourRow = { hour: string; sent: number; opens: number; clicks: number };

/**
 * Hourly rows folded into the report's series: per hour for the first 48 h after the first send,
 * per day after that. (Per-bucket opens/clicks add up per hour, so a person who opens in two hours
 * counts in both — the totals above are the unique figures.)
 */
export function bucketize(...sources: HourRow[][]): TimeBucket[] {
  const rows = sources.flat();
  if (rows.length === 0) return [];
  const times = rows.map((r) => Date.parse(r.hour));
  const firstSent = rows.filter((r) => r.sent > 0).map((r) => Date.parse(r.hour));
  const start = firstSent.length ? Math.min(...firstSent) : Math.min(...times);
  const buckets = new Map<string, TimeBucket>();
  for (const r of rows) {
    const t = Date.parse(r.hour);
    const hourly = t < start + HOURLY_FOR_MS;
    const at = hourly ? t : Math.floor(t / 86_400_000) * 86_400_000;
    const key = `${hourly ? "h" : "d"}${at}`;
    const b = buckets.get(key) ?? {
      at: new Date(at),
      unit: hourly ? "hour" : "day",
      sent: 0,
      opens: 0,
      clicks: 0,
    };
    b.sent += r.sent;
    b.opens += r.opens;
    b.clicks += r.clicks;
    buckets.set(key, b);
  }
  return [...buckets.values()].sort((a, b) => a.at.getTime() - b.at.getTime());
}
