"use client";

import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Checkbox } from "@/components/ui/checkbox";
import { Skeleton } from "@/components/ui/skeleton";
import { type SortableTableProps, SortHead } from "@/components/ui/sort-head";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { LEAD_SORT_FIELDS } from "@/lib/enums";
import { formatDateTime } from "@/lib/utils";
import type { AppRouter } from "@/server/api/root";
import { LeadStatusBadge } from "./lead-meta";

type SortField = (typeof LEAD_SORT_FIELDS)[number];

export type LeadRow = inferRouterOutputs<AppRouter>["leads"]["list"]["items"][number];

/** The leads table: selection boxes (for writers), sortable headers, rows or skeleton rows while loading. */
export function LeadsTable({
  p,
  onSort,
  rows,
  busy,
  selected,
  allChecked,
  toggle,
  toggleAll,
}: SortableTableProps<SortField, LeadRow> & {
  selected: Set<string>;
  allChecked: boolean;
  toggle: (id: string) => void;
  toggleAll: () => void;
}) {
  const ws = useWorkspace();
  return (
    <div className="rounded-lg border">
      <Table data-testid="leads-table" aria-busy={busy}>
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            {ws.canWrite && (
              <TableHead className="w-10 pl-3">
                <Checkbox
                  checked={allChecked ? true : selected.size > 0 ? "indeterminate" : false}
                  onCheckedChange={toggleAll}
                  aria-label="Select all leads on this page"
                  data-testid="bulk-select-all"
                />
              </TableHead>
            )}
            <SortHead field="email" p={p} onSort={onSort}>
              Email
            </SortHead>
            <SortHead field="name" p={p} onSort={onSort} className="hidden md:table-cell">
              Name
            </SortHead>
            <TableHead className="hidden sm:table-cell">Status</TableHead>
            <TableHead className="hidden lg:table-cell">Tags</TableHead>
            <TableHead className="hidden lg:table-cell">Source</TableHead>
            <SortHead field="createdAt" p={p} onSort={onSort} className="hidden md:table-cell">
              Added
            </SortHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows === null
            ? Array.from({ length: 8 }, (_, i) => (
                <TableRow key={i}>
                  {ws.canWrite && (
                    <TableCell className="pl-3">
                      <Skeleton className="size-4" />
                    </TableCell>
                  )}
                  <TableCell>
                    <Skeleton className="h-4 w-48" />
                  </TableCell>
                  <TableCell className="hidden md:table-cell">
                    <Skeleton className="h-4 w-28" />
                  </TableCell>
                  <TableCell className="hidden sm:table-cell">
                    <Skeleton className="h-5 w-16" />
                  </TableCell>
                  <TableCell className="hidden lg:table-cell">
                    <Skeleton className="h-5 w-24" />
                  </TableCell>
                  <TableCell className="hidden lg:table-cell">
                    <Skeleton className="h-4 w-16" />
                  </TableCell>
                  <TableCell className="hidden md:table-cell">
                    <Skeleton className="h-4 w-28" />
                  </TableCell>
                </TableRow>
              ))
            : rows.map((lead) => (
                <TableRow
                  key={lead.id}
                  data-testid={`lead-row-${lead.email}`}
                  data-state={selected.has(lead.id) ? "selected" : undefined}
                >
                  {ws.canWrite && (
                    <TableCell className="pl-3">
                      <Checkbox
                        checked={selected.has(lead.id)}
                        onCheckedChange={() => toggle(lead.id)}
                        aria-label={`Select ${lead.email}`}
                      />
                    </TableCell>
                  )}
                  <TableCell className="max-w-[14rem] sm:max-w-xs">
                    <Link
                      href={`/${ws.slug}/leads/${lead.id}`}
                      className="block truncate font-medium hover:underline"
                      title={lead.email}
                    >
                      {lead.email}
                    </Link>
                    <div className="mt-0.5 flex flex-wrap items-center gap-1.5 text-muted-foreground text-xs md:hidden">
                      {lead.name && <span className="truncate">{lead.name}</span>}
                      <span className="sm:hidden">
                        <LeadStatusBadge status={lead.status} />
                      </span>
                    </div>
                  </TableCell>
                  <TableCell className="hidden max-w-[12rem] truncate md:table-cell">
                    {lead.name ?? <span className="text-muted-foreground">—</span>}
                  </TableCell>
                  <TableCell className="hidden sm:table-cell">
                    <LeadStatusBadge status={lead.status} />
                  </TableCell>
                  <TableCell className="hidden lg:table-cell">
                    <div
                      className="flex max-w-[18rem] items-center gap-1 overflow-hidden"
                      title={lead.tags.join(", ")}
                    >
                      {lead.tags.slice(0, 2).map((t) => (
                        <Badge key={t} variant="outline" className="max-w-[8rem] truncate font-normal">
                          {t}
                        </Badge>
                      ))}
                      {lead.tags.length > 2 && (
                        <span className="shrink-0 text-muted-foreground text-xs">
                          +{lead.tags.length - 2}
                        </span>
                      )}
                    </div>
                  </TableCell>
                  <TableCell className="hidden text-muted-foreground lg:table-cell">
                    {lead.source ?? "—"}
                  </TableCell>
                  <TableCell className="hidden text-muted-foreground text-sm md:table-cell">
                    {formatDateTime(lead.createdAt, ws.timeZone)}
                  </TableCell>
                </TableRow>
              ))}
        </TableBody>
      </Table>
    </div>
  );
}
