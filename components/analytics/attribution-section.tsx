"use client";

import { useQuery } from "@tanstack/react-query";
import { ArrowRight } from "lucide-react";
import Link from "next/link";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { useTRPC } from "@/lib/trpc/client";
import { type Column, DataTable, linkColumn, rateColumn } from "./data-table";
import { fmtInt, fmtMoney, fmtPct, formatDecimal } from "./format";
import { Loading, type Out, Section, Stat } from "./tab-parts";
import type { RangeState } from "./use-range";

type A = Out["attribution"];
type Post = A["posts"][number];
type Platform = A["platforms"][number];
type CampaignRow = {
  key: string;
  id: string;
  name: string;
  step: string;
  clicks: number | null;
  orders: number;
  revenue: string;
  conversionRate: number | null;
};

/** The Orders and Revenue columns every credited table has (orders may be shares: see fmtOrders). */
function creditColumns<T extends { orders: number; revenue: string }>(
  money: (v: string | number) => string,
): Column<T>[] {
  return [
    {
      key: "orders",
      header: "Orders",
      value: (r) => r.orders,
      numeric: true,
      render: (r) => fmtOrders(r.orders),
    },
    {
      key: "revenue",
      header: "Revenue",
      value: (r) => r.revenue,
      numeric: true,
      render: (r) => money(r.revenue),
    },
  ];
}

/** Orders under the linear model are shared between touches: show their decimals, else whole numbers. */
const fmtOrders = (n: number) => (Number.isInteger(n) ? fmtInt(n) : formatDecimal(n, 2, 2));
const orders = (n: number) => `${fmtOrders(n)} order${n === 1 ? "" : "s"}`;

/**
 * What the marketing earned in the period: orders credited to posts (their tracked links), emails
 * and sign-ups, per post, per platform, per campaign and step, with the funnel from views to orders
 * and the revenue nothing is credited with (Settings → Attribution says how).
 */
