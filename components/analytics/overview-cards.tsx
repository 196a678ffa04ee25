import type { inferRouterOutputs } from "@trpc/server";
import {
  DollarSign,
  Eye,
  type LucideIcon,
  Mail,
  MousePointerClick,
  Send,
  ShoppingCart,
  UserPlus,
} from "lucide-react";
import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { platformLabel } from "@/lib/content-labels";
import type { AppRouter } from "@/server/api/root";
import { change, fmtInt, fmtMoney, fmtPct } from "./format";
import { KpiCard } from "./kpi-card";

export type Overview = inferRouterOutputs<AppRouter>["analytics"]["overview"];

export function KpiCardRevenue({ d, synced }: { d: Overview; synced: string }) {
  const r = d.kpis.revenue;
  const others = r.otherCurrencies.filter((o) => o.currency);
  return (
    <KpiCard
      testId="revenue-metric"
      label="Revenue"
      icon={<DollarSign className="size-4" aria-hidden />}
      value={fmtMoney(r.value, r.currency)}
      delta={r.previous === null ? undefined : change(Number(r.value), Number(r.previous))}
      previous={r.previous === null ? undefined : fmtMoney(r.previous, r.currency)}
      counts={`Orders' totals in ${r.currency ?? "your currency"}${
        others.length ? ` (also ${others.map((o) => fmtMoney(o.value, o.currency)).join(", ")})` : ""
      }, cancelled excluded; ${fmtMoney(r.credited.revenue, r.currency)} credited to your posts, links and emails`}
      freshness={synced}
    />
  );
}

type Figure = { value: number | null; previous: number | null };

/** The count and rate cards after Revenue, in their order on the page. */
export function MetricCards({
  d,
  synced,
  rolled,
}: {
  d: Overview;
  synced: (iso: string | null | undefined, what: string) => string;
  rolled: string;
}) {
  const k = d.kpis;
  const lastEmail = synced(d.freshness.emailEventAt, "Last email event");
  const cards: {
    testId: string;
    label: string;
    Icon: LucideIcon;
    k: Figure;
    rate?: boolean;
    counts: string;
    freshness: string;
  }[] = [
    {
      testId: "traffic-metric",
      label: "Views",
      Icon: Eye,
      k: k.views,
      counts: "Views gained by your content in the period (from metric snapshots)",
      freshness: synced(d.freshness.contentSyncedAt, "Content synced"),
    },
    {
      testId: "leads-metric",
      label: "New leads",
      Icon: UserPlus,
      k: k.newLeads,
      counts: "Leads created in the period, from every source",
      freshness: `${synced(d.freshness.leadAt, "Last lead")} · ${rolled}`,
    },
    {
      testId: "conversions-metric",
      label: "Conversions",
      Icon: ShoppingCart,
      k: k.conversions,
      counts: "Orders placed in the period (not cancelled), every channel",
      freshness: synced(d.freshness.orderAt, "Last order"),
    },
    {
      testId: "open-rate-metric",
      label: "Email open rate",
      Icon: Mail,
      k: k.openRate,
      rate: true,
      counts: `First human opens per recipient ÷ ${fmtInt(k.openRate.sent)} emails sent`,
      freshness: lastEmail,
    },
    {
      testId: "click-rate-metric",
      label: "Email click rate",
      Icon: MousePointerClick,
      k: k.clickRate,
      rate: true,
      counts: `First human clicks per recipient ÷ ${fmtInt(k.clickRate.sent)} emails sent`,
      freshness: lastEmail,
    },
    {
      testId: "published-metric",
      label: "Content published",
      Icon: Send,
      k: k.published,
      counts: "Posts, videos and emails published in the period",
      freshness: rolled,
    },
  ];
  return cards.map(({ Icon, k: f, rate, ...card }) => {
    const fmt = (n: number | null) => (rate ? fmtPct(n) : fmtInt(n ?? 0));
    return (
      <KpiCard
        key={card.testId}
        {...card}
        icon={<Icon className="size-4" aria-hidden />}
        value={fmt(f.value)}
        delta={f.previous === null || f.value === null ? undefined : change(f.value, f.previous)}
        previous={f.previous === null ? undefined : fmt(f.previous)}
      />
    );
  });
}

export function TopList<R extends { id: string; title: string; type: string }>({
  title,
  rows,
  figure,
  slug,
  empty,
  testId,
}: {
  title: string;
  rows: R[] | undefined;
  /** The ranked figure of a row, formatted. */
  figure: (row: R) => string;
  slug: string;
  empty: string;
  testId: string;
}) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>In the chosen period.</CardDescription>
      </CardHeader>
      <CardContent>
        {!rows ? (
          <Skeleton className="h-32" />
        ) : rows.length === 0 ? (
          <p className="text-sm text-muted-foreground">{empty}</p>
        ) : (
          <ol className="grid gap-2 text-sm" data-testid={testId}>
            {rows.map((r, i) => (
              <li key={r.id} className="flex items-baseline justify-between gap-3">
                <span className="min-w-0 truncate">
                  <span className="mr-2 text-muted-foreground tabular-nums">{i + 1}.</span>
                  <Link href={`/${slug}/content/${r.id}`} className="hover:underline">
                    {r.title}
                  </Link>
                  <span className="ml-1 text-xs text-muted-foreground">({platformLabel(r.type)})</span>
                </span>
                <span className="shrink-0 font-medium tabular-nums">{figure(r)}</span>
              </li>
            ))}
          </ol>
        )}
      </CardContent>
    </Card>
  );
}

/** Views and engagement per platform in the period (TikTok, YouTube Shorts, Instagram Reels, blog…). */
export function PlatformViews({ d }: { d: Overview }) {
  if (d.platforms.length === 0) return null;
  return (
    <section
      aria-label="Views by platform"
      className="mt-3 grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-5"
    >
      {d.platforms.map((p) => {
        const delta = change(p.views.value, p.views.previous);
        return (
          <Card key={p.platform} className="gap-1 py-3" data-testid={`platform-views-${p.platform}`}>
            <CardHeader className="px-4">
              <CardDescription className="flex items-center gap-2">
                <Eye className="size-4" aria-hidden /> {platformLabel(p.platform)}
              </CardDescription>
            </CardHeader>
            <CardContent className="px-4">
              <p className="text-xl font-semibold tabular-nums">{fmtInt(p.views.value)}</p>
              <p className="text-xs text-muted-foreground">
                {fmtInt(p.engagements)} likes, comments, shares and saves
                {delta === null ? "" : ` · ${delta >= 0 ? "+" : ""}${fmtPct(delta)} views`}
              </p>
            </CardContent>
          </Card>
        );
      })}
    </section>
  );
}
