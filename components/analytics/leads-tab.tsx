"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type { ReactNode } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { useTRPC } from "@/lib/trpc/client";
import { type Column, DataTable } from "./data-table";
import { fmtDay, fmtInt } from "./format";
import { SimpleBarChart } from "./lazy-charts";
import { Fresh, Loading, Section, Stat, vs } from "./tab-parts";
import type { RangeState } from "./use-range";

export function LeadsTab({ range }: { range: RangeState }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const g = params.get("granularity");
  const granularity = g === "week" || g === "month" ? g : "day";
  const q = useQuery(trpc.analytics.leads.queryOptions({ workspaceId: ws.id, ...range, granularity }));
  if (!q.data) return <Loading error={q.error} />;
  const d = q.data;
  const emptyLeads = (
    <span>
      No new leads in this period.{" "}
      <Link href={`/${ws.slug}/leads`} className="underline">
        Add leads, import a CSV or publish a signup form
      </Link>
      .
    </span>
  );
  return (
    <div className="grid gap-6" data-testid="tab-leads">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="New leads" value={fmtInt(d.totals.leads)} prev={vs(d.totals.leads, d.totals.previous)} />
        <Stat label="Sources" value={fmtInt(d.bySource.length)} />
        <Stat label="Tags used" value={fmtInt(d.byTag.length)} />
        <Stat label="Last lead" value={<Fresh at={d.freshness.leadAt} what="Arrived" />} />
      </div>
      <Section
        title="Growth"
        description={
          <span className="flex items-center gap-2">
            New leads per
            <Select
              value={granularity}
              onValueChange={(v) => {
                const qs = new URLSearchParams(params.toString());
                qs.set("granularity", v);
                router.replace(`${pathname}?${qs.toString()}`, { scroll: false });
              }}
            >
              <SelectTrigger className="h-7 w-28" aria-label="Group by" data-testid="leads-granularity">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value="day">day</SelectItem>
                <SelectItem value="week">week</SelectItem>
                <SelectItem value="month">month</SelectItem>
              </SelectContent>
            </Select>
          </span>
        }
      >
        <SimpleBarChart
          data={d.series}
          xKey="bucket"
          xFormatter={fmtDay}
          series={[{ key: "leads", label: "New leads" }]}
          label={`New leads per ${granularity}`}
          empty={emptyLeads}
        />
      </Section>
      <div className="grid gap-6 lg:grid-cols-2">
        <LeadCountTable
          title="By source"
          testId="table-lead-sources"
          csvName={`leads-by-source-${d.range.from}-${d.range.to}.csv`}
          rows={d.bySource}
          empty={emptyLeads}
          group={{ key: "source", header: "Source", value: (r) => r.source ?? "(none)" }}
        />
        <LeadCountTable
          title="By tag"
          testId="table-lead-tags"
          csvName={`leads-by-tag-${d.range.from}-${d.range.to}.csv`}
          rows={d.byTag}
          empty="No tagged leads in this period."
          group={{ key: "tag", header: "Tag", value: (r) => r.tag }}
        />
      </div>
      <Section title="Status mix" description="Current status of the leads that arrived in the period.">
        <SimpleBarChart
          data={d.statusMix}
          xKey="status"
          layout="vertical"
          height={Math.max(120, d.statusMix.length * 44)}
          series={[{ key: "leads", label: "Leads" }]}
          label="Leads by status"
          empty={emptyLeads}
        />
      </Section>
    </div>
  );
}

/** New leads counted per group (a source, a tag), most first. */
function LeadCountTable<R extends { leads: number }>({
  title,
  testId,
  csvName,
  rows,
  empty,
  group,
}: {
  title: string;
  testId: string;
  csvName: string;
  rows: R[];
  empty: ReactNode;
  group: Column<R>;
}) {
  return (
    <Section title={title}>
      <DataTable
        testId={testId}
        caption={`New leads ${title.toLowerCase()}`}
        filename={csvName}
        rows={rows}
        initialSort={{ sort: "leads", direction: "desc" }}
        empty={empty}
        columns={[group, { key: "leads", header: "Leads", value: (r) => r.leads, numeric: true }]}
      />
    </Section>
  );
}
