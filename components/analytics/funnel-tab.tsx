"use client";

import { useQuery } from "@tanstack/react-query";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { platformLabel } from "@/lib/content-labels";
import { useTRPC } from "@/lib/trpc/client";
import { DataTable } from "./data-table";
import { fmtInt, fmtMoney, fmtPct } from "./format";
import { Loading, type Out, Section } from "./tab-parts";
import type { RangeState } from "./use-range";

export function FunnelTab({ range }: { range: RangeState }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const q = useQuery(trpc.analytics.funnel.queryOptions({ workspaceId: ws.id, ...range }));
  if (!q.data) return <Loading error={q.error} />;
  const d = q.data;
  type Row = Out["funnel"]["channels"][number];
  return (
    <div className="grid gap-6" data-testid="tab-funnel">
      <Section
        title="Funnel"
        description="Views → clicks → leads → customers in the period. A channel is a platform, lead source or order channel with the same name."
      >
        <ol className="grid gap-2 sm:grid-cols-5" aria-label="Funnel steps">
          {d.steps.map((s, i) => {
            const prev = i > 0 ? d.steps[i - 1]!.value : null;
            return (
              <li key={s.step} className="rounded-lg border p-3">
                <p className="text-xs text-muted-foreground">{s.step}</p>
                <p className="text-xl font-semibold tabular-nums">{fmtInt(s.value)}</p>
                {prev !== null && (
                  <p className="text-xs text-muted-foreground">
                    {prev > 0 ? `${fmtPct(s.value / prev)} of previous step` : "—"}
                  </p>
                )}
              </li>
            );
          })}
          <li className="rounded-lg border p-3">
            <p className="text-xs text-muted-foreground">Revenue</p>
            <p className="text-xl font-semibold tabular-nums">{fmtMoney(d.total.revenue, d.currency)}</p>
          </li>
        </ol>
      </Section>
      <Section title="By channel">
        <DataTable<Row>
          testId="table-funnel"
          caption="Funnel by channel"
          filename={`funnel-${d.range.from}-${d.range.to}.csv`}
          rows={d.channels}
          initialSort={{ sort: "views", direction: "desc" }}
          empty="Nothing happened in this period yet: publish content, collect leads or connect a store."
          columns={[
            { key: "channel", header: "Channel", value: (r) => platformLabel(r.channel) },
            { key: "views", header: "Views", value: (r) => r.views, numeric: true },
            { key: "clicks", header: "Clicks", value: (r) => r.clicks, numeric: true },
            { key: "leads", header: "Leads", value: (r) => r.leads, numeric: true },
            { key: "customers", header: "Customers", value: (r) => r.customers, numeric: true },
            { key: "revenue", header: "Revenue", value: (r) => r.revenue, numeric: true },
          ]}
        />
      </Section>
    </div>
  );
}
