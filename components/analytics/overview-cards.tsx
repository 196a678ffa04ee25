import type { inferRouterOutputs } from "@trpc/server";
import { DollarSign } from "lucide-react";
import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
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
      }, cancelled excluded`}
      freshness={synced}
    />
  );
}

export function KpiCardX({
  k,
  ...rest
}: {
  k: { value: number; previous: number | null };
  testId: string;
  label: string;
  icon: React.ReactNode;
  value: string;
  counts: string;
  freshness: string;
}) {
  return (
    <KpiCard
      {...rest}
      delta={k.previous === null ? undefined : change(k.value, k.previous)}
      previous={k.previous === null ? undefined : fmtInt(k.previous)}
    />
  );
}

export function RateCard({
  k,
  ...rest
}: {
  k: { value: number | null; previous: number | null; sent: number };
  testId: string;
  label: string;
  icon: React.ReactNode;
  counts: string;
  freshness: string;
}) {
  return (
    <KpiCard
      {...rest}
      value={fmtPct(k.value)}
      delta={k.previous === null || k.value === null ? undefined : change(k.value, k.previous)}
      previous={k.previous === null ? undefined : fmtPct(k.previous)}
    />
  );
}

export function TopList({
  title,
  rows,
  slug,
  empty,
  testId,
}: {
  title: string;
  rows: { id: string; title: string; type: string; figure: string }[] | undefined;
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
                  <span className="ml-1 text-xs text-muted-foreground">({r.type})</span>
                </span>
                <span className="shrink-0 font-medium tabular-nums">{r.figure}</span>
              </li>
            ))}
          </ol>
        )}
      </CardContent>
    </Card>
  );
}
