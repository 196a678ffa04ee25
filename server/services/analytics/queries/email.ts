import "server-only";
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { eachDay, type RangeInput, rangeInput } from "../schemas";
import { cur, num, prev, ratio, rows, span, withRange } from "./common";

const EMAIL_COLS = [
  "sent",
  "delivered_events",
  "opens",
  "unique_opens",
  "clicks",
  "unique_clicks",
  "unsubscribes",
  "bounces",
  "complaints",
] as const;

export function emailFigures(x: Record<string, unknown>) {
  const sent = num(x.sent);
  const bounces = num(x.bounces);
  // Delivered: accepted by a mail server or Gmail (as in campaign reports). Mail "sent" while no
  // server was configured only reached the in-app outbox: counted apart, never as delivered.
  const delivered = Math.min(sent, num(x.delivered_events));
  return {
    sent,
    delivered,
    inOutbox: sent - delivered,
    opens: num(x.opens),
    uniqueOpens: num(x.unique_opens),
    clicks: num(x.clicks),
    uniqueClicks: num(x.unique_clicks),
    unsubscribes: num(x.unsubscribes),
    bounces,
    complaints: num(x.complaints),
    openRate: ratio(num(x.unique_opens), sent),
    clickRate: ratio(num(x.unique_clicks), sent),
    complaintRate: ratio(num(x.complaints), sent),
  };
}

const emailSums = (where: SQL) =>
  sql.join(
    EMAIL_COLS.map(
      (c) => sql`coalesce(sum(${sql.raw(c)}) filter (where ${where}), 0)::float8 as ${sql.raw(c)}`,
    ),
    sql`, `,
  );

/** The email tab: totals against the previous period, per campaign, and per day. */
export async function getEmailAnalytics(db: Db, workspaceId: string, input: RangeInput) {
  const parsed = rangeInput.parse(input);
  return withRange(db, workspaceId, "email", parsed, async (r) => {
    const s = span(r);
    const totalsQ = rows<Record<string, number>>(
      db,
      sql`select ${emailSums(cur(r))} from rollup_email_day
        where workspace_id = ${workspaceId} and day between ${s.lo}::date and ${s.hi}::date`,
    );
    const previousQ = rows<Record<string, number>>(
      db,
      sql`select ${emailSums(prev(r))} from rollup_email_day
        where workspace_id = ${workspaceId} and day between ${s.lo}::date and ${s.hi}::date`,
    );
    const campaignsQ = rows<Record<string, unknown>>(
      db,
      sql`select t.*, c.name, c.status from (
          select campaign_id::text as id, ${emailSums(sql`true`)}
          from rollup_email_daily where workspace_id = ${workspaceId} and ${cur(r)}
          group by campaign_id
        ) t join email_campaigns c on c.id = t.id::uuid and c.workspace_id = ${workspaceId}
        order by t.sent desc, c.name`,
    );
    const daysQ = rows<Record<string, unknown>>(
      db,
      sql`select day::text as day, ${emailSums(sql`true`)} from rollup_email_day
        where workspace_id = ${workspaceId} and ${cur(r)} group by day`,
    );
    const [[totals], [previous], campaigns, days] = await Promise.all([
      totalsQ,
      previousQ,
      campaignsQ,
      daysQ,
    ]);
    const byDay = new Map(days.map((d) => [String(d.day), d]));
    return {
      totals: emailFigures(totals ?? {}),
      previous: r.compare ? emailFigures(previous ?? {}) : null,
      campaigns: campaigns.map((c) => ({
        id: String(c.id),
        name: String(c.name),
        status: String(c.status),
        ...emailFigures(c),
      })),
      trend: eachDay(r.from, r.to).map((day) => {
        const f = emailFigures(byDay.get(day) ?? {});
        return {
          day,
          sent: f.sent,
          uniqueOpens: f.uniqueOpens,
          uniqueClicks: f.uniqueClicks,
          bounces: f.bounces,
        };
      }),
    };
  });
}
