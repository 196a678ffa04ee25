"use client";

import { Plus } from "lucide-react";
import Link from "next/link";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { cn } from "@/lib/utils";
import { type CellClick, type Chip, type DropHandlers, MAX_IN_CELL, WEEKDAYS } from "./calendar-parts";
import type { CalendarItem } from "./content-meta";
import { formatDayKey } from "./zoned-time";

/** The month view: whole weeks, Monday first; a day shows a few items and "+N more" (opens its week). */
export function MonthGrid({
  days,
  anchor,
  today,
  byDay,
  over,
  chip,
  dropHandlers,
  onCellClick,
  onMore,
}: {
  days: string[];
  /** A day of the month shown. */
  anchor: string;
  today: string;
  byDay: Map<string, CalendarItem[]>;
  over: string | null;
  chip: Chip;
  dropHandlers: DropHandlers;
  onCellClick: CellClick;
  onMore: (day: string) => void;
}) {
  const ws = useWorkspace();
  return (
    <div className="overflow-hidden rounded-lg border" data-testid="calendar" data-view="month">
      <div className="grid grid-cols-7 border-b bg-muted/40 text-center font-medium text-muted-foreground text-xs">
        {WEEKDAYS.map((d) => (
          <div key={d} className="py-2">
            {d}
          </div>
        ))}
      </div>
      <div className="grid grid-cols-7">
        {days.map((day) => {
          const items = byDay.get(day) ?? [];
          const inMonth = day.slice(0, 7) === anchor.slice(0, 7);
          const past = day < today;
          return (
            // biome-ignore lint/a11y/noStaticElementInteractions lint/a11y/useKeyWithClickEvents: the "+" link is the keyboard path
            <div
              key={day}
              className={cn(
                "group relative flex min-h-28 min-w-0 flex-col gap-1 border-r border-b p-1.5 [&:nth-child(7n)]:border-r-0",
                !inMonth && "bg-muted/30",
                ws.canWrite && !past && "cursor-pointer hover:bg-accent/30",
                over === day && "bg-primary/10 ring-2 ring-primary ring-inset",
              )}
              data-testid={`calendar-day-${day}`}
              onClick={onCellClick(day)}
              {...dropHandlers(day, day)}
            >
              <div className="flex items-center justify-between">
                <span
                  className={cn(
                    "flex size-6 items-center justify-center rounded-full text-xs tabular-nums",
                    !inMonth && "text-muted-foreground",
                    day === today && "bg-primary font-semibold text-primary-foreground",
                  )}
                >
                  {Number(day.slice(8))}
                </span>
                {ws.canWrite && !past && (
                  <Link
                    href={`/${ws.slug}/content/new?date=${day}`}
                    className="rounded p-0.5 text-muted-foreground opacity-0 hover:bg-accent hover:text-foreground focus-visible:opacity-100 group-hover:opacity-100"
                    aria-label={`New content on ${formatDayKey(day, { month: "long", day: "numeric" })}`}
                  >
                    <Plus className="size-3.5" aria-hidden />
                  </Link>
                )}
              </div>
              {items.slice(0, MAX_IN_CELL).map((item) => chip(item))}
              {items.length > MAX_IN_CELL && (
                <button
                  type="button"
                  className="self-start rounded px-1 text-muted-foreground text-xs hover:bg-accent hover:text-foreground"
                  onClick={() => onMore(day)}
                >
                  +{items.length - MAX_IN_CELL} more
                </button>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
