"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type { ReactNode } from "react";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import type { AppRouter } from "@/server/api/root";
import { SimpleBarChart, TimeAreaChart } from "./charts";
import { DataTable } from "./data-table";
import { ago, change, fmtDay, fmtInt, fmtMoney, fmtPct } from "./format";
import { RangePicker } from "./range-picker";
import { useAnalyticsLive } from "./use-analytics-live";
import { type RangeState, useRange } from "./use-range";

type Out = inferRouterOutputs<AppRouter>["analytics"];
const TABS = ["content", "email", "leads", "revenue", "funnel"] as const;
type Tab = (typeof TABS)[number];

export function AnalyticsPage() {
  const ws = useWorkspace();
  const { range, setRange } = useRange("30d");
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  useAnalyticsLive(ws.id);
  const t = params.get("tab") as Tab | null;
  const tab: Tab = t && TABS.includes(t) ? t : "content";
  const setTab = (next: string) => {
    const q = new URLSearchParams(params.toString());
    q.set("tab", next);
    router.replace(`${pathname}?${q.toString()}`, { scroll: false });
  };
  return (
    <>
      <PageHeader
        title="Analytics"
        description={`What your content, emails and leads earned — days in ${ws.timeZone}.`}
        actions={<RangePicker value={range} onChange={setRange} />}
      />
      <Tabs value={tab} onValueChange={setTab}>
        <TabsList aria-label="Analytics sections" className="mb-4 flex-wrap">
          <TabsTrigger value="content">Content</TabsTrigger>
          <TabsTrigger value="email">Email</TabsTrigger>
          <TabsTrigger value="leads">Leads</TabsTrigger>
          <TabsTrigger value="revenue">Revenue</TabsTrigger>
          <TabsTrigger value="funnel">Funnel</TabsTrigger>
        </TabsList>
        <TabsContent value="content">{tab === "content" && <ContentTab range={range} />}</TabsContent>
        <TabsContent value="email">{tab === "email" && <EmailTab range={range} />}</TabsContent>
        <TabsContent value="leads">{tab === "leads" && <LeadsTab range={range} />}</TabsContent>
        <TabsContent value="revenue">{tab === "revenue" && <RevenueTab range={range} />}</TabsContent>
        <TabsContent value="funnel">{tab === "funnel" && <FunnelTab range={range} />}</TabsContent>
      </Tabs>
    </>
  );
}

function Loading({ error }: { error: unknown }) {
  if (error)
    return (
      <p role="alert" className="rounded-lg border border-destructive/40 p-3 text-sm text-destructive">
        {errorMessage(error)}
      </p>
    );
  return (
    <div className="grid gap-4">
      <Skeleton className="h-24" />
      <Skeleton className="h-64" />
    </div>
  );
}

function Stat({
  label,
  value,
  prev,
  hint,
  testId,
}: {
  label: string;
  value: ReactNode;
  prev?: string;
  hint?: string;
  testId?: string;
}) {
  return (
    <div className="rounded-lg border p-3" data-testid={testId}>
      <p className="text-xs text-muted-foreground">{label}</p>
      <p className="text-xl font-semibold tabular-nums" data-testid={testId && `${testId}-value`}>
        {value}
      </p>
      {prev && <p className="text-xs text-muted-foreground">{prev}</p>}
      {hint && <p className="text-xs text-muted-foreground">{hint}</p>}
    </div>
  );
}

const vs = (value: number, previous: number | null | undefined, fmt: (n: number) => string = fmtInt) => {
  if (previous === null || previous === undefined) return undefined;
  const c = change(value, previous);
  return `${c === null ? "new" : `${c > 0 ? "+" : ""}${fmtPct(c)}`} vs ${fmt(previous)}`;
};

function Fresh({ at, what }: { at: string | null; what: string }) {
  const a = ago(at);
  return (
    <span className="text-xs text-muted-foreground">
      {a ? `${what} ${a}` : `No ${what.toLowerCase()} yet`}
    </span>
  );
}

function Section({
  title,
  description,
  children,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        {description && <CardDescription>{description}</CardDescription>}
      </CardHeader>
      <CardContent>{children}</CardContent>
    </Card>
  );
}

