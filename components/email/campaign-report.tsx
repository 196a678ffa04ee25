"use client";

import { useQuery } from "@tanstack/react-query";
import { ArrowLeft, BarChart3 } from "lucide-react";
import Link from "next/link";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { TableHeadRow } from "@/components/ui/data-table-parts";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableRow } from "@/components/ui/table";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import type { CampaignReport as Report, TimeBucket } from "@/server/services/email/reports";
import { AbTestReportCard } from "./campaign-ab-report";
import { CampaignExitsCard } from "./campaign-exits-card";
import { percent, TYPE_LABEL } from "./campaign-meta";

function Kpi({ label, value, sub, testId }: { label: string; value: string; sub?: string; testId?: string }) {
  return (
    <Card className="gap-1 py-4">
      <CardContent className="px-4">
        <p className="text-xs font-medium text-muted-foreground">{label}</p>
        <p className="text-2xl font-semibold tabular-nums" data-testid={testId}>
          {value}
        </p>
        {sub && <p className="text-xs text-muted-foreground">{sub}</p>}
      </CardContent>
    </Card>
  );
}

/** Plain CSS bars: sends, with opens and clicks, per bucket. */
function OverTimeChart({ buckets, timeZone }: { buckets: TimeBucket[]; timeZone: string }) {
  const max = Math.max(1, ...buckets.map((b) => Math.max(b.sent, b.opens, b.clicks)));
  const label = (b: TimeBucket) =>
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      month: "short",
      day: "numeric",
      ...(b.unit === "hour" ? { hour: "numeric" } : {}),
    }).format(b.at);
  return (
    <div>
      <div className="flex gap-3 pb-2 text-xs text-muted-foreground">
        <span className="flex items-center gap-1">
          <span className="size-2 rounded-sm bg-primary/40" /> Sent
        </span>
        <span className="flex items-center gap-1">
          <span className="size-2 rounded-sm bg-primary" /> Opens
        </span>
        <span className="flex items-center gap-1">
          <span className="size-2 rounded-sm bg-amber-500" /> Clicks
        </span>
      </div>
      <div className="overflow-x-auto">
        <div
          className="flex h-40 min-w-full items-end gap-1"
          role="img"
          aria-label="Sends, opens and clicks over time"
        >
          {buckets.map((b) => (
            <div
              key={`${b.unit}${b.at.toISOString()}`}
              className="flex h-full min-w-6 max-w-12 flex-1 items-end gap-px"
              title={`${label(b)}: ${b.sent} sent, ${b.opens} opens, ${b.clicks} clicks`}
            >
              <div
                className="w-1/3 rounded-t-sm bg-primary/40"
                style={{ height: `${(b.sent / max) * 100}%` }}
              />
              <div
                className="w-1/3 rounded-t-sm bg-primary"
                style={{ height: `${(b.opens / max) * 100}%` }}
              />
              <div
                className="w-1/3 rounded-t-sm bg-amber-500"
                style={{ height: `${(b.clicks / max) * 100}%` }}
              />
            </div>
          ))}
        </div>
        <div className="flex min-w-full justify-between pt-1 text-xs text-muted-foreground">
          <span>{buckets[0] && label(buckets[0])}</span>
          <span>{buckets.length > 1 && label(buckets.at(-1)!)}</span>
        </div>
      </div>
    </div>
  );
}

