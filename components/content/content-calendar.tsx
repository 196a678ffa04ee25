"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { CalendarDays, ChevronLeft, ChevronRight, List } from "lucide-react";
import { useRouter } from "next/navigation";
import { type MouseEvent, useMemo } from "react";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { LinkButton } from "@/components/ui/link-button";
import { Spinner } from "@/components/ui/spinner";
import { useUrlState } from "@/hooks/use-url-state";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { cn } from "@/lib/utils";
import { CalendarAgenda } from "./calendar-agenda";
import { MonthGrid } from "./calendar-month";
import { CalendarChip, useMediaQuery, type View, whenOf } from "./calendar-parts";
import { WeekGrid } from "./calendar-week";
import { type CalendarItem, CONTENT_TYPE_LIST, TYPE_META } from "./content-meta";
import { groupByVideo } from "./group-rows";
import { NewContentMenu } from "./new-content-menu";
import { useCalendarDrag } from "./use-calendar-drag";
import {
  addDaysToKey,
  addMonthsToKey,
  dayKey,
  formatDayKey,
  parseDayKey,
  startOfDayInstant,
  startOfMonthKey,
  startOfWeekKey,
  todayKey,
  weekdayOfKey,
  zoneLabel,
} from "./zoned-time";

/** Scheduled and published content on a month or week grid, in the workspace's time zone. */
export function ContentCalendar() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const { params, update } = useUrlState();
  const wide = useMediaQuery("(min-width: 768px)", true);

  const today = todayKey(ws.timeZone);
  const view: View = params.get("view") === "week" ? "week" : "month";
  const anchor = parseDayKey(params.get("date") ?? "") ? (params.get("date") as string) : today;

  const setParams = (next: { view?: View; date?: string }) => update(next);

  // The visible days: whole weeks (Monday first) covering the month, or one week.
  const days = useMemo(() => {
    if (view === "week") {
      const start = startOfWeekKey(anchor);
      return Array.from({ length: 7 }, (_, i) => addDaysToKey(start, i));
    }
    const first = startOfMonthKey(anchor);
    const nextMonth = addMonthsToKey(first, 1);
    const start = startOfWeekKey(first);
    const out: string[] = [];
    for (let d = start; d < nextMonth || weekdayOfKey(d) !== 0; d = addDaysToKey(d, 1)) out.push(d);
    return out;
  }, [view, anchor]);

  const input = {
    workspaceId: ws.id,
    from: startOfDayInstant(days[0]!, ws.timeZone),
    to: startOfDayInstant(addDaysToKey(days.at(-1)!, 1), ws.timeZone),
  };
  const calendar = useQuery({
    ...trpc.content.calendar.queryOptions(input),
    placeholderData: keepPreviousData,
  });

  // A video posted to several platforms is one entry a day: its first post, with the others beside it.
  const { byDay, membersOf } = useMemo(() => {
    const map = new Map<string, CalendarItem[]>();
    const membersOf = new Map<string, CalendarItem[]>();
    for (const item of calendar.data ?? []) {
      const at = whenOf(item);
      if (!at) continue;
      const key = dayKey(at, ws.timeZone);
      map.set(key, [...(map.get(key) ?? []), item]);
    }
    for (const [key, list] of map) {
      list.sort((a, b) => whenOf(a)!.getTime() - whenOf(b)!.getTime());
      const groups = groupByVideo(list);
      for (const g of groups) if (g.members.length > 1) membersOf.set(g.lead.id, g.members);
      map.set(
        key,
        groups.map((g) => g.lead),
      );
    }
    return { byDay: map, membersOf };
  }, [calendar.data, ws.timeZone]);

  const drag = useCalendarDrag(input, calendar);
  const { over, dropHandlers, reschedule } = drag;

  const createOn = (day: string, hour?: number) => {
    if (!ws.canWrite || day < today) return;
    const time = hour === undefined ? "" : `&time=${String(hour).padStart(2, "0")}:00`;
    router.push(`/${ws.slug}/content/new?date=${day}${time}`);
  };
  /** Clicks on a cell's empty space create content for that day (items and buttons handle their own). */
  const onCellClick = (day: string, hour?: number) => (e: MouseEvent) => {
    if ((e.target as HTMLElement).closest("a,button")) return;
    createOn(day, hour);
  };

  const chip = (item: CalendarItem, compact = false) => (
    <CalendarChip
      key={item.id}
      item={item}
      members={membersOf.get(item.id)}
      compact={compact}
      dragging={drag.dragging}
      onDragChange={(id) => {
        drag.setDragging(id);
        if (id === null) drag.setOver(null);
      }}
    />
  );

  /** What the month and the week grid both draw with. */
  const grid = { days, today, byDay, over, chip, dropHandlers, onCellClick };

  const label =
    view === "month"
      ? formatDayKey(anchor, { month: "long", year: "numeric" })
      : `${formatDayKey(days[0]!, { month: "short", day: "numeric" })} – ${formatDayKey(days[6]!, {
          month: "short",
          day: "numeric",
          year: "numeric",
        })}`;
  const step = (dir: 1 | -1) =>
    setParams({ date: view === "month" ? addMonthsToKey(anchor, dir) : addDaysToKey(anchor, 7 * dir) });

  return (
    <>
      <PageHeader
        title="Calendar"
        description={`Scheduled and published content, in ${zoneLabel(ws.timeZone)}.`}
        actions={
          <>
            <LinkButton href={`/${ws.slug}/content`} icon={List}>
              List
            </LinkButton>
            {ws.canWrite && <NewContentMenu />}
          </>
        }
      />

      <div className="mb-3 flex flex-wrap items-center gap-2">
        <div className="flex items-center gap-1">
          <Button
            variant="outline"
            size="icon-sm"
            onClick={() => step(-1)}
            aria-label={`Previous ${view}`}
            data-testid="calendar-prev"
          >
            <ChevronLeft aria-hidden />
          </Button>
          <Button
            variant="outline"
            size="sm"
            onClick={() => setParams({ date: today })}
            data-testid="calendar-today"
          >
            Today
          </Button>
          <Button
            variant="outline"
            size="icon-sm"
            onClick={() => step(1)}
            aria-label={`Next ${view}`}
            data-testid="calendar-next"
          >
            <ChevronRight aria-hidden />
          </Button>
        </div>
        <h2 className="min-w-0 font-semibold text-lg" aria-live="polite" data-testid="calendar-label">
          {label}
        </h2>
        {(calendar.isFetching || reschedule.isPending) && <Spinner className="text-muted-foreground" />}
        <div className="ml-auto inline-flex rounded-md border p-0.5" role="group" aria-label="Calendar view">
          {(["month", "week"] as const).map((v) => (
            <Button
              key={v}
              variant={view === v ? "secondary" : "ghost"}
              size="sm"
              className="h-7"
              aria-pressed={view === v}
              onClick={() => setParams({ view: v })}
              data-testid={`calendar-view-${v}`}
            >
              {v === "month" ? "Month" : "Week"}
            </Button>
          ))}
        </div>
      </div>

      <div
        className="mb-3 flex flex-wrap items-center gap-x-4 gap-y-1 text-muted-foreground text-xs"
        data-testid="calendar-legend"
      >
        {CONTENT_TYPE_LIST.map((t) => (
          <span key={t} className="inline-flex items-center gap-1.5">
            <span className={cn("size-2.5 rounded-full", TYPE_META[t].dot)} aria-hidden />
            {TYPE_META[t].label}
          </span>
        ))}
        {ws.canWrite && wide && (
          <span className="sm:ml-auto">Drag a scheduled item to move it; click a day to add content.</span>
        )}
      </div>

      {calendar.isError ? (
        <EmptyState
          icon={CalendarDays}
          title="The calendar could not be loaded"
          description={errorMessage(calendar.error)}
          action={
            <Button variant="outline" onClick={() => calendar.refetch()}>
              Try again
            </Button>
          }
        />
      ) : view === "month" && !wide ? (
        <CalendarAgenda
          days={days.filter((d) => d.slice(0, 7) === anchor.slice(0, 7))}
          byDay={byDay}
          today={today}
          monthLabel={formatDayKey(anchor, { month: "long" })}
          chip={chip}
          loading={calendar.isPending}
        />
      ) : view === "month" ? (
        <MonthGrid {...grid} anchor={anchor} onMore={(day) => setParams({ view: "week", date: day })} />
      ) : (
        <WeekGrid {...grid} timeZone={ws.timeZone} canWrite={ws.canWrite} />
      )}
    </>
  );
}
