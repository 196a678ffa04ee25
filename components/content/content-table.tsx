"use client";

import Link from "next/link";
import { AwaitingBadge, usePendingApprovals } from "@/components/approvals/approvals-link";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { HiddenHead, type SkeletonCell, SkeletonRows } from "@/components/ui/data-table-parts";
import { type SortableTableProps, SortHead } from "@/components/ui/sort-head";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { CONTENT_SORT_FIELDS } from "@/lib/enums";
import { cn, formatDateTime } from "@/lib/utils";
import { AiBadge, type ContentListRow, readMeta, StatusBadge, TYPE_META } from "./content-meta";
import { RowActions } from "./content-row-actions";
import { groupByVideo } from "./group-rows";
import { PlatformIcon, PlatformStatusChip } from "./platform-group";

type SortField = (typeof CONTENT_SORT_FIELDS)[number];

const METRIC_HEAD = "hidden px-1.5 text-right text-xs lg:table-cell";

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const money = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** The content table: sortable headers, then the rows (or skeleton rows while the list loads). */
export function ContentTable({ p, onSort, rows, busy }: SortableTableProps<SortField, ContentListRow>) {
  const ws = useWorkspace();
  return (
    <div className="rounded-lg border">
      <Table data-testid="content-table" aria-busy={busy}>
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <HiddenHead label="Type" className="w-10 pl-3" />
            <SortHead field="title" p={p} onSort={onSort}>
              Title
            </SortHead>
            <TableHead className="hidden lg:table-cell">Status</TableHead>
            <SortHead field="scheduledAt" p={p} onSort={onSort} className="hidden md:table-cell">
              When
            </SortHead>
            <SortHead field="views" p={p} onSort={onSort} className={METRIC_HEAD}>
              Views
            </SortHead>
            {["Likes", "Shares", "Saves", "Clicks"].map((label) => (
              <TableHead key={label} className={METRIC_HEAD}>
                {label}
              </TableHead>
            ))}
            <TableHead className={METRIC_HEAD} title="Conversions">
              Conv.
            </TableHead>
            <SortHead field="revenue" p={p} onSort={onSort} className={METRIC_HEAD}>
              Revenue
            </SortHead>
            {ws.canWrite && <HiddenHead label="Actions" className="w-10" />}
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows === null ? (
            <SkeletonRows
              count={6}
              cells={ws.canWrite ? [...SKELETON_CELLS, { bars: [] }] : SKELETON_CELLS}
            />
          ) : (
            groupByVideo(rows).map(({ lead, members }) => (
              <ContentRow key={lead.id} row={lead} members={members} />
            ))
          )}
        </TableBody>
      </Table>
    </div>
  );
}

/** Loading rows shaped like ContentRow: type icon, title over a subline, status, when, the seven figures. */
const SKELETON_CELLS: SkeletonCell[] = [
  { className: "pl-3", bars: ["size-7"] },
  { bars: ["h-4 w-48", "mt-1.5 h-3 w-24"] },
  { className: "hidden lg:table-cell", bars: ["h-5 w-20"] },
  { className: "hidden md:table-cell", bars: ["h-4 w-32"] },
  ...Array.from({ length: 7 }, () => ({ className: "hidden lg:table-cell", bars: ["ml-auto h-4 w-8"] })),
];

function When({ row, timeZone, stacked }: { row: ContentListRow; timeZone: string; stacked?: boolean }) {
  const [label, at] = row.publishedAt
    ? ["Published", row.publishedAt]
    : row.scheduledAt
      ? [
          row.status === "failed" ? "Was due" : row.status === "sent_to_inbox" ? "Sent" : "Scheduled",
          row.scheduledAt,
        ]
      : ["Not scheduled", null];
  return (
    <span className={stacked ? "grid" : undefined}>
      <span className={cn("text-muted-foreground", stacked && "text-xs")}>
        {label}
        {at && !stacked && " "}
      </span>
      {at && formatDateTime(at, timeZone)}
    </span>
  );
}

/** The figures of a row: one item's, or the sum over a group's platforms. */
function sumMetrics(members: ContentListRow[]) {
  const keys = ["views", "likes", "shares", "saves", "clicks", "conversions"] as const;
  const sum = Object.fromEntries(keys.map((k) => [k, members.reduce((n, r) => n + r.metrics[k], 0)]));
  const revenue = members.reduce((n, r) => n + Number(r.metrics.revenue), 0);
  return { ...(sum as Record<(typeof keys)[number], number>), revenue };
}

/** A group's platforms, each with its status, linking to its editor. */
function GroupChips({ members }: { members: ContentListRow[] }) {
  const ws = useWorkspace();
  return (
    <div className="flex flex-wrap gap-1.5" data-testid="group-chips">
      {members.map((r) => (
        <PlatformStatusChip key={r.id} item={r} href={`/${ws.slug}/content/${r.id}`} />
      ))}
    </div>
  );
}

