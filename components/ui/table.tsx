import type * as React from "react";
import { slotted } from "@/components/ui/slotted";
import { cn } from "@/lib/utils";

function Table({ className, ...props }: React.ComponentProps<"table">) {
  return (
    // Focusable, so a table wider than a phone can be scrolled from the keyboard.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus (WCAG 2.1.1)
    <div data-slot="table-container" tabIndex={0} className="relative w-full overflow-x-auto">
      <table data-slot="table" className={cn("w-full caption-bottom text-sm", className)} {...props} />
    </div>
  );
}

const TableHeader = slotted("thead", "table-header", "[&_tr]:border-b");

const TableBody = slotted("tbody", "table-body", "[&_tr:last-child]:border-0");

const TableFooter = slotted(
  "tfoot",
  "table-footer",
  "border-t bg-muted/50 font-medium [&>tr]:last:border-b-0",
);

const TableRow = slotted(
  "tr",
  "table-row",
  "border-b transition-colors hover:bg-muted/50 data-[state=selected]:bg-muted",
);

/** Cells keep a checkbox flush with the row's other content. */
const checkboxCellClassName = "[&:has([role=checkbox])]:pr-0 [&>[role=checkbox]]:translate-y-[2px]";

const TableHead = slotted(
  "th",
  "table-head",
  cn(
    "h-10 whitespace-nowrap px-2 text-left align-middle font-medium text-muted-foreground",
    checkboxCellClassName,
  ),
);

const TableCell = slotted(
  "td",
  "table-cell",
  cn("whitespace-nowrap p-2 align-middle", checkboxCellClassName),
);

const TableCaption = slotted("caption", "table-caption", "mt-4 text-muted-foreground text-sm");

export { Table, TableBody, TableCaption, TableCell, TableFooter, TableHead, TableHeader, TableRow };
