import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { rowsOf } from "@/server/db/raw-rows";
import { getAmazonAdsRow } from "./connection";

/**
 * Amazon Attribution figures for a period, exactly as synced (docs/AMAZON-ATTRIBUTION.md §5): the
 * advertiser's totals (PERFORMANCE by campaign, every publisher), what our tagged links brought
 * (ad-group rows whose identifiers are ours), per content item and per campaign step, and the
 * products bought. Sales are decimal strings summed in the database — never a float.
 */

export interface AttributionFigures {
  clickThroughs: number;
  detailPageViews: number;
  addToCarts: number;
  purchases: number;
  unitsSold: number;
  sales: string;
}

const FIGURES = sql`
  coalesce(sum(d.click_throughs), 0)::int as click_throughs,
  coalesce(sum(d.detail_page_views), 0)::int as detail_page_views,
  coalesce(sum(d.add_to_carts), 0)::int as add_to_carts,
  coalesce(sum(d.purchases), 0)::int as purchases,
  coalesce(sum(d.units_sold), 0)::int as units_sold,
  coalesce(sum(d.sales), 0)::numeric(14,2)::text as sales`;

function figures(r: Record<string, unknown>): AttributionFigures {
  return {
    clickThroughs: Number(r.click_throughs ?? 0),
    detailPageViews: Number(r.detail_page_views ?? 0),
    addToCarts: Number(r.add_to_carts ?? 0),
    purchases: Number(r.purchases ?? 0),
    unitsSold: Number(r.units_sold ?? 0),
    sales: String(r.sales ?? "0.00"),
  };
}

export async function amazonAttributionSummary(db: Db, workspaceId: string, p: { from: string; to: string }) {
  const within = sql`d.workspace_id = ${workspaceId} and d.day between ${p.from}::date and ${p.to}::date`;
  const [conn, totals, ours, byContent, bySteps, products, currencies] = await Promise.all([
    getAmazonAdsRow(db, workspaceId),
    db.execute(sql`select ${FIGURES} from amazon_attribution_daily d
      where ${within} and d.report_type = 'PERFORMANCE' and d.group_level = 'CAMPAIGN'`),
    db.execute(sql`select ${FIGURES} from amazon_attribution_daily d
      where ${within} and d.report_type = 'PERFORMANCE' and d.group_level = 'ADGROUP'
        and (d.content_id is not null or d.campaign_step_id is not null or d.ad_group_id like 'l-%')`),
    db.execute(sql`select d.content_id, c.title, c.type, ${FIGURES}
      from amazon_attribution_daily d
      join content c on c.id = d.content_id and c.workspace_id = d.workspace_id
      where ${within} and d.report_type = 'PERFORMANCE' and d.group_level = 'ADGROUP'
      group by d.content_id, c.title, c.type
      order by sum(d.sales) desc, sum(d.click_throughs) desc, c.title
      limit 100`),
    db.execute(sql`select d.campaign_step_id, s.position, e.id as campaign_id, e.name as campaign_name, ${FIGURES}
      from amazon_attribution_daily d
      join campaign_steps s on s.id = d.campaign_step_id and s.workspace_id = d.workspace_id
      join email_campaigns e on e.id = s.campaign_id and e.workspace_id = d.workspace_id
      where ${within} and d.report_type = 'PERFORMANCE' and d.group_level = 'ADGROUP'
      group by d.campaign_step_id, s.position, e.id, e.name
      order by sum(d.sales) desc, e.name, s.position
      limit 100`),
    db.execute(sql`select d.product_asin, max(d.product_name) as product_name, ${FIGURES}
      from amazon_attribution_daily d
      where ${within} and d.report_type = 'PRODUCTS'
      group by d.product_asin
      order by sum(d.sales) desc, d.product_asin
      limit 50`),
    db.execute(sql`select distinct d.currency from amazon_attribution_daily d
      where ${within} and d.currency is not null`),
  ]);
  const currencyList = rowsOf<{ currency: string }>(currencies).map((r) => r.currency);
  return {
    from: p.from,
    to: p.to,
    currency: currencyList.length === 1 ? currencyList[0]! : (conn?.currency ?? currencyList[0] ?? null),
    lastSyncAt: conn?.lastSyncAt ?? null,
    totals: figures(rowsOf<Record<string, unknown>>(totals)[0] ?? {}),
    organic: figures(rowsOf<Record<string, unknown>>(ours)[0] ?? {}),
    byContent: rowsOf<Record<string, unknown>>(byContent).map((r) => ({
      contentId: String(r.content_id),
      title: String(r.title),
      type: String(r.type),
      ...figures(r),
    })),
    byCampaignStep: rowsOf<Record<string, unknown>>(bySteps).map((r) => ({
      campaignStepId: String(r.campaign_step_id),
      position: Number(r.position),
      campaignId: String(r.campaign_id),
      campaignName: String(r.campaign_name),
      ...figures(r),
    })),
    products: rowsOf<Record<string, unknown>>(products).map((r) => ({
      asin: String(r.product_asin),
      name: (r.product_name as string | null) ?? null,
      ...figures(r),
    })),
  };
}
