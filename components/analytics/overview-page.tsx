"use client";

import { useQuery } from "@tanstack/react-query";
import { CalendarClock } from "lucide-react";
import Link from "next/link";
import { ActivityFeed } from "@/components/dashboard/activity-feed";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { OnboardingChecklist } from "@/components/onboarding/onboarding-checklist";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";
import { ago, fmtInt, fmtMoney } from "./format";
import { TimeAreaChart } from "./lazy-charts";
import { KpiCardRevenue, MetricCards, PlatformViews, TopList } from "./overview-cards";
import { RangePicker } from "./range-picker";
import { useAnalyticsLive } from "./use-analytics-live";
import { useRange } from "./use-range";

export function OverviewPage({ userName }: { userName: string | null }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const { range, setRange } = useRange("30d");
  useAnalyticsLive(ws.id);
  const q = useQuery(trpc.analytics.overview.queryOptions({ workspaceId: ws.id, ...range }));
  const d = q.data;
  const synced = (iso: string | null | undefined, what: string) => {
    const a = ago(iso);
    return a ? `${what} ${a}` : `${what}: nothing yet`;
  };
  const rolled = d ? `updated ${ago(d.freshness.rolledUpAt) ?? "—"}` : "";
  return (
    <>
      <PageHeader
        title="Overview"
        description={`Welcome${userName ? `, ${userName}` : ""}. What ${ws.name} earned in the period, in ${ws.timeZone} days.`}
        actions={<RangePicker value={range} onChange={setRange} />}
      />
      <OnboardingChecklist />
      {q.isError && (
        <p role="alert" className="mb-4 rounded-lg border border-destructive/40 p-3 text-sm text-destructive">
          {errorMessage(q.error)}
        </p>
      )}
      <section aria-label="Key figures" className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {!d ? (
          Array.from({ length: 8 }, (_, i) => <Skeleton key={i} className="h-36" />)
        ) : (
          <>
            <KpiCardRevenue d={d} synced={synced(d.freshness.orderAt, "Last order")} />
            <MetricCards d={d} synced={synced} rolled={rolled} />
            <Card className="gap-2 py-4">
              <CardHeader className="px-4">
                <CardDescription className="flex items-center gap-2">
                  <CalendarClock className="size-4" aria-hidden /> Period
                </CardDescription>
              </CardHeader>
              <CardContent className="grid gap-1 px-4 text-sm">
                <p className="font-medium tabular-nums">
                  {d.range.from} → {d.range.to}
                </p>
                <p className="text-xs text-muted-foreground">
                  {d.range.days} day{d.range.days === 1 ? "" : "s"}
                  {d.range.compare
                    ? ` · compared with ${d.range.previous.from} → ${d.range.previous.to}`
                    : ""}
                </p>
                <Link href={`/${ws.slug}/analytics`} className="text-xs underline-offset-4 hover:underline">
                  Open analytics
                </Link>
              </CardContent>
            </Card>
          </>
        )}
      </section>
      {d && <PlatformViews d={d} />}

      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>Performance over time</CardTitle>
            <CardDescription>Views and new leads per day.</CardDescription>
          </CardHeader>
          <CardContent>
            {d ? (
              <TimeAreaChart
                data={d.series}
                label="Views and new leads per day"
                series={[
                  { key: "views", label: "Views" },
                  { key: "leads", label: "New leads" },
                ]}
                empty={
                  <span>
                    Nothing in this period yet. Publish content, add a signup form or{" "}
                    <Link href={`/${ws.slug}/integrations`} className="underline">
                      connect TikTok, YouTube, Instagram or Amazon
                    </Link>{" "}
                    — figures appear within a minute of new data.
                  </span>
                }
              />
            ) : (
              <Skeleton className="h-64" />
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Recent activity</CardTitle>
            <CardDescription>
              <Link href={`/${ws.slug}/settings/activity`} className="underline-offset-4 hover:underline">
                See all activity
              </Link>
            </CardDescription>
          </CardHeader>
          <CardContent>
            {d ? <ActivityFeed items={d.activity} timeZone={ws.timeZone} /> : <Skeleton className="h-40" />}
          </CardContent>
        </Card>
      </div>

      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <TopList
          title="Top content by views"
          testId="top-views"
          rows={d?.topByViews}
          figure={(t) => fmtInt(t.views)}
          slug={ws.slug}
          empty="No views in this period. Views arrive with each TikTok, YouTube and Instagram metrics sync."
        />
        <TopList
          title="Top content by revenue"
          testId="top-revenue"
          rows={d?.topByRevenue}
          figure={(t) => fmtMoney(t.revenue, d?.kpis.revenue.currency)}
          slug={ws.slug}
          empty="No revenue recorded on content in this period."
        />
        <Card>
          <CardHeader>
            <CardTitle>Coming up</CardTitle>
            <CardDescription>Scheduled content, soonest first.</CardDescription>
          </CardHeader>
          <CardContent>
            {!d ? (
              <Skeleton className="h-32" />
            ) : d.upcoming.length === 0 ? (
              <p className="text-sm text-muted-foreground">
                Nothing scheduled.{" "}
                <Link href={`/${ws.slug}/content`} className="underline">
                  Schedule a post
                </Link>
                .
              </p>
            ) : (
              <ol className="grid gap-2 text-sm" data-testid="upcoming">
                {d.upcoming.map((u) => (
                  <li key={u.id}>
                    <Link href={`/${ws.slug}/content/${u.id}`} className="font-medium hover:underline">
                      {u.title}
                    </Link>
                    <p className="text-xs text-muted-foreground">
                      {u.type} · {formatDateTime(u.scheduledAt, ws.timeZone)}
                    </p>
                  </li>
                ))}
              </ol>
            )}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
