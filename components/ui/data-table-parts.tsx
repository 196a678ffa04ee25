import type { ReactNode } from "react";
import { Skeleton } from "@/components/ui/skeleton";
import { TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

/** A column of a plain (not sortable) table header. */
export type HeadColumn = { label: ReactNode; className?: string; title?: string };

/** A table's header row from its column list. */
export function TableHeadRow({ columns, className }: { columns: readonly HeadColumn[]; className?: string }) {
  return (
    <TableHeader>
      <TableRow className={className}>
        {columns.map((c, i) => (
          <TableHead key={i} className={c.className} title={c.title}>
            {c.label}
          </TableHead>
        ))}
      </TableRow>
    </TableHeader>
  );
}

/** One cell of a loading row: its class and the classes of the grey bars stacked in it. */
export type SkeletonCell = { className?: string; bars: readonly string[] };

/** `count` placeholder rows shaped like the table's real rows, while its data loads. */
export function SkeletonRows({ count, cells }: { count: number; cells: readonly SkeletonCell[] }) {
  return Array.from({ length: count }, (_, row) => (
    <TableRow key={row}>
      {cells.map((cell, i) => (
        <TableCell key={i} className={cell.className}>
          {cell.bars.map((bar, j) => (
            <Skeleton key={j} className={bar} />
          ))}
        </TableCell>
      ))}
    </TableRow>
  ));
}

/** A list's loading placeholder before its table is drawn: `count` full-width bars. */
export function BarsSkeleton({ count }: { count: number }) {
  return (
    <div className="grid gap-2" aria-busy="true">
      {Array.from({ length: count }, (_, i) => (
        <Skeleton key={i} className="h-10 w-full" />
      ))}
    </div>
  );
}

/** A header cell only screen readers read: the column of an icon or of row actions. */
export function HiddenHead({ label, className }: { label: string; className?: string }) {
  return (
    <TableHead className={className}>
      <span className="sr-only">{label}</span>
    </TableHead>
  );
}
