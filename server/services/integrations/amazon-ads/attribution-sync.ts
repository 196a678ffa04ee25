import "server-only";
import { and, eq, gte, inArray, isNotNull, lte } from "drizzle-orm";
import type { Logger } from "pino";
import { env } from "@/lib/env";
import type { Db } from "@/server/db";
import { amazonAdsConnections, amazonAttributionDaily, campaignSteps, content } from "@/server/db/schema";
import { ConflictError } from "@/server/errors";
import type { AttributionGroupBy, AttributionReportType } from "@/server/integrations/amazon-ads/client";
import type { ReportEntry } from "@/server/integrations/amazon-ads/schemas";
import { parseAttributionId } from "@/server/integrations/amazon-ads/tags";
import { isIntegrationError } from "@/server/integrations/http";
import { enqueueAmazonAttributionSync } from "@/server/queue/jobs/amazon-ads";
import { countUnfinishedRuns, createJobRun, runSyncOnJobRun } from "@/server/services/jobs";
import type { WorkspaceServiceContext } from "../../context";
import { noteAmazonAdsFailure, readyAmazonAdsConnection } from "./connection";

/**
 * Amazon Attribution reports → `amazon_attribution_daily` (docs/AMAZON-ATTRIBUTION.md §5). Each
 * sync asks for the last AMAZON_ADS_SYNC_DAYS days (Amazon keeps crediting a click for 14 days, so
 * recent days change), PERFORMANCE by campaign, ad group and creative, and PRODUCTS; pages through
 * each with cursorId; then replaces exactly those days in one transaction. The same day synced
 * twice is the same rows, never doubled; a failed sync changes nothing.
 */

export const AMAZON_ATTRIBUTION_SYNC_KIND = "amazon.attribution-sync";
const MAX_PAGES = 200;
const PAGE_SIZE = 5000;

const REPORTS: { reportType: AttributionReportType; groupBy: AttributionGroupBy }[] = [
  { reportType: "PERFORMANCE", groupBy: "CAMPAIGN" },
  { reportType: "PERFORMANCE", groupBy: "ADGROUP" },
  { reportType: "PERFORMANCE", groupBy: "CREATIVE" },
  // PRODUCTS is always by ad group (Amazon refuses groupBy on it).
  { reportType: "PRODUCTS", groupBy: "ADGROUP" },
];

const ymd = (d: Date) => d.toISOString().slice(0, 10);
const compact = (day: string) => day.replaceAll("-", "");

/** A report row's date (`YYYYMMDD`, `YYYY-MM-DD`, or epoch milliseconds) as `YYYY-MM-DD`, else null. */
export function reportDay(raw: string): string | null {
  const s = raw.trim();
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  if (/^\d{12,14}$/.test(s)) return ymd(new Date(Number(s)));
  return null;
}

