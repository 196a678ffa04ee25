"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  AlertCircle,
  CalendarDays,
  CheckCircle2,
  ChevronLeft,
  ChevronRight,
  Clock,
  Inbox,
  List,
  PencilLine,
  Plus,
} from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import {
  type DragEvent,
  type MouseEvent,
  type ReactNode,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from "react";
import { toast } from "sonner";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Spinner } from "@/components/ui/spinner";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { cn, formatDateTime } from "@/lib/utils";
import { type CalendarItem, CONTENT_TYPE_LIST, STATUS_LABEL, TYPE_META } from "./content-meta";
import { NewContentMenu } from "./new-content-menu";
import {
  addDaysToKey,
  addMonthsToKey,
  dayKey,
  formatDayKey,
  formatTime,
  parseDayKey,
  startOfDayInstant,
  startOfMonthKey,
  startOfWeekKey,
  timeKey,
  todayKey,
  weekdayOfKey,
  zonedInstant,
  zoneLabel,
} from "./zoned-time";

type View = "month" | "week";
const DRAG_TYPE = "application/x-organic-content";
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const HOURS = Array.from({ length: 24 }, (_, h) => h);
const MAX_IN_CELL = 3;

function useMediaQuery(query: string, serverValue: boolean): boolean {
  return useSyncExternalStore(
    (cb) => {
      const mql = window.matchMedia(query);
      mql.addEventListener("change", cb);
      return () => mql.removeEventListener("change", cb);
    },
    () => window.matchMedia(query).matches,
    () => serverValue,
  );
}

/** When an item sits on the calendar: its publish time if published, else its scheduled time. */
function whenOf(item: CalendarItem): Date | null {
  const at = item.publishedAt ?? item.scheduledAt;
  return at ? new Date(at) : null;
}

function canDrag(item: CalendarItem) {
  return item.status === "scheduled" || item.status === "failed";
}

function StatusIcon({ status }: { status: CalendarItem["status"] }) {
  const label = STATUS_LABEL[status];
  switch (status) {
    case "published":
      return <CheckCircle2 className="size-3 shrink-0 text-success" aria-label={label} />;
    case "failed":
      return <AlertCircle className="size-3 shrink-0 text-destructive" aria-label={label} />;
    case "sent_to_inbox":
      return <Inbox className="size-3 shrink-0 text-pink-600 dark:text-pink-300" aria-label={label} />;
    case "publishing":
      return <Spinner className="size-3 shrink-0" aria-label={label} />;
    case "draft":
      return <PencilLine className="size-3 shrink-0 text-muted-foreground" aria-label={label} />;
    default:
      return <Clock className="size-3 shrink-0 text-muted-foreground" aria-label={label} />;
  }
}

