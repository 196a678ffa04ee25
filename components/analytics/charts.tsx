"use client";

import type { ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { allZero, CHART_COLORS, EmptyChart, type Series } from "./chart-parts";

const axis = { stroke: "var(--muted-foreground)", fontSize: 12, tickLine: false, axisLine: false } as const;
const tooltipStyle = {
  contentStyle: {
    background: "var(--popover)",
    color: "var(--popover-foreground)",
    border: "1px solid var(--border)",
    borderRadius: 8,
    fontSize: 12,
  },
  labelStyle: { color: "var(--popover-foreground)" },
} as const;

/** The figure, a chart, or — when every value is zero — what to do to get data. */
export function ChartFrame({
  label,
  isEmpty,
  empty,
  children,
  height = 260,
}: {
  label: string;
  isEmpty: boolean;
  empty: ReactNode;
  children: ReactNode;
  height?: number;
}) {
  if (isEmpty) return <EmptyChart empty={empty} height={height} />;
  return (
    <figure role="img" aria-label={label} style={{ height }} className="w-full">
      <ResponsiveContainer width="100%" height="100%">
        {children as React.ReactElement}
      </ResponsiveContainer>
    </figure>
  );
}

export function SimpleBarChart<T extends Record<string, unknown>>({
  data,
  xKey,
  series,
  label,
  empty,
  height,
  layout = "horizontal",
  xFormatter,
}: {
  data: T[];
  xKey: string;
  series: Series[];
  label: string;
  empty: ReactNode;
  height?: number;
  layout?: "horizontal" | "vertical";
  xFormatter?: (v: string) => string;
}) {
  const isEmpty = allZero(data, series);
  const vertical = layout === "vertical";
  return (
    <ChartFrame label={label} isEmpty={isEmpty} empty={empty} height={height}>
      <BarChart data={data} layout={layout} margin={{ top: 8, right: 8, left: vertical ? 16 : 0, bottom: 0 }}>
        <CartesianGrid stroke="var(--border)" vertical={vertical} horizontal={!vertical} />
        {vertical ? (
          <>
            <XAxis type="number" {...axis} allowDecimals={false} />
            <YAxis type="category" dataKey={xKey} {...axis} width={110} />
          </>
        ) : (
          <>
            <XAxis dataKey={xKey} {...axis} tickFormatter={xFormatter} minTickGap={16} />
            <YAxis {...axis} width={48} allowDecimals={false} />
          </>
        )}
        <Tooltip {...tooltipStyle} cursor={{ fill: "var(--muted)" }} />
        {series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
        {series.map((s, i) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.label}
            fill={CHART_COLORS[i % CHART_COLORS.length]}
            radius={4}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ChartFrame>
  );
}
