"use client";
import { AlertCircle, CheckCircle2, Clock, Inbox, PencilLine } from "lucide-react";
import Link from "next/link";
import { type MouseEvent, type ReactNode, useSyncExternalStore } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Spinner } from "@/components/ui/spinner";
import { cn, formatDateTime } from "@/lib/utils";
import { type CalendarItem, STATUS_LABEL, TYPE_META } from "./content-meta";
import { formatTime } from "./zoned-time";

export type View = "month" | "week";
export const DRAG_TYPE = "application/x-organic-content";
export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
export const HOURS = Array.from({ length: 24 }, (_, h) => h);
export const MAX_IN_CELL = 3;

export type DropHandlers = (target: string, day: string, hour?: number) => Record<string, unknown>;
export type CellClick = (day: string, hour?: number) => (e: MouseEvent) => void;
export type Chip = (item: CalendarItem, compact?: boolean) => ReactNode;

export function useMediaQuery(query: string, serverValue: boolean): boolean {
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
export function whenOf(item: CalendarItem): Date | null {
  const at = item.publishedAt ?? item.scheduledAt;
  return at ? new Date(at) : null;
}

export function canDrag(item: CalendarItem) {
  return item.status === "scheduled" || item.status === "failed";
}

export function StatusIcon({ status }: { status: CalendarItem["status"] }) {
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

/** A video posted to several platforms: each platform's icon beside its status. */
function GroupIcons({ members }: { members: CalendarItem[] }) {
  return (
    <span className="flex shrink-0 items-center gap-1" data-testid="calendar-group-icons">
      {members.map((m) => {
        const Icon = TYPE_META[m.type].icon;
        return (
          <span key={m.id} className="flex items-center" data-type={m.type} data-status={m.status}>
            <Icon className="size-3 shrink-0" aria-label={TYPE_META[m.type].label} />
            <StatusIcon status={m.status} />
          </span>
        );
      })}
    </span>
  );
}

/**
 * An item on the calendar: a link to its editor, draggable when it can be moved. A video posted to
 * several platforms (`members`, the lead first) is one entry: it opens the lead and is not dragged,
 * as its posts may be staggered.
 */
export function CalendarChip({
  item,
  members = [item],
  compact,
  dragging,
  onDragChange,
}: {
  item: CalendarItem;
  members?: CalendarItem[];
  compact?: boolean;
  /** The id of the item being dragged. */
  dragging: string | null;
  onDragChange: (id: string | null) => void;
}) {
  const ws = useWorkspace();
  const meta = TYPE_META[item.type];
  const at = whenOf(item)!;
  const grouped = members.length > 1;
  const draggable = ws.canWrite && canDrag(item) && !grouped;
  return (
    <Link
      href={`/${ws.slug}/content/${item.id}`}
      draggable={draggable}
      onDragStart={(e) => {
        if (!draggable) return e.preventDefault();
        e.dataTransfer.setData(DRAG_TYPE, item.id);
        e.dataTransfer.setData("text/plain", item.title);
        e.dataTransfer.effectAllowed = "move";
        onDragChange(item.id);
      }}
      onDragEnd={() => onDragChange(null)}
      title={`${item.title} — ${members
        .map(
          (m) =>
            `${TYPE_META[m.type].label}, ${m.status === "sent_to_inbox" ? STATUS_LABEL[m.status] : STATUS_LABEL[m.status].toLowerCase()}, ${formatDateTime(whenOf(m) ?? at, ws.timeZone)}`,
        )
        .join("; ")}`}
      className={cn(
        "flex min-w-0 items-center gap-1 rounded-sm border-l-[3px] px-1.5 py-0.5 text-xs transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring/50",
        grouped ? "border-l-primary bg-primary/10 hover:bg-primary/20" : meta.chip,
        draggable ? "cursor-grab active:cursor-grabbing" : "cursor-pointer",
        item.status === "published" && "opacity-75",
        dragging === item.id && "opacity-40",
      )}
      data-testid={`calendar-item-${item.id}`}
      data-status={item.status}
      data-type={item.type}
      data-group={grouped ? item.groupId : undefined}
    >
      {grouped ? <GroupIcons members={members} /> : <StatusIcon status={item.status} />}
      {!compact && (
        <span className="shrink-0 text-foreground/80 tabular-nums">{formatTime(at, ws.timeZone)}</span>
      )}
      <span className="truncate font-medium">{item.title}</span>
    </Link>
  );
}
