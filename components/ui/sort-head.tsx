import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import type { ReactNode } from "react";
import { TableHead } from "@/components/ui/table";
import { cn } from "@/lib/utils";

/** A sortable column header: click to sort by `field`; shows and announces the current direction. */
export function SortHead<F extends string>({
  field,
  p,
  onSort,
  className,
  children,
}: {
  field: F;
  p: { sort: F; direction: "asc" | "desc" };
  onSort: (f: F) => void;
  className?: string;
  children: ReactNode;
}) {
  const active = p.sort === field;
  const Icon = !active ? ArrowUpDown : p.direction === "asc" ? ArrowUp : ArrowDown;
  return (
    <TableHead
      className={className}
      aria-sort={active ? (p.direction === "asc" ? "ascending" : "descending") : undefined}
    >
      <button
        type="button"
        onClick={() => onSort(field)}
        className={cn(
          "-mx-1 inline-flex items-center gap-1 rounded px-1 hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring/50",
          active && "text-foreground",
        )}
        data-testid={`sort-${field}`}
      >
        {children}
        <Icon className={cn("size-3.5", !active && "opacity-40")} aria-hidden />
      </button>
    </TableHead>
  );
}

/**
 * The URL changes for a click on `field`'s header: sort by it in its natural direction, then the
 * other way, then back to the list's default order.
 */
export function nextSort<F extends string>(
  current: { sort: F; direction: "asc" | "desc" },
  field: F,
  natural: "asc" | "desc",
): { sort?: F; dir?: "asc" | "desc" } {
  if (current.sort !== field) return { sort: field, dir: natural };
  if (current.direction === natural) return { dir: natural === "asc" ? "desc" : "asc" };
  return { sort: undefined, dir: undefined };
}

/** What a sortable list table is given: the sort in the URL, how to change it, and its rows. */
export type SortableTableProps<F extends string, R> = {
  p: { sort: F; direction: "asc" | "desc" };
  onSort: (field: F) => void;
  /** Null while loading. */
  rows: R[] | null;
  busy?: boolean;
};
