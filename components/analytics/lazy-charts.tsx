"use client";

import dynamic from "next/dynamic";
import type { ComponentProps } from "react";
import { Skeleton } from "@/components/ui/skeleton";
import { allZero, EmptyChart } from "./chart-parts";
import type { SimpleBarChart as BarChartImpl } from "./charts";

export { TimeAreaChart } from "./time-area-chart";

/*
 * The charts as pages use them. Series over time are plain SVG (time-area-chart.tsx); the bar charts
 * are recharts (over 100 kB gzipped), which loads only when there is something to draw, after the
 * page's figures are on screen. A period with no data shows what to do instead.
 */

const LazyBar = dynamic(() => import("./charts").then((m) => m.SimpleBarChart), {
  ssr: false,
  loading: () => <Skeleton className="h-64" />,
}) as typeof BarChartImpl;

export function SimpleBarChart<T extends Record<string, unknown>>(
  props: ComponentProps<typeof BarChartImpl<T>>,
) {
  if (allZero(props.data, props.series)) return <EmptyChart empty={props.empty} height={props.height} />;
  return <LazyBar {...(props as ComponentProps<typeof BarChartImpl>)} />;
}
