"use client";

import { nice, ticks } from "d3-array";
import { area, curveMonotoneX, line } from "d3-shape";
import { type PointerEvent, type ReactNode, useState } from "react";
import { allZero, CHART_COLORS, EmptyChart, type Series } from "./chart-parts";
import { fmtDay } from "./format";

/*
 * Values per day as areas, drawn as plain SVG: the shapes in a viewBox stretched to the figure's
 * width (no measuring, so the server renders it and nothing moves when the page hydrates), the axis
 * labels and the hover read-out as HTML placed in percent. Recharts took 150 ms of main thread to
 * draw one such chart, the longest task on the Overview (issue 15: Lighthouse ≥ 90); this takes a
 * few. d3 gives the curve and the round axis steps.
 */

const VIEW_WIDTH = 1000;
const X_AXIS = 24;
const LEGEND = 24;
const MAX_X_LABELS = 6;

const num = (v: unknown) => Number(v) || 0;
const pct = (x: number) => `${(x / VIEW_WIDTH) * 100}%`;

export function TimeAreaChart<T extends { day: string }>({
  data,
  series,
  label,
  empty,
  height = 260,
  xKey = "day",
}: {
  data: T[];
  series: Series[];
  label: string;
  empty: ReactNode;
  height?: number;
  xKey?: string;
}) {
  const [hover, setHover] = useState<number | null>(null);
  const rows = data as unknown as Record<string, unknown>[];
  if (allZero(rows, series)) return <EmptyChart empty={empty} height={height} />;

  const plot = height - X_AXIS - (series.length > 1 ? LEGEND : 0);
  const max = Math.max(...rows.flatMap((d) => series.map((s) => num(d[s.key]))));
  const [, top] = nice(0, max, 4);
  const yTicks = ticks(0, top, 4).filter(Number.isInteger);
  const x = (i: number) => (rows.length === 1 ? VIEW_WIDTH / 2 : (i / (rows.length - 1)) * VIEW_WIDTH);
  const y = (v: number) => plot * (1 - v / top);
  const step = Math.ceil(rows.length / MAX_X_LABELS);
  const xLabels = rows.map((_, i) => i).filter((i) => i % step === 0);

  function onPointerMove(e: PointerEvent<HTMLDivElement>) {
    const box = e.currentTarget.getBoundingClientRect();
    const at = Math.round(((e.clientX - box.left) / box.width) * (rows.length - 1));
    setHover(Math.min(rows.length - 1, Math.max(0, at)));
  }

  const shown = hover === null ? null : rows[hover];
  return (
    <figure role="img" aria-label={label} style={{ height }} className="w-full text-muted-foreground text-xs">
      <div className="flex" style={{ height: plot }} aria-hidden>
        <div className="relative w-12 shrink-0">
          {yTicks.map((t) => (
            <span key={t} className="absolute right-2 -translate-y-1/2 tabular-nums" style={{ top: y(t) }}>
              {t.toLocaleString("en-US")}
            </span>
          ))}
        </div>
        <div
          className="relative min-w-0 flex-1"
          onPointerMove={onPointerMove}
          onPointerLeave={() => setHover(null)}
          data-testid="time-area-chart"
        >
          <svg
            width="100%"
            height={plot}
            viewBox={`0 0 ${VIEW_WIDTH} ${plot}`}
            preserveAspectRatio="none"
            className="block overflow-visible"
          >
            {yTicks.map((t) => (
              <line
                key={t}
                x1={0}
                x2={VIEW_WIDTH}
                y1={y(t)}
                y2={y(t)}
                style={{ stroke: "var(--border)" }}
                vectorEffect="non-scaling-stroke"
              />
            ))}
            {series.map((s, n) => {
              const color = CHART_COLORS[n % CHART_COLORS.length];
              const fill = area<Record<string, unknown>>()
                .x((_, i) => x(i))
                .y0(plot)
                .y1((d) => y(num(d[s.key])))
                .curve(curveMonotoneX)(rows);
              const stroke = line<Record<string, unknown>>()
                .x((_, i) => x(i))
                .y((d) => y(num(d[s.key])))
                .curve(curveMonotoneX)(rows);
              return (
                <g key={s.key}>
                  <path d={fill ?? undefined} style={{ fill: color, fillOpacity: 0.15 }} />
                  <path
                    d={stroke ?? undefined}
                    style={{ stroke: color, fill: "none", strokeWidth: 2 }}
                    vectorEffect="non-scaling-stroke"
                  />
                </g>
              );
            })}
          </svg>
          {hover !== null && shown && (
            <>
              <span
                className="pointer-events-none absolute inset-y-0 border-muted-foreground/40 border-l"
                style={{ left: pct(x(hover)) }}
              />
              {series.map((s, n) => (
                <span
                  key={s.key}
                  className="pointer-events-none absolute size-2 -translate-x-1/2 -translate-y-1/2 rounded-full"
                  style={{
                    left: pct(x(hover)),
                    top: y(num(shown[s.key])),
                    background: CHART_COLORS[n % CHART_COLORS.length],
                  }}
                />
              ))}
              <div
                className="pointer-events-none absolute top-1 z-10 rounded-lg border bg-popover px-2.5 py-1.5 text-popover-foreground shadow-sm"
                style={
                  x(hover) > VIEW_WIDTH / 2
                    ? { right: `calc(${100 - (x(hover) / VIEW_WIDTH) * 100}% + 8px)` }
                    : { left: `calc(${pct(x(hover))} + 8px)` }
                }
                data-testid="chart-tooltip"
              >
                <p className="font-medium">{fmtDay(String(shown[xKey]))}</p>
                {series.map((s, n) => (
                  <p key={s.key} className="whitespace-nowrap tabular-nums">
                    <span style={{ color: CHART_COLORS[n % CHART_COLORS.length] }}>{s.label}</span>:{" "}
                    {num(shown[s.key]).toLocaleString("en-US")}
                  </p>
                ))}
              </div>
            </>
          )}
        </div>
      </div>
      <div className="relative ml-12" style={{ height: X_AXIS }} aria-hidden>
        {xLabels.map((i, k) => (
          <span
            key={i}
            // On a phone the plot is ~250 px wide: every other label, or they run into each other.
            className={`absolute top-1.5 whitespace-nowrap ${k % 2 === 1 ? "max-sm:hidden" : ""}`}
            style={{
              left: pct(x(i)),
              transform: `translateX(${i === 0 ? "0" : i === rows.length - 1 ? "-100%" : "-50%"})`,
            }}
          >
            {fmtDay(String(rows[i]?.[xKey]))}
          </span>
        ))}
      </div>
      {series.length > 1 && (
        <ul className="flex items-center justify-center gap-4" style={{ height: LEGEND }} aria-hidden>
          {series.map((s, n) => (
            <li key={s.key} className="flex items-center gap-1.5">
              <span
                className="size-2.5 rounded-sm"
                style={{ background: CHART_COLORS[n % CHART_COLORS.length] }}
              />
              {s.label}
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
