"use client";

import { Download } from "lucide-react";
import Link from "next/link";
import { type ReactNode, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { SortHead } from "@/components/ui/sort-head";
import { Table, TableBody, TableCell, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/utils";
import { downloadCsv, toCsv } from "./csv";
import { fmtPct } from "./format";

export interface Column<T> {
  key: string;
  header: string;
  /** The raw value: used to sort and for the CSV. */
  value: (r: T) => string | number | null;
  render?: (r: T) => ReactNode;
  numeric?: boolean;
}

/** A numeric column of a rate (0–1), shown as a percentage. */
export function rateColumn<T>(key: string, header: string, rate: (r: T) => number | null): Column<T> {
  return { key, header, value: rate, numeric: true, render: (r) => fmtPct(rate(r)) };
}

/** The name column of a table of things that have their own page: the name links there. */
export function linkColumn<T>(
  key: string,
  header: string,
  name: (r: T) => string,
  href: (r: T) => string,
): Column<T> {
  return {
    key,
    header,
    value: name,
    render: (r) => (
      <Link href={href(r)} className="hover:underline">
        {name(r)}
      </Link>
    ),
  };
}

/** A sortable table (click a header) with "Export CSV" of exactly the rows shown, in their order. */
export function DataTable<T>({
  rows,
  columns,
  filename,
  caption,
  initialSort,
  testId,
  empty,
}: {
  rows: T[];
  columns: Column<T>[];
  filename: string;
  caption: string;
  initialSort?: { sort: string; direction: "asc" | "desc" };
  testId?: string;
  empty?: ReactNode;
}) {
  const [p, setP] = useState(initialSort ?? { sort: columns[0]!.key, direction: "asc" as "asc" | "desc" });
  const sorted = useMemo(() => {
    const col = columns.find((c) => c.key === p.sort) ?? columns[0]!;
    const dir = p.direction === "asc" ? 1 : -1;
    return [...rows].sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      if (typeof x === "number" && typeof y === "number") return (x - y) * dir;
      const nx = Number(x);
      const ny = Number(y);
      if (col.numeric && !Number.isNaN(nx) && !Number.isNaN(ny)) return (nx - ny) * dir;
      return String(x).localeCompare(String(y)) * dir;
    });
  }, [rows, columns, p]);
  const onSort = (key: string) =>
    setP((cur) => ({
      sort: key,
      direction:
        cur.sort === key
          ? cur.direction === "asc"
            ? "desc"
            : "asc"
          : columns.find((c) => c.key === key)?.numeric
            ? "desc"
            : "asc",
    }));
  return (
    <div className="grid gap-2" data-testid={testId}>
      <div className="flex items-center justify-between gap-2">
        <p className="text-sm font-medium">{caption}</p>
        <Button
          variant="outline"
          size="sm"
          disabled={rows.length === 0}
          onClick={() =>
            downloadCsv(
              filename,
              toCsv(
                sorted,
                columns.map((c) => ({ header: c.header, value: c.value, numeric: c.numeric })),
              ),
            )
          }
          data-testid={testId ? `${testId}-csv` : undefined}
        >
          <Download className="size-4" aria-hidden /> Export CSV
        </Button>
      </div>
      {rows.length === 0 ? (
        <div className="rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground">
          {empty}
        </div>
      ) : (
        <div className="overflow-x-auto rounded-lg border">
          <Table>
            <caption className="sr-only">{caption}</caption>
            <TableHeader>
              <TableRow>
                {columns.map((c) => (
                  <SortHead
                    key={c.key}
                    field={c.key}
                    p={p}
                    onSort={onSort}
                    className={cn(c.numeric && "text-right")}
                  >
                    {c.header}
                  </SortHead>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              {sorted.map((r, i) => (
                <TableRow key={i}>
                  {columns.map((c) => (
                    <TableCell key={c.key} className={cn(c.numeric && "text-right tabular-nums")}>
                      {c.render ? c.render(r) : (c.value(r) ?? "—")}
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </div>
  );
}