/** One row per item, or per video posted to several platforms (`members`, the lead first). */
function ContentRow({ row, members }: { row: ContentListRow; members: ContentListRow[] }) {
  const ws = useWorkspace();
  const awaiting = usePendingApprovals("content").has(row.id);
  const meta = readMeta(row.metadata);
  const grouped = members.length > 1;
  const m = sumMetrics(members);
  const revenue = m.revenue;
  const href = `/${ws.slug}/content/${row.id}`;
  const TypeIcon = TYPE_META[row.type].icon;
  return (
    <TableRow data-testid={`content-row-${row.id}`} data-group={grouped ? row.groupId : undefined}>
      <TableCell className="pl-3">
        {grouped ? (
          <span className="-space-y-1 flex flex-col" data-testid="group-icons">
            {members.map((r) => (
              <PlatformIcon key={r.id} type={r.type} className="size-5 bg-background [&>svg]:size-3" />
            ))}
          </span>
        ) : (
          <span
            className={cn(
              "flex size-7 items-center justify-center rounded-md border",
              TYPE_META[row.type].badge,
            )}
            title={TYPE_META[row.type].label}
            data-type={row.type}
          >
            <TypeIcon className="size-3.5" aria-hidden />
            <span className="sr-only">{TYPE_META[row.type].label}</span>
          </span>
        )}
      </TableCell>
      <TableCell className="max-w-[12rem] whitespace-normal sm:max-w-xs lg:max-w-[15rem] xl:max-w-[17rem]">
        <div className="flex items-center gap-2">
          <Link href={href} className="truncate font-medium hover:underline" title={row.title}>
            {row.title}
          </Link>
          {awaiting && <AwaitingBadge />}
        </div>
        <p
          className={cn(
            "mt-0.5 items-center gap-1.5 text-muted-foreground text-xs",
            meta.aiGenerated ? "flex" : "hidden lg:flex",
          )}
        >
          {meta.aiGenerated && <AiBadge className="px-1.5 py-0 text-[11px]" />}
          <span className="hidden truncate lg:inline">
            {grouped ? `One video on ${members.length} platforms` : TYPE_META[row.type].noun} · by{" "}
            {row.author?.name || row.author?.email || "a former member"}
          </span>
        </p>
        {row.status === "failed" && meta.errorMessage && (
          <p
            className="mt-0.5 line-clamp-2 text-destructive text-xs"
            title={meta.errorMessage}
            data-testid="row-publish-error"
          >
            {meta.errorMessage}
          </p>
        )}
        {row.status === "sent_to_inbox" && (
          <p className="mt-0.5 text-muted-foreground text-xs">Finish posting it in the TikTok app.</p>
        )}
        {/* On narrow screens the columns fold into this line. */}
        <div className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-muted-foreground text-xs lg:hidden">
          {grouped ? (
            <GroupChips members={members} />
          ) : (
            <StatusBadge status={row.status} title={meta.errorMessage ?? undefined} />
          )}
          <span className="md:hidden">
            <When row={row} timeZone={ws.timeZone} />
          </span>
          <span className="tabular-nums">
            {row.author?.name ? `by ${row.author.name} · ` : ""}
            {compact.format(m.views)} views · {compact.format(m.likes)} likes · {money.format(revenue)}{" "}
            revenue
          </span>
        </div>
      </TableCell>
      <TableCell className="hidden lg:table-cell">
        {grouped ? (
          <GroupChips members={members} />
        ) : (
          <StatusBadge
            status={row.status}
            title={row.status === "failed" ? (meta.errorMessage ?? undefined) : undefined}
          />
        )}
      </TableCell>
      <TableCell className="hidden text-sm md:table-cell">
        <When row={row} timeZone={ws.timeZone} stacked />
      </TableCell>
      <Metric value={m.views} />
      <Metric value={m.likes} />
      <Metric value={m.shares} />
      <Metric value={m.saves} />
      <Metric value={m.clicks} />
      <Metric value={m.conversions} />
      <TableCell className="hidden px-1.5 text-right tabular-nums lg:table-cell">
        {money.format(revenue)}
      </TableCell>
      {ws.canWrite && (
        <TableCell className="pr-2">
          <RowActions row={row} />
        </TableCell>
      )}
    </TableRow>
  );
}

function Metric({ value }: { value: number }) {
  return (
    <TableCell
      className="hidden px-1.5 text-right tabular-nums lg:table-cell"
      title={value.toLocaleString("en-US")}
    >
      {compact.format(value)}
    </TableCell>
  );
}
