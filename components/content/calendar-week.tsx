"use client";
import { useEffect, useRef } from "react";
import { cn } from "@/lib/utils";
import { type CellClick, type Chip, type DropHandlers, HOURS, WEEKDAYS } from "./calendar-parts";
import type { CalendarItem } from "./content-meta";
import { timeKey, weekdayOfKey } from "./zoned-time";

/** The week view: a column per day, a row per hour; drop an item on an hour to move it there. */
export function WeekGrid({
  days,
  today,
  byDay,
  timeZone,
  canWrite,
  over,
  chip,
  dropHandlers,
  onCellClick,
}: {
  days: string[];
  today: string;
  byDay: Map<string, CalendarItem[]>;
  timeZone: string;
  canWrite: boolean;
  over: string | null;
  chip: Chip;
  dropHandlers: DropHandlers;
  onCellClick: CellClick;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Start the working day in view.
    const row = scroller.current?.querySelector<HTMLElement>('[data-hour="8"]');
    if (scroller.current && row) scroller.current.scrollTop = row.offsetTop - 40;
  }, []);
  const nowHour = Number(timeKey(new Date(), timeZone).slice(0, 2));

  return (
    <div className="overflow-x-auto rounded-lg border" data-testid="calendar" data-view="week">
      <div className="min-w-[44rem]">
        <div className="grid grid-cols-[3.5rem_repeat(7,minmax(0,1fr))] border-b bg-muted/40 text-xs">
          <div />
          {days.map((day) => (
            <div
              key={day}
              className={cn("border-l px-2 py-2 text-center", day === today && "text-primary")}
              data-testid={`calendar-day-${day}`}
            >
              <span className="block text-muted-foreground">{WEEKDAYS[weekdayOfKey(day)]}</span>
              <span className={cn("font-semibold text-sm tabular-nums", day === today && "text-primary")}>
                {Number(day.slice(8))}
              </span>
            </div>
          ))}
        </div>
        <div ref={scroller} className="relative max-h-[65vh] overflow-y-auto">
          {HOURS.map((hour) => (
            <div key={hour} className="grid grid-cols-[3.5rem_repeat(7,minmax(0,1fr))]" data-hour={hour}>
              <div className="border-b px-1.5 py-1 text-right text-[11px] text-muted-foreground tabular-nums">
                {String(hour).padStart(2, "0")}:00
              </div>
              {days.map((day) => {
                const target = `${day}T${hour}`;
                const items = (byDay.get(day) ?? []).filter((i) => {
                  const at = i.publishedAt ?? i.scheduledAt;
                  return at && Number(timeKey(new Date(at), timeZone).slice(0, 2)) === hour;
                });
                const past = day < today || (day === today && hour < nowHour);
                return (
                  // biome-ignore lint/a11y/noStaticElementInteractions lint/a11y/useKeyWithClickEvents: pointer shortcut; "New" is the keyboard path
                  <div
                    key={day}
                    className={cn(
                      "flex min-h-12 min-w-0 flex-col gap-0.5 border-b border-l p-0.5",
                      past && "bg-muted/25",
                      canWrite && !past && "cursor-pointer hover:bg-accent/30",
                      over === target && "bg-primary/10 ring-2 ring-primary ring-inset",
                    )}
                    data-testid={`calendar-slot-${day}-${String(hour).padStart(2, "0")}`}
                    onClick={past ? undefined : onCellClick(day, hour)}
                    {...dropHandlers(target, day, hour)}
                  >
                    {items.map((item) => chip(item, true))}
                  </div>
                );
              })}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