const centsToDecimal = (c: number) => {
  const sign = c < 0 ? "-" : "";
  const a = Math.abs(c);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, "0")}`;
};

interface DailyRow {
  day: string;
  reportType: AttributionReportType;
  groupLevel: AttributionGroupBy;
  campaignId: string;
  adGroupId: string;
  creativeId: string;
  productAsin: string;
  productName: string | null;
  publisher: string | null;
  clickThroughs: number;
  detailPageViews: number;
  addToCarts: number;
  purchases: number;
  unitsSold: number;
  salesCents: number;
}

function toDaily(e: ReportEntry, reportType: AttributionReportType, groupLevel: AttributionGroupBy) {
  const day = reportDay(e.date);
  if (!day) return null;
  return {
    day,
    reportType,
    groupLevel,
    // A level reports only its own dimensions; anything else Amazon adds is dropped so rows stay unique.
    campaignId: e.campaignId.slice(0, 128),
    adGroupId: groupLevel === "CAMPAIGN" ? "" : e.adGroupId.slice(0, 128),
    creativeId: groupLevel === "CREATIVE" ? e.creativeId.slice(0, 128) : "",
    productAsin: reportType === "PRODUCTS" ? e.productAsin.slice(0, 20) : "",
    productName: reportType === "PRODUCTS" ? (e.productName ?? null) : null,
    publisher: e.publisher ? e.publisher.slice(0, 255) : null,
    clickThroughs: reportType === "PERFORMANCE" ? e["Click-throughs"] : 0,
    detailPageViews: e.attributedDetailPageViewsClicks14d,
    addToCarts: e.attributedAddToCartClicks14d,
    purchases: e.attributedPurchases14d,
    unitsSold: e.unitsSold14d,
    salesCents: e.attributedSales14d,
  } satisfies DailyRow;
}

const keyOf = (r: DailyRow) =>
  [r.day, r.reportType, r.groupLevel, r.campaignId, r.adGroupId, r.creativeId, r.productAsin].join("\u0000");

export interface AttributionSyncResult extends Record<string, unknown> {
  from: string;
  to: string;
  pages: number;
  fetched: number;
  rows: number;
  matchedContent: number;
  matchedSteps: number;
}

/** Pages through the four reports for the window and replaces those days' rows. */
export async function syncAmazonAttribution(
  db: Db,
  p: { workspaceId: string; days?: number; now?: Date; onPage?: (pages: number) => Promise<void> },
): Promise<AttributionSyncResult> {
  const { row, client, profileId, advertiserId } = await readyAmazonAdsConnection(db, p.workspaceId);
  const days = p.days ?? env().AMAZON_ADS_SYNC_DAYS;
  const now = p.now ?? new Date();
  const to = ymd(now);
  const from = ymd(new Date(now.getTime() - (days - 1) * 86_400_000));
  const byKey = new Map<string, DailyRow>();
  let pages = 0;
  let fetched = 0;
  try {
    for (const r of REPORTS) {
      let cursorId: string | undefined;
      do {
        const page = await client.report({
          profileId,
          advertiserId,
          reportType: r.reportType,
          groupBy: r.groupBy,
          startDate: compact(from),
          endDate: compact(to),
          cursorId,
          count: PAGE_SIZE,
        });
        pages++;
        fetched += page.reports.length;
        for (const e of page.reports) {
          const d = toDaily(e, r.reportType, r.groupBy);
          if (!d || d.day < from || d.day > to) continue;
          // The same key twice (several publishers' rows at one level): one row with the sums.
          const prev = byKey.get(keyOf(d));
          if (!prev) byKey.set(keyOf(d), d);
          else {
            prev.clickThroughs += d.clickThroughs;
            prev.detailPageViews += d.detailPageViews;
            prev.addToCarts += d.addToCarts;
            prev.purchases += d.purchases;
            prev.unitsSold += d.unitsSold;
            prev.salesCents += d.salesCents;
          }
        }
        await p.onPage?.(pages);
        // An empty page ends the report even if a cursor came with it (no endless loop).
        cursorId = page.cursorId && page.reports.length > 0 ? page.cursorId : undefined;
      } while (cursorId && pages < MAX_PAGES);
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await db
      .update(amazonAdsConnections)
      .set({ lastSyncAt: new Date(), lastSyncStatus: "error", lastError: message })
      .where(and(eq(amazonAdsConnections.id, row.id), eq(amazonAdsConnections.workspaceId, p.workspaceId)));
    if (isIntegrationError(err)) await noteAmazonAdsFailure(db, row, err);
    throw err;
  }

  const rows = [...byKey.values()];
  const targets = await ownTargets(db, p.workspaceId, rows);
  const values = rows.map((r) => {
    const t = targetOf(r, targets);
    return {
      workspaceId: p.workspaceId,
      day: r.day,
      reportType: r.reportType,
      groupLevel: r.groupLevel,
      advertiserId,
      campaignId: r.campaignId,
      adGroupId: r.adGroupId,
      creativeId: r.creativeId,
      productAsin: r.productAsin,
      productName: r.productName,
      publisher: r.publisher,
      contentId: t.contentId,
      campaignStepId: t.campaignStepId,
      clickThroughs: r.clickThroughs,
      detailPageViews: r.detailPageViews,
      addToCarts: r.addToCarts,
      purchases: r.purchases,
      unitsSold: r.unitsSold,
      sales: centsToDecimal(r.salesCents),
      currency: row.currency,
    };
  });
  await db.transaction(async (tx) => {
    await tx
      .delete(amazonAttributionDaily)
      .where(
        and(
          eq(amazonAttributionDaily.workspaceId, p.workspaceId),
          gte(amazonAttributionDaily.day, from),
          lte(amazonAttributionDaily.day, to),
        ),
      );
    for (let i = 0; i < values.length; i += 500)
      await tx.insert(amazonAttributionDaily).values(values.slice(i, i + 500));
  });
  const result: AttributionSyncResult = {
    from,
    to,
    pages,
    fetched,
    rows: values.length,
    matchedContent: new Set(values.map((v) => v.contentId).filter(Boolean)).size,
    matchedSteps: new Set(values.map((v) => v.campaignStepId).filter(Boolean)).size,
  };
  await db
    .update(amazonAdsConnections)
    .set({ lastSyncAt: new Date(), lastSyncStatus: "ok", lastSyncSummary: result, lastError: null })
    .where(and(eq(amazonAdsConnections.id, row.id), eq(amazonAdsConnections.workspaceId, p.workspaceId)));
  return result;
}

function targetOf(r: DailyRow, own: { content: Set<string>; steps: Set<string> }) {
  // The ad group carries the content item or step; a creative-level row also names its ad group.
  for (const id of [r.adGroupId, r.creativeId, r.campaignId]) {
    const parsed = parseAttributionId(id);
    if (parsed && "contentId" in parsed && own.content.has(parsed.contentId))
      return { contentId: parsed.contentId, campaignStepId: null };
    if (parsed && "campaignStepId" in parsed && own.steps.has(parsed.campaignStepId))
      return { contentId: null, campaignStepId: parsed.campaignStepId };
  }
  return { contentId: null, campaignStepId: null };
}

/** Which reported content items and steps are this workspace's (an id from elsewhere links nothing). */
async function ownTargets(db: Db, workspaceId: string, rows: DailyRow[]) {
  const contentIds = new Set<string>();
  const stepIds = new Set<string>();
  for (const r of rows)
    for (const id of [r.adGroupId, r.creativeId, r.campaignId]) {
      const parsed = parseAttributionId(id);
      if (parsed && "contentId" in parsed) contentIds.add(parsed.contentId);
      if (parsed && "campaignStepId" in parsed) stepIds.add(parsed.campaignStepId);
    }
  const [c, s] = await Promise.all([
    contentIds.size
      ? db
          .select({ id: content.id })
          .from(content)
          .where(and(eq(content.workspaceId, workspaceId), inArray(content.id, [...contentIds])))
      : [],
    stepIds.size
      ? db
          .select({ id: campaignSteps.id })
          .from(campaignSteps)
          .where(and(eq(campaignSteps.workspaceId, workspaceId), inArray(campaignSteps.id, [...stepIds])))
      : [],
  ]);
  return { content: new Set(c.map((x) => x.id)), steps: new Set(s.map((x) => x.id)) };
}

/** Creates the job run for a sync; refuses a second one while one is queued or running. */
export async function createAttributionSyncRun(db: Db, workspaceId: string, createdBy: string | null) {
  const running = await countUnfinishedRuns(db, workspaceId, AMAZON_ATTRIBUTION_SYNC_KIND, 30 * 60_000);
  if (running > 0) throw new ConflictError("An Amazon Attribution sync is already running");
  return createJobRun(db, { workspaceId, kind: AMAZON_ATTRIBUTION_SYNC_KIND, input: {}, createdBy });
}

async function queueAttributionSync(db: Db, workspaceId: string, createdBy: string | null) {
  const run = await createAttributionSyncRun(db, workspaceId, createdBy);
  await enqueueAmazonAttributionSync({ jobRunId: run.id, workspaceId });
  return run.id;
}

/** "Sync now": Amazon Ads must be set up and no sync of the workspace running. */
export async function startAttributionSync(ctx: WorkspaceServiceContext): Promise<{ jobRunId: string }> {
  await readyAmazonAdsConnection(ctx.db, ctx.workspaceId);
  return { jobRunId: await queueAttributionSync(ctx.db, ctx.workspaceId, ctx.actor.userId) };
}

/** The job's work: claim the run, sync, record the outcome on the run. */
export function runAttributionSyncJob(db: Db, p: { jobRunId: string; workspaceId: string; log: Logger }) {
  return runSyncOnJobRun(
    db,
    {
      ...p,
      kind: AMAZON_ATTRIBUTION_SYNC_KIND,
      percentPerPage: 20,
      failureMessage: "amazon attribution sync failed",
    },
    (onPage) => syncAmazonAttribution(db, { workspaceId: p.workspaceId, onPage }),
  );
}

/** The repeating tick: a run for each workspace with a profile and advertiser chosen. */
export async function startScheduledAttributionSyncs(db: Db) {
  const rows = await db
    .select({ workspaceId: amazonAdsConnections.workspaceId })
    .from(amazonAdsConnections)
    .where(
      and(
        eq(amazonAdsConnections.status, "connected"),
        isNotNull(amazonAdsConnections.profileId),
        isNotNull(amazonAdsConnections.advertiserId),
      ),
    );
  let started = 0;
  for (const { workspaceId } of rows) {
    try {
      await queueAttributionSync(db, workspaceId, null);
      started++;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
  }
  return { started };
}
