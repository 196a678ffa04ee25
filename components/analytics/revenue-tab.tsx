"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { useTRPC } from "@/lib/trpc/client";
import { AttributionSection } from "./attribution-section";
import { DataTable } from "./data-table";
import { fmtDay, fmtInt, fmtMoney } from "./format";
import { SimpleBarChart } from "./lazy-charts";
import { Fresh, Loading, type Out, Section, Stat, vs } from "./tab-parts";
import type { RangeState } from "./use-range";

export function RevenueTab({ range }: { range: RangeState }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const q = useQuery(trpc.analytics.revenue.queryOptions({ workspaceId: ws.id, ...range }));
  if (!q.data) return <Loading error={q.error} />;
  const d = q.data;
  const money = (v: string | number) => fmtMoney(v, d.currency);
  type Row = Out["revenue"]["channels"][number];
  return (
    <div className="grid gap-6" data-testid="tab-revenue">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat
          testId="revenue-total"
          label={`Revenue${d.currency ? ` (${d.currency})` : ""}`}
          value={money(d.totals.revenue)}
          prev={vs(
            Number(d.totals.revenue),
            d.totals.previousRevenue === null ? null : Number(d.totals.previousRevenue),
            money,
          )}
        />
        <Stat
          label="Orders"
          value={fmtInt(d.totals.orders)}
          prev={vs(d.totals.orders, d.totals.previousOrders)}
        />
        <Stat
          label="Average order value"
          value={d.totals.averageOrderValue ? money(d.totals.averageOrderValue) : "—"}
        />
        <Stat
          label="Credited to posts"
          value={money(d.contentAttributed.revenue)}
          hint={`${d.contentAttributed.conversions} credited order${d.contentAttributed.conversions === 1 ? "" : "s"}`}
        />
      </div>
      {d.byCurrency.length > 1 && (
        <p className="text-xs text-muted-foreground">
          Orders in several currencies are never added together:{" "}
          {d.byCurrency.map((c) => `${fmtMoney(c.revenue, c.currency)} (${c.orders} orders)`).join(" · ")}.
        </p>
      )}
      <Section title="Revenue per day" description={<Fresh at={d.freshness.orderAt} what="Last order" />}>
        <SimpleBarChart
          data={d.trend}
          xKey="day"
          xFormatter={fmtDay}
          series={[{ key: "revenue", label: `Revenue${d.currency ? ` (${d.currency})` : ""}` }]}
          label="Revenue per day"
          empty={
            <span>
              No orders in this period.{" "}
              <Link href={`/${ws.slug}/integrations`} className="underline">
                Connect Amazon
              </Link>{" "}
              or record orders through the API.
            </span>
          }
        />
      </Section>
      <Section title="Per channel">
        <DataTable<Row>
          testId="table-revenue-channels"
          caption="Revenue per channel"
          filename={`revenue-channels-${d.range.from}-${d.range.to}.csv`}
          rows={d.channels}
          initialSort={{ sort: "revenue", direction: "desc" }}
          empty="No orders in this period."
          columns={[
            { key: "channel", header: "Channel", value: (r) => r.channel },
            { key: "currency", header: "Currency", value: (r) => r.currency ?? "(pending)" },
            { key: "orders", header: "Orders", value: (r) => r.orders, numeric: true },
            { key: "revenue", header: "Revenue", value: (r) => r.revenue, numeric: true },
            { key: "aov", header: "Avg. order", value: (r) => r.averageOrderValue, numeric: true },
          ]}
        />
      </Section>
      <AttributionSection range={range} />
    </div>
  );
}
