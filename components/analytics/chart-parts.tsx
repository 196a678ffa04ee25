import type { ReactNode } from "react";

/* What every chart shares, apart from recharts (which only the bar charts load, when they draw). */

export const CHART_COLORS = [
  "var(--chart-1)",
  "var(--chart-2)",
  "var(--chart-3)",
  "var(--chart-4)",
  "var(--chart-5)",
];

export interface Series {
  key: string;
  label: string;
}

/** Whether every value of every series is zero (or missing): nothing to draw. */
export function allZero(data: readonly object[], series: Series[]): boolean {
  return data.every((d) => series.every((s) => !Number((d as Record<string, unknown>)[s.key])));
}

/** In place of a chart whose every value is zero: what to do to get data. */
export function EmptyChart({ empty, height = 260 }: { empty: ReactNode; height?: number }) {
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