export function AttributionSection({ range }: { range: RangeState }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const q = useQuery(trpc.analytics.attribution.queryOptions({ workspaceId: ws.id, ...range }));
  if (!q.data) return <Loading error={q.error} />;
  const d = q.data;
  const money = (v: string | number) => fmtMoney(v, d.currency);
  const share =
    Number(d.totals.revenue) > 0 ? Number(d.totals.credited.revenue) / Number(d.totals.revenue) : null;
  const campaignRows: CampaignRow[] = d.campaigns.flatMap((c) => [
    {
      key: c.id,
      id: c.id,
      name: c.name,
      step: "All steps",
      clicks: c.clicks,
      orders: c.orders,
      revenue: c.revenue,
      conversionRate: c.conversionRate,
    },
    ...c.steps.map((s) => ({
      key: s.id,
      id: c.id,
      name: c.name,
      step: `Step ${s.position + 1}: ${s.subject}`,
      clicks: null,
      orders: s.orders,
      revenue: s.revenue,
      conversionRate: null,
    })),
  ]);
  const steps = [
    { label: "Views", value: d.funnel.views },
    {
      label: "Clicks",
      value: d.funnel.clicks,
      hint: `${fmtInt(d.funnel.linkClicks)} on links · ${fmtInt(d.funnel.emailClicks)} in emails`,
    },
    { label: "New leads", value: d.funnel.leads },
    { label: "Credited orders", value: d.funnel.orders },
  ];

  return (
    <div className="grid gap-6" data-testid="attribution">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat
          testId="attribution-credited"
          label="Credited to marketing"
          value={money(d.totals.credited.revenue)}
          hint={`${fmtPct(share)} of revenue · ${orders(d.totals.credited.orders)}`}
        />
        <Stat
          testId="attribution-unattributed"
          label="Unattributed"
          value={money(d.totals.unattributed.revenue)}
          hint={`${orders(d.totals.unattributed.orders)} with no known click or buyer`}
        />
        <Stat
          label="Clicks to orders"
          value={fmtPct(d.funnel.clicks > 0 ? d.funnel.orders / d.funnel.clicks : null)}
          hint="credited orders per click"
        />
        <Stat
          label="Revenue per click"
          value={d.funnel.clicks > 0 ? money(Number(d.funnel.revenue) / d.funnel.clicks) : "—"}
          hint={`${fmtInt(d.funnel.clicks)} click${d.funnel.clicks === 1 ? "" : "s"}`}
        />
      </div>

      {d.amazon && (
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="attribution-amazon">
          <Stat
            label="Amazon sales from your links"
            value={fmtMoney(d.amazon.sales, d.amazon.currency)}
            hint="Amazon Attribution reports (14-day clicks), shown beside your own orders"
          />
          <Stat label="Amazon purchases" value={fmtInt(d.amazon.purchases)} />
          <Stat label="Amazon detail-page views" value={fmtInt(d.amazon.detailPageViews)} />
          <Stat label="Reports synced" value={new Date(d.amazon.lastSyncAt).toLocaleDateString()} />
        </div>
      )}

      <Section
        title="From views to orders"
        description={
          <>
            People's clicks on tracked links and in emails, new leads, and the orders credited to them.{" "}
            <Link href={`/${ws.slug}/settings/attribution`} className="underline">
              How orders are credited
            </Link>
          </>
        }
      >
        <ol className="grid gap-2 sm:grid-cols-4" aria-label="Funnel" data-testid="attribution-funnel">
          {steps.map((s, i) => (
            <li key={s.label} className="flex items-center gap-2">
              <div className="flex-1 rounded-lg border p-3">
                <p className="text-muted-foreground text-xs">{s.label}</p>
                <p className="font-semibold text-xl tabular-nums">
                  {i === 3 ? fmtOrders(s.value) : fmtInt(s.value)}
                </p>
                {s.hint && <p className="text-muted-foreground text-xs">{s.hint}</p>}
              </div>
              {i < steps.length - 1 && (
                <ArrowRight className="hidden size-4 shrink-0 text-muted-foreground sm:block" aria-hidden />
              )}
            </li>
          ))}
        </ol>
      </Section>

      <Section
        title="Revenue per post"
        description="Orders credited to each post's tracked links and the sign-ups they brought."
      >
        <DataTable<Post>
          testId="table-attribution-posts"
          caption="Revenue per post"
          filename={`revenue-per-post-${d.range.from}-${d.range.to}.csv`}
          rows={d.posts}
          initialSort={{ sort: "revenue", direction: "desc" }}
          empty="No post had views or credited orders in this period."
          columns={[
            linkColumn<Post>(
              "title",
              "Post",
              (r) => r.title,
              (r) => `/${ws.slug}/content/${r.id}`,
            ),
            { key: "platform", header: "Platform", value: (r) => r.platform },
            { key: "views", header: "Views", value: (r) => r.views, numeric: true },
            { key: "clicks", header: "Link clicks", value: (r) => r.clicks, numeric: true },
            ...creditColumns(money),
            rateColumn<Post>("conversionRate", "Conversion", (r) => r.conversionRate),
            ...(d.amazon
              ? [
                  {
                    key: "amazonSales",
                    header: "Amazon sales",
                    value: (r: Post) => r.amazon?.sales ?? null,
                    numeric: true,
                    render: (r: Post) => (r.amazon ? fmtMoney(r.amazon.sales, d.amazon!.currency) : "—"),
                  },
                  {
                    key: "amazonPurchases",
                    header: "Amazon purchases",
                    value: (r: Post) => r.amazon?.purchases ?? null,
                    numeric: true,
                  },
                ]
              : []),
          ]}
        />
      </Section>

      <div className="grid gap-6 lg:grid-cols-[1fr_2fr]">
        <Section title="Per platform">
          <DataTable<Platform>
            testId="table-attribution-platforms"
            caption="Credited revenue per platform"
            filename={`revenue-per-platform-${d.range.from}-${d.range.to}.csv`}
            rows={d.platforms}
            initialSort={{ sort: "revenue", direction: "desc" }}
            empty="No orders credited to posts."
            columns={[
              { key: "platform", header: "Platform", value: (r) => r.platform },
              ...creditColumns(money),
            ]}
          />
        </Section>
        <Section title="Per campaign and step">
          <DataTable<CampaignRow>
            testId="table-attribution-campaigns"
            caption="Credited revenue per email campaign and step"
            filename={`revenue-per-campaign-${d.range.from}-${d.range.to}.csv`}
            rows={campaignRows}
            empty="No orders credited to emails."
            columns={[
              linkColumn<CampaignRow>(
                "name",
                "Campaign",
                (r) => r.name,
                (r) => `/${ws.slug}/email/${r.id}`,
              ),
              { key: "step", header: "Step", value: (r) => r.step },
              { key: "clicks", header: "Clicks", value: (r) => r.clicks, numeric: true },
              ...creditColumns(money),
              rateColumn<CampaignRow>("conversionRate", "Conversion", (r) => r.conversionRate),
            ]}
          />
        </Section>
      </div>
    </div>
  );
}
