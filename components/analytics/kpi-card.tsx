import { ArrowDownRight, ArrowUpRight, Minus } from "lucide-react";
import type { ReactNode } from "react";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { cn } from "@/lib/utils";
import { fmtPct } from "./format";

/** One figure of the period: value, change versus the previous period, what it counts, how fresh. */
export function KpiCard({
  label,
  value,
  delta,
  previous,
  counts,
  freshness,
  testId,
  icon,
}: {
  label: string;
  value: ReactNode;
  /** Relative change (0.12 = +12 %); null = no comparison possible. */
  delta: number | null | undefined;
  previous?: ReactNode;
  counts: string;
  freshness: string;
  testId: string;
  icon?: ReactNode;
}) {
  const Icon =
    delta === null || delta === undefined || delta === 0 ? Minus : delta > 0 ? ArrowUpRight : ArrowDownRight;
  return (
    <Card className="gap-2 py-4" data-testid={testId}>
      <CardHeader className="px-4">
        <CardDescription className="flex items-center gap-2">
          {icon}
          {label}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-1 px-4">
        <p className="text-2xl font-semibold tabular-nums" data-testid={`${testId}-value`}>
          {value}
        </p>
        {delta !== undefined && (
          <p
            className={cn(
              "flex items-center gap-1 text-xs",
              delta === null || delta === 0
                ? "text-muted-foreground"
                : delta > 0
                  ? "text-emerald-700 dark:text-emerald-400"
                  : "text-rose-700 dark:text-rose-400",
            )}
          >
            <Icon className="size-3.5" aria-hidden />
            {delta === null ? "no comparison" : `${delta > 0 ? "+" : ""}${fmtPct(delta)}`}
            {previous !== undefined && <span className="text-muted-foreground">vs {previous}</span>}
          </p>
        )}
        <p className="text-xs text-muted-foreground">{counts}</p>
        <p className="text-xs text-muted-foreground" data-testid={`${testId}-freshness`}>
          {freshness}
        </p>
      </CardContent>
    </Card>
  );
}
