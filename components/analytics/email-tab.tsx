"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { useTRPC } from "@/lib/trpc/client";
import { DataTable, linkColumn, rateColumn } from "./data-table";
import { fmtInt, fmtPct } from "./format";
import { TimeAreaChart } from "./lazy-charts";
import { Fresh, Loading, type Out, Section, Stat, vs } from "./tab-parts";
import type { RangeState } from "./use-range";

export function EmailTab({ range }: { range: RangeState }) {
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
        <Stat
          label="Delivered"
          value={fmtInt(t.delivered)}
          hint={t.inOutbox ? `${fmtInt(t.inOutbox)} in outbox (not sent)` : undefined}
        />
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
            linkColumn<Row>(
              "name",
              "Campaign",
              (r) => r.name,
              (r) => `/${ws.slug}/email/${r.id}`,
            ),
            { key: "sent", header: "Sent", value: (r) => r.sent, numeric: true },
            { key: "delivered", header: "Delivered", value: (r) => r.delivered, numeric: true },
            { key: "uniqueOpens", header: "Unique opens", value: (r) => r.uniqueOpens, numeric: true },
            rateColumn<Row>("openRate", "Open rate", (r) => r.openRate),
            { key: "uniqueClicks", header: "Unique clicks", value: (r) => r.uniqueClicks, numeric: true },
            rateColumn<Row>("clickRate", "Click rate", (r) => r.clickRate),
            { key: "unsubscribes", header: "Unsubs", value: (r) => r.unsubscribes, numeric: true },
            { key: "bounces", header: "Bounces", value: (r) => r.bounces, numeric: true },
            rateColumn<Row>("complaintRate", "Complaint rate", (r) => r.complaintRate),
          ]}
        />
      </Section>
    </div>
  );
}
