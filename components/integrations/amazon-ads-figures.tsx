"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage, useTRPC } from "@/lib/trpc/client";

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

function money(amount: string, currency: string | null) {
  const n = Number(amount);
  if (!currency) return amount;
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(n);
  } catch {
    return `${amount} ${currency}`;
  }
}

/** The last 30 days: what links to Amazon brought (ours), and the top posts and email steps. */
export function AttributionFigures({ currency }: { currency: string | null }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const [period] = useState(() => {
    const to = new Date();
    return { from: isoDay(new Date(to.getTime() - 29 * 86_400_000)), to: isoDay(to) };
  });
  const summary = useQuery(
    trpc.integrations.amazonAds.summary.queryOptions({ workspaceId: ws.id, ...period }),
  );
  if (summary.isPending) return <Skeleton className="h-24 rounded-lg" />;
  if (summary.isError) return <p className="text-destructive">{errorMessage(summary.error)}</p>;
  const d = summary.data;
  const cur = d.currency ?? currency;
  const tiles: [string, string][] = [
    ["Sales", money(d.organic.sales, cur)],
    ["Purchases", d.organic.purchases.toLocaleString()],
    ["Units sold", d.organic.unitsSold.toLocaleString()],
    ["Click-throughs", d.organic.clickThroughs.toLocaleString()],
    ["Detail page views", d.organic.detailPageViews.toLocaleString()],
    ["Add to carts", d.organic.addToCarts.toLocaleString()],
  ];
  const top = [
    ...d.byContent.map((c) => ({ key: c.contentId, name: c.title, sales: c.sales, purchases: c.purchases })),
    ...d.byCampaignStep.map((c) => ({
      key: c.campaignStepId,
      name: `${c.campaignName} · step ${c.position + 1}`,
      sales: c.sales,
      purchases: c.purchases,
    })),
  ]
    .sort((a, b) => Number(b.sales) - Number(a.sales))
    .slice(0, 3);
  return (
    <section aria-labelledby="amazon-ads-figures" className="grid gap-3" data-testid="amazon-ads-figures">
      <div className="flex items-baseline justify-between gap-2">
        <h3 id="amazon-ads-figures" className="font-medium">
          Last 30 days, from your links
        </h3>
        <span className="text-muted-foreground text-xs">14-day click attribution</span>
      </div>
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3">
        {tiles.map(([label, value]) => (
          <div key={label} className="rounded-md border px-2.5 py-2">
            <dt className="truncate text-muted-foreground text-xs">{label}</dt>
            <dd className="font-semibold tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      {top.length > 0 && (
        <ol className="grid gap-1" aria-label="Top posts and email steps by Amazon sales">
          {top.map((t) => (
            <li key={t.key} className="flex justify-between gap-3">
              <span className="truncate">{t.name}</span>
              <span className="tabular-nums text-muted-foreground">
                {t.purchases} {t.purchases === 1 ? "purchase" : "purchases"} · {money(t.sales, cur)}
              </span>
            </li>
          ))}
        </ol>
      )}
      <p className="text-muted-foreground text-xs">
        All of the advertiser's Attribution campaigns: {d.totals.clickThroughs.toLocaleString()}{" "}
        click-throughs, {money(d.totals.sales, cur)} in sales.
      </p>
    </section>
  );
}
