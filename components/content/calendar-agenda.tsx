"use client";

import { CalendarDays, Plus } from "lucide-react";
import Link from "next/link";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { EmptyState } from "@/components/ui/empty-state";
import { Spinner } from "@/components/ui/spinner";
import { cn } from "@/lib/utils";
import type { Chip } from "./calendar-parts";
import type { CalendarItem } from "./content-meta";
import { formatDayKey } from "./zoned-time";

/** The month on a narrow screen: a list of the days that have something. */
export function CalendarAgenda({
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
  chip: Chip;
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
