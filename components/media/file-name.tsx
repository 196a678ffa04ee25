import { cn } from "@/lib/utils";

/** A file name on one line, cut with an ellipsis; the whole name is its tooltip. */
export function FileName({ name, className }: { name: string; className?: string }) {
  return (
    <span className={cn("block truncate font-medium", className)} title={name}>
      {name}
    </span>
  );
}
