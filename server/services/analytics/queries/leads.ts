import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { eachDay, type LeadsInput, leadsInput } from "../schemas";
import { cur, num, prev, rows, span, withRange } from "./common";

/** The leads tab: growth by day, week or month, and the mix by source, tag and status. */
export async function getLeadsAnalytics(db: Db, workspaceId: string, input: LeadsInput) {
  const parsed = leadsInput.parse(input);
  return withRange(
    db,
    workspaceId,
    "leads",
    parsed,
    async (r) => {
      const s = span(r);
      const totalsQ = rows<{ leads: number; prev: number }>(
        db,
        sql`select coalesce(sum(leads) filter (where ${cur(r)}), 0)::float8 as leads,
          coalesce(sum(leads) filter (where ${prev(r)}), 0)::float8 as prev
        from rollup_leads_daily where workspace_id = ${workspaceId} and day between ${s.lo}::date and ${s.hi}::date`,
      );
      const bucket =
        parsed.granularity === "day"
          ? sql`day`
          : parsed.granularity === "week"
            ? sql`date_trunc('week', day)::date`
            : sql`date_trunc('month', day)::date`;
      const growthQ = rows<{ bucket: string; leads: number }>(
        db,
        sql`select ${bucket}::text as bucket, sum(leads)::float8 as leads from rollup_leads_daily
          where workspace_id = ${workspaceId} and ${cur(r)} group by 1`,
      );
      const bySourceQ = rows<{ source: string; leads: number }>(
        db,
        sql`select source, sum(leads)::float8 as leads from rollup_leads_daily
          where workspace_id = ${workspaceId} and ${cur(r)} group by source order by 2 desc, 1`,
      );
      const byTagQ = rows<{ tag: string; leads: number }>(
        db,
        sql`select tag, sum(leads)::float8 as leads from rollup_lead_tags_daily
          where workspace_id = ${workspaceId} and ${cur(r)} group by tag order by 2 desc, 1 limit 100`,
      );
      const statusMixQ = rows<{ status: string; leads: number }>(
        db,
        sql`select status, sum(leads)::float8 as leads from rollup_leads_daily
          where workspace_id = ${workspaceId} and ${cur(r)} group by status order by 2 desc, 1`,
      );
      const [[totals], growth, bySource, byTag, statusMix] = await Promise.all([
        totalsQ,
        growthQ,
        bySourceQ,
        byTagQ,
        statusMixQ,
      ]);
      const growthMap = new Map(growth.map((g) => [g.bucket, num(g.leads)]));
      const buckets: string[] = [];
      for (const d of eachDay(r.from, r.to)) {
        const b =
          parsed.granularity === "day"
            ? d
            : parsed.granularity === "month"
              ? `${d.slice(0, 8)}01`
              : mondayOf(d);
        if (buckets[buckets.length - 1] !== b) buckets.push(b);
      }
      let running = 0;
      const series = buckets.map((b) => {
        const n = growthMap.get(b) ?? 0;
        running += n;
        return { bucket: b, leads: n, cumulative: running };
      });
      return {
        granularity: parsed.granularity,
        totals: { leads: num(totals?.leads), previous: r.compare ? num(totals?.prev) : null },
        series,
        bySource: bySource.map((x) => ({ source: x.source || null, leads: num(x.leads) })),
        byTag: byTag.map((x) => ({ tag: x.tag, leads: num(x.leads) })),
        statusMix: statusMix.map((x) => ({ status: x.status, leads: num(x.leads) })),
      };
    },
    parsed.granularity,
  );
}

export function mondayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - dow);
  return d.toISOString().slice(0, 10);
}