// ───────── content ─────────
function ContentTab({ range }: { range: RangeState }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const q = useQuery(trpc.analytics.content.queryOptions({ workspaceId: ws.id, ...range }));
  if (!q.data) return <Loading error={q.error} />;
  const d = q.data;
  type Item = Out["content"]["items"][number];
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
          series={d.platformNames.map((p) => ({ key: p, label: p }))}
          empty="No views in this period. Connect TikTok under Integrations and publish: each metrics sync adds a snapshot here."
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
          columns={[
            { key: "platform", header: "Platform", value: (r) => r.platform },
            {
              key: "views",
              header: "Views",
              value: (r) => r.views,
              numeric: true,
              render: (r) => fmtInt(r.views),
            },
            { key: "likes", header: "Likes", value: (r) => r.likes, numeric: true },
            { key: "shares", header: "Shares", value: (r) => r.shares, numeric: true },
            { key: "saves", header: "Saves", value: (r) => r.saves, numeric: true },
            { key: "clicks", header: "Clicks", value: (r) => r.clicks, numeric: true },
            { key: "conversions", header: "Conversions", value: (r) => r.conversions, numeric: true },
            { key: "revenue", header: "Revenue", value: (r) => r.revenue, numeric: true },
            {
              key: "engagement",
              header: "Engagement",
              value: (r) => r.engagementRate,
              numeric: true,
              render: (r) => fmtPct(r.engagementRate),
            },
          ]}
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
            {
              key: "title",
              header: "Title",
              value: (r) => r.title,
              render: (r) => (
                <Link href={`/${ws.slug}/content/${r.id}`} className="hover:underline">
                  {r.title}
                </Link>
              ),
            },
            { key: "platform", header: "Platform", value: (r) => r.platform },
            {
              key: "views",
              header: "Views",
              value: (r) => r.views,
              numeric: true,
              render: (r) => fmtInt(r.views),
            },
            { key: "likes", header: "Likes", value: (r) => r.likes, numeric: true },
            { key: "shares", header: "Shares", value: (r) => r.shares, numeric: true },
            { key: "saves", header: "Saves", value: (r) => r.saves, numeric: true },
            { key: "clicks", header: "Clicks", value: (r) => r.clicks, numeric: true },
            { key: "conversions", header: "Conv.", value: (r) => r.conversions, numeric: true },
            { key: "revenue", header: "Revenue", value: (r) => r.revenue, numeric: true },
            {
              key: "engagement",
              header: "Engagement",
              value: (r) => r.engagementRate,
              numeric: true,
              render: (r) => fmtPct(r.engagementRate),
            },
          ]}
        />
      </Section>
    </div>
  );
}

