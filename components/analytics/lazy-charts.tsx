"use client";

import dynamic from "next/dynamic";
import type { ComponentProps, ReactNode } from "react";
import { Skeleton } from "@/components/ui/skeleton";
import type { TimeAreaChart as AreaChartImpl, SimpleBarChart as BarChartImpl, Series } from "./charts";

/*
 * The charts as pages use them: recharts (over 100 kB gzipped) loads only when there is something to
 * draw, after the page's figures are on screen; a period with no data shows what to do instead.
 */

const LazyArea = dynamic(() => import("./charts").then((m) => m.TimeAreaChart), {
  ssr: false,
  loading: () => <Skeleton className="h-64" />,
}) as typeof AreaChartImpl;
const LazyBar = dynamic(() => import("./charts").then((m) => m.SimpleBarChart), {
  ssr: false,
  loading: () => <Skeleton className="h-64" />,
}) as typeof BarChartImpl;

function allZero(data: Record<string, unknown>[], series: Series[]) {
  return data.every((d) => series.every((s) => !Number(d[s.key])));
}

function EmptyChart({ empty, height = 260 }: { empty: ReactNode; height?: number }) {
  return (
    <div
      className="flex items-center justify-center rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground"
      style={{ height }}
      data-testid="chart-empty"
    >
      {empty}
    </div>
  );
}

export function TimeAreaChart<T extends { day: string }>(props: ComponentProps<typeof AreaChartImpl<T>>) {
  if (allZero(props.data, props.series)) return <EmptyChart empty={props.empty} height={props.height} />;
  return <LazyArea {...(props as ComponentProps<typeof AreaChartImpl>)} />;
}

export function SimpleBarChart<T extends Record<string, unknown>>(
  props: ComponentProps<typeof BarChartImpl<T>>,
) {
  if (allZero(props.data, props.series)) return <EmptyChart empty={props.empty} height={props.height} />;
  return <LazyBar {...(props as ComponentProps<typeof BarChartImpl>)} />;
}
