"use client";

import { useQuery } from "@tanstack/react-query";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { platformLabel } from "@/lib/content-labels";
import { useTRPC } from "@/lib/trpc/client";
import { type Column, DataTable, linkColumn, rateColumn } from "./data-table";
import { fmtInt } from "./format";
import { TimeAreaChart } from "./lazy-charts";
import { Fresh, Loading, type Out, Section, Stat, vs } from "./tab-parts";
import type { RangeState } from "./use-range";

type Item = Out["content"]["items"][number];
type Platform = Out["content"]["platforms"][number];

/** The figures both tables show for a platform or an item, from platform to engagement. */
function metricColumns<R extends Item | Platform>(conversionsHeader: string): Column<R>[] {
  return [
    { key: "platform", header: "Platform", value: (r) => platformLabel(r.platform) },
    { key: "views", header: "Views", value: (r) => r.views, numeric: true, render: (r) => fmtInt(r.views) },
    { key: "likes", header: "Likes", value: (r) => r.likes, numeric: true },
    { key: "shares", header: "Shares", value: (r) => r.shares, numeric: true },
    { key: "saves", header: "Saves", value: (r) => r.saves, numeric: true },
    { key: "clicks", header: "Clicks", value: (r) => r.clicks, numeric: true },
    { key: "conversions", header: conversionsHeader, value: (r) => r.conversions, numeric: true },
    { key: "revenue", header: "Revenue", value: (r) => r.revenue, numeric: true },
    rateColumn<R>("engagement", "Engagement", (r) => r.engagementRate),
  ];
}

export function ContentTab({ range }: { range: RangeState }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const q = useQuery(trpc.analytics.content.queryOptions({ workspaceId: ws.id, ...range }));
  if (!q.data) return <Loading error={q.error} />;
  const d = q.data;
  const totalViews = d.platforms.reduce((a, p) => a + p.views, 0);
  const prevViews = d.range.compare ? d.platforms.reduce((a, p) => a + (p.previousViews ?? 0), 0) : null;
  return (
    <div className="grid gap-6" data-testid="tab-content">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="Views" value={fmtInt(totalViews)} prev={vs(totalViews, prevViews)} />
        <Stat label="Published" value={fmtInt(d.platforms.reduce((a, p) => a + (p.published ?? 0), 0))} />
        <Stat label="Conversions" value={fmtInt(d.platforms.reduce((a, p) => a + p.conversions, 0))} />
        <Stat
          label="Revenue on content"
          value={d.platforms.reduce((a, p) => a + Number(p.revenue), 0).toFixed(2)}
          hint="as recorded on content metrics"
        />
      </div>
      <Section
        title="Views per day by platform"
        description={<Fresh at={d.freshness.contentSyncedAt} what="Content synced" />}
      >
        <TimeAreaChart
          data={d.trend as { day: string }[]}
          label="Views per day by platform"
          series={d.platformNames.map((p) => ({ key: p, label: platformLabel(p) }))}
          empty="No views in this period. Connect TikTok, YouTube or Instagram under Integrations and publish: each metrics sync adds a snapshot here."
        />
      </Section>
      <Section title="By platform">
        <DataTable
          testId="table-platforms"
          caption="Content by platform"
          filename={`content-platforms-${d.range.from}-${d.range.to}.csv`}
          rows={d.platforms}
          initialSort={{ sort: "views", direction: "desc" }}
          empty="No content figures in this period."
          columns={[...metricColumns<Platform>("Conversions")]}
        />
      </Section>
      <Section title="By item" description="The 200 items with the most views in the period.">
        <DataTable<Item>
          testId="table-content-items"
          caption="Content items"
          filename={`content-items-${d.range.from}-${d.range.to}.csv`}
          rows={d.items}
          initialSort={{ sort: "views", direction: "desc" }}
          empty="No item gained views in this period."
          columns={[
            linkColumn<Item>(
              "title",
              "Title",
              (r) => r.title,
              (r) => `/${ws.slug}/content/${r.id}`,
            ),
            ...metricColumns<Item>("Conv."),
          ]}
        />
      </Section>
    </div>
  );
}