export function ContentCalendar() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const queryClient = useQueryClient();
  const wide = useMediaQuery("(min-width: 768px)", true);

  const today = todayKey(ws.timeZone);
  const view: View = params.get("view") === "week" ? "week" : "month";
  const anchor = parseDayKey(params.get("date") ?? "") ? (params.get("date") as string) : today;

  const setParams = (next: { view?: View; date?: string }) => {
    const sp = new URLSearchParams(params.toString());
    if (next.view) sp.set("view", next.view);
    if (next.date) sp.set("date", next.date);
    router.replace(`${pathname}?${sp.toString()}`, { scroll: false });
  };

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
  const queryOptions = trpc.content.calendar.queryOptions(input);
  const calendar = useQuery({ ...queryOptions, placeholderData: keepPreviousData });

  const byDay = useMemo(() => {
    const map = new Map<string, CalendarItem[]>();
    for (const item of calendar.data ?? []) {
      const at = whenOf(item);
      if (!at) continue;
      const key = dayKey(at, ws.timeZone);
      map.set(key, [...(map.get(key) ?? []), item]);
    }
    for (const list of map.values()) list.sort((a, b) => whenOf(a)!.getTime() - whenOf(b)!.getTime());
    return map;
  }, [calendar.data, ws.timeZone]);

  const reschedule = useMutation(
    trpc.content.schedule.mutationOptions({
      onMutate: async ({ id, scheduledAt }) => {
        await queryClient.cancelQueries({ queryKey: queryOptions.queryKey });
        const previous = queryClient.getQueryData(queryOptions.queryKey);
        queryClient.setQueryData(queryOptions.queryKey, (old) =>
          old?.map((i) => (i.id === id ? { ...i, scheduledAt, status: "scheduled" as const } : i)),
        );
        return { previous };
      },
      onError: (err, _vars, context) => {
        if (context?.previous) queryClient.setQueryData(queryOptions.queryKey, context.previous);
        toast.error("Could not move it", { description: errorMessage(err) });
      },
      onSuccess: (row) => {
        toast.success(`Moved “${row.title}”`, {
          description: `Now publishes ${formatDateTime(row.scheduledAt ?? new Date(), ws.timeZone)}`,
        });
      },
      onSettled: () => {
        for (const queryKey of [
          trpc.content.calendar.queryKey(),
          trpc.content.list.queryKey(),
          trpc.content.get.queryKey(),
        ])
          void queryClient.invalidateQueries({ queryKey });
      },
    }),
  );

  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);

  const moveTo = (id: string, targetDay: string, hour?: number) => {
    const item = calendar.data?.find((i) => i.id === id);
    const from = item ? whenOf(item) : null;
    if (!item || !from) return;
    if (!canDrag(item)) {
      toast.error(
        item.status === "sent_to_inbox"
          ? "An item sent to the TikTok inbox cannot be moved"
          : `A ${STATUS_LABEL[item.status].toLowerCase()} item cannot be moved`,
      );
      return;
    }
    // Month view keeps the time of day; the week view takes the hour of the slot (and keeps minutes).
    const [hh, mm] = timeKey(from, ws.timeZone).split(":");
    const time = hour === undefined ? `${hh}:${mm}` : `${String(hour).padStart(2, "0")}:${mm}`;
    const at = zonedInstant(targetDay, time, ws.timeZone);
    if (!at || at.getTime() === from.getTime()) return;
    if (at.getTime() <= Date.now()) {
      toast.error("That time has passed", { description: "Drop it on a day and time in the future." });
      return;
    }
    reschedule.mutate({ workspaceId: ws.id, id, scheduledAt: at });
  };

  const dropHandlers = (target: string, day: string, hour?: number) =>
    ws.canWrite
      ? {
          onDragOver: (e: DragEvent) => {
            if (!dragging && !e.dataTransfer.types.includes(DRAG_TYPE)) return;
            e.preventDefault();
            e.dataTransfer.dropEffect = "move";
            if (over !== target) setOver(target);
          },
          onDragLeave: (e: DragEvent) => {
            if (!(e.currentTarget as Node).contains(e.relatedTarget as Node | null)) setOver(null);
          },
          onDrop: (e: DragEvent) => {
            e.preventDefault();
            const id = e.dataTransfer.getData(DRAG_TYPE) || dragging;
            setOver(null);
            setDragging(null);
            if (id) moveTo(id, day, hour);
          },
        }
      : {};

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

  const chip = (item: CalendarItem, compact = false) => {
    const meta = TYPE_META[item.type];
    const at = whenOf(item)!;
    const draggable = ws.canWrite && canDrag(item);
    return (
      <Link
        key={item.id}
        href={`/${ws.slug}/content/${item.id}`}
        draggable={draggable}
        onDragStart={(e) => {
          if (!draggable) return e.preventDefault();
          e.dataTransfer.setData(DRAG_TYPE, item.id);
          e.dataTransfer.setData("text/plain", item.title);
          e.dataTransfer.effectAllowed = "move";
          setDragging(item.id);
        }}
        onDragEnd={() => {
          setDragging(null);
          setOver(null);
        }}
        title={`${item.title} — ${TYPE_META[item.type].label}, ${item.status === "sent_to_inbox" ? STATUS_LABEL[item.status] : STATUS_LABEL[item.status].toLowerCase()}, ${formatDateTime(at, ws.timeZone)}`}
        className={cn(
          "flex min-w-0 items-center gap-1 rounded-sm border-l-[3px] px-1.5 py-0.5 text-xs transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring/50",
          meta.chip,
          draggable ? "cursor-grab active:cursor-grabbing" : "cursor-pointer",
          item.status === "published" && "opacity-75",
          dragging === item.id && "opacity-40",
        )}
        data-testid={`calendar-item-${item.id}`}
        data-status={item.status}
        data-type={item.type}
      >
        <StatusIcon status={item.status} />
        {!compact && (
          <span className="shrink-0 text-muted-foreground tabular-nums">{formatTime(at, ws.timeZone)}</span>
        )}
        <span className="truncate font-medium">{item.title}</span>
      </Link>
    );
  };

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
            <Button variant="outline" asChild>
              <Link href={`/${ws.slug}/content`}>
                <List aria-hidden />
                List
              </Link>
            </Button>
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
        <Agenda
          days={days.filter((d) => d.slice(0, 7) === anchor.slice(0, 7))}
          byDay={byDay}
          today={today}
          monthLabel={formatDayKey(anchor, { month: "long" })}
          chip={chip}
          loading={calendar.isPending}
        />
      ) : view === "month" ? (
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
                      onClick={() => setParams({ view: "week", date: day })}
                    >
                      +{items.length - MAX_IN_CELL} more
                    </button>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      ) : (
        <WeekGrid
          days={days}
          today={today}
          byDay={byDay}
          timeZone={ws.timeZone}
          canWrite={ws.canWrite}
          over={over}
          chip={chip}
          dropHandlers={dropHandlers}
          onCellClick={onCellClick}
        />
      )}
    </>
  );
}