export function CampaignReportPage({ id }: { id: string }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const report = useQuery({
    ...trpc.email.campaigns.report.queryOptions({ workspaceId: ws.id, id }),
    refetchInterval: 10_000,
  });
  if (report.error) return <p className="text-destructive">{errorMessage(report.error)}</p>;
  if (!report.data) {
    return (
      <div className="grid gap-4" aria-busy="true">
        <Skeleton className="h-10 w-1/3" />
        <Skeleton className="h-28 w-full" />
        <Skeleton className="h-48 w-full" />
      </div>
    );
  }
  const r: Report = report.data;
  const t = r.totals;
  return (
    <>
      <Button variant="ghost" size="sm" className="mb-2 -ml-2" asChild>
        <Link href={`/${ws.slug}/email/${id}`}>
          <ArrowLeft aria-hidden />
          Back to the campaign
        </Link>
      </Button>
      <PageHeader
        title={`Report: ${r.campaign.name}`}
        description={`${TYPE_LABEL[r.campaign.type]} campaign. Opens and clicks count people, not machine prefetches.`}
      />
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Kpi
          label="Sent"
          value={t.sent.toLocaleString()}
          testId="report-sent"
          sub={t.pending ? `${t.pending} queued` : undefined}
        />
        <Kpi
          label="Delivered"
          value={t.delivered.toLocaleString()}
          testId="report-delivered"
          sub={
            t.inOutbox
              ? `${t.inOutbox.toLocaleString()} in outbox (not sent) · ${t.bounced} bounced`
              : `${t.failed} failed · ${t.bounced} bounced`
          }
        />
        <Kpi
          label="Unique opens"
          value={t.uniqueOpens.toLocaleString()}
          sub={percent(t.openRate)}
          testId="report-opens"
        />
        <Kpi
          label="Unique clicks"
          value={t.uniqueClicks.toLocaleString()}
          sub={percent(t.clickRate)}
          testId="report-clicks"
        />
        <Kpi label="Unsubscribes" value={t.unsubscribes.toLocaleString()} />
        <Kpi label="Complaint rate" value={percent(t.complaintRate)} sub={`${t.complaints} complaints`} />
        <Kpi label="Failed" value={t.failed.toLocaleString()} />
        <Kpi label="Bounced" value={t.bounced.toLocaleString()} />
      </div>
      {r.abTest && <AbTestReportCard campaignId={id} test={r.abTest} />}
      {r.exits && <CampaignExitsCard exits={r.exits} />}

      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Over time</CardTitle>
            <CardDescription>Per hour for the first 48 hours, then per day.</CardDescription>
          </CardHeader>
          <CardContent>
            {r.overTime.length ? (
              <OverTimeChart buckets={r.overTime} timeZone={ws.timeZone} />
            ) : (
              <EmptyState
                icon={BarChart3}
                title="Nothing sent yet"
                description="Numbers appear as messages go out."
              />
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Links</CardTitle>
            <CardDescription>Human clicks per link.</CardDescription>
          </CardHeader>
          <CardContent>
            {r.links.length ? (
              <Table>
                <TableHeadRow
                  columns={[
                    { label: "URL" },
                    { label: "Clicks", className: "text-right" },
                    { label: "People", className: "text-right" },
                  ]}
                />
                <TableBody>
                  {r.links.map((l) => (
                    <TableRow key={l.url}>
                      <TableCell className="max-w-64 truncate font-mono text-xs" title={l.url}>
                        {l.url}
                      </TableCell>
                      <TableCell className="text-right tabular-nums">{l.clicks}</TableCell>
                      <TableCell className="text-right tabular-nums">{l.uniqueClickers}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            ) : (
              <p className="text-sm text-muted-foreground">No clicks yet.</p>
            )}
          </CardContent>
        </Card>
      </div>

      {r.steps.length > 1 && (
        <Card className="mt-6">
          <CardHeader>
            <CardTitle>Per email</CardTitle>
          </CardHeader>
          <CardContent>
            <Table>
              <TableHeadRow
                columns={[
                  { label: "Email" },
                  { label: "Sent", className: "text-right" },
                  { label: "Queued", className: "text-right" },
                  { label: "Opens", className: "text-right" },
                  { label: "Clicks", className: "text-right" },
                ]}
              />
              <TableBody>
                {r.steps.map((s) => (
                  <TableRow key={s.id}>
                    <TableCell className="max-w-64 truncate">
                      {s.position + 1}. {s.subject}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{s.sent}</TableCell>
                    <TableCell className="text-right tabular-nums">{s.pending}</TableCell>
                    <TableCell className="text-right tabular-nums">
                      {s.uniqueOpens} ({percent(s.openRate)})
                    </TableCell>
                    <TableCell className="text-right tabular-nums">
                      {s.uniqueClicks} ({percent(s.clickRate)})
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}
    </>
  );
}