// ───────── email ─────────
function EmailTab({ range }: { range: RangeState }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const q = useQuery(trpc.analytics.email.queryOptions({ workspaceId: ws.id, ...range }));
  if (!q.data) return <Loading error={q.error} />;
  const d = q.data;
  const t = d.totals;
  const p = d.previous;
  type Row = Out["email"]["campaigns"][number];
  return (
    <div className="grid gap-6" data-testid="tab-email">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4 lg:grid-cols-7">
        <Stat label="Sent" value={fmtInt(t.sent)} prev={vs(t.sent, p?.sent)} />
        <Stat label="Delivered" value={fmtInt(t.delivered)} />
        <Stat
          label="Unique opens (human)"
          value={fmtInt(t.uniqueOpens)}
          hint={`open rate ${fmtPct(t.openRate)}`}
        />
        <Stat
          label="Unique clicks"
          value={fmtInt(t.uniqueClicks)}
          hint={`click rate ${fmtPct(t.clickRate)}`}
        />
        <Stat label="Unsubscribes" value={fmtInt(t.unsubscribes)} />
        <Stat label="Bounces" value={fmtInt(t.bounces)} />
        <Stat label="Complaints" value={fmtInt(t.complaints)} hint={`rate ${fmtPct(t.complaintRate)}`} />
      </div>
      <p className="text-xs text-muted-foreground">
        A unique open or click is a recipient's first human one of a campaign (image proxies and link scanners
        are not counted); it is counted on the day it happened, so a recipient who first opened before this
        period is not counted again. Rates divide by emails sent in the period.{" "}
        <Fresh at={d.freshness.emailEventAt} what="Last email event" />
      </p>
      <Section title="Over time">
        <TimeAreaChart
          data={d.trend}
          label="Emails sent, unique opens and unique clicks per day"
          series={[
            { key: "sent", label: "Sent" },
            { key: "uniqueOpens", label: "Unique opens" },
            { key: "uniqueClicks", label: "Unique clicks" },
          ]}
          empty={
            <span>
              No email activity in this period.{" "}
              <Link href={`/${ws.slug}/email`} className="underline">
                Send a campaign
              </Link>{" "}
              to see it here.
            </span>
          }
        />
      </Section>
      <Section title="Per campaign">
        <DataTable<Row>
          testId="table-campaigns"
          caption="Email campaigns"
          filename={`email-campaigns-${d.range.from}-${d.range.to}.csv`}
          rows={d.campaigns}
          initialSort={{ sort: "sent", direction: "desc" }}
          empty="No campaign sent or had activity in this period."
          columns={[
            {
              key: "name",
              header: "Campaign",
              value: (r) => r.name,
              render: (r) => (
                <Link href={`/${ws.slug}/email/${r.id}`} className="hover:underline">
                  {r.name}
                </Link>
              ),
            },
            { key: "sent", header: "Sent", value: (r) => r.sent, numeric: true },
            { key: "delivered", header: "Delivered", value: (r) => r.delivered, numeric: true },
            { key: "uniqueOpens", header: "Unique opens", value: (r) => r.uniqueOpens, numeric: true },
            {
              key: "openRate",
              header: "Open rate",
              value: (r) => r.openRate,
              numeric: true,
              render: (r) => fmtPct(r.openRate),
            },
            { key: "uniqueClicks", header: "Unique clicks", value: (r) => r.uniqueClicks, numeric: true },
            {
              key: "clickRate",
              header: "Click rate",
              value: (r) => r.clickRate,
              numeric: true,
              render: (r) => fmtPct(r.clickRate),
            },
            { key: "unsubscribes", header: "Unsubs", value: (r) => r.unsubscribes, numeric: true },
            { key: "bounces", header: "Bounces", value: (r) => r.bounces, numeric: true },
            {
              key: "complaintRate",
              header: "Complaint rate",
              value: (r) => r.complaintRate,
              numeric: true,
              render: (r) => fmtPct(r.complaintRate),
            },
          ]}
        />
      </Section>
    </div>
  );
}

// ───────── leads ─────────
function LeadsTab({ range }: { range: RangeState }) {
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
        <Section title="By source">
          <DataTable
            testId="table-lead-sources"
            caption="New leads by source"
            filename={`leads-by-source-${d.range.from}-${d.range.to}.csv`}
            rows={d.bySource}
            initialSort={{ sort: "leads", direction: "desc" }}
            empty={emptyLeads}
            columns={[
              { key: "source", header: "Source", value: (r) => r.source ?? "(none)" },
              { key: "leads", header: "Leads", value: (r) => r.leads, numeric: true },
            ]}
          />
        </Section>
        <Section title="By tag">
          <DataTable
            testId="table-lead-tags"
            caption="New leads by tag"
            filename={`leads-by-tag-${d.range.from}-${d.range.to}.csv`}
            rows={d.byTag}
            initialSort={{ sort: "leads", direction: "desc" }}
            empty="No tagged leads in this period."
            columns={[
              { key: "tag", header: "Tag", value: (r) => r.tag },
              { key: "leads", header: "Leads", value: (r) => r.leads, numeric: true },
            ]}
          />
        </Section>
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

// ───────── revenue ─────────
function RevenueTab({ range }: { range: RangeState }) {
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
          label="Recorded on content"
          value={d.contentAttributed.revenue}
          hint={`${fmtInt(d.contentAttributed.conversions)} conversions`}
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
    </div>
  );
}

// ───────── funnel ─────────
function FunnelTab({ range }: { range: RangeState }) {
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
            { key: "channel", header: "Channel", value: (r) => r.channel },
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