function WeekGrid({
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
  chip: (item: CalendarItem, compact?: boolean) => ReactNode;
  dropHandlers: (target: string, day: string, hour?: number) => Record<string, unknown>;
  onCellClick: (day: string, hour?: number) => (e: MouseEvent) => void;
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

function Agenda({
  days,
  byDay,
  today,
  monthLabel,
  chip,
  loading,
}: {
  days: string[];
  byDay: Map<string, CalendarItem[]>;
  today: string;
  monthLabel: string;
  chip: (item: CalendarItem, compact?: boolean) => ReactNode;
  loading: boolean;
}) {
  const ws = useWorkspace();
  const withItems = days.filter((d) => (byDay.get(d) ?? []).length > 0);
  if (loading) {
    return (
      <div className="flex justify-center py-10" data-testid="calendar" data-view="agenda">
        <Spinner />
      </div>
    );
  }
  if (withItems.length === 0) {
    return (
      <div data-testid="calendar" data-view="agenda">
        <EmptyState
          icon={CalendarDays}
          title={`Nothing scheduled in ${monthLabel}`}
          description={ws.canWrite ? "Create content and schedule it — it shows up here." : undefined}
        />
      </div>
    );
  }
  return (
    <ol className="grid gap-4" data-testid="calendar" data-view="agenda">
      {withItems.map((day) => (
        <li key={day} data-testid={`calendar-day-${day}`}>
          <div className="mb-1.5 flex items-center justify-between gap-2">
            <h3 className={cn("font-medium text-sm", day === today && "text-primary")}>
              {formatDayKey(day, { weekday: "short", month: "short", day: "numeric" })}
              {day === today && " · Today"}
            </h3>
            {ws.canWrite && day >= today && (
              <Link
                href={`/${ws.slug}/content/new?date=${day}`}
                className="inline-flex items-center gap-1 text-muted-foreground text-xs hover:text-foreground"
              >
                <Plus className="size-3.5" aria-hidden />
                Add
              </Link>
            )}
          </div>
          <div className="grid gap-1 [&>a]:py-1.5 [&>a]:text-sm">
            {(byDay.get(day) ?? []).map((item) => chip(item))}
          </div>
        </li>
      ))}
    </ol>
  );
}
