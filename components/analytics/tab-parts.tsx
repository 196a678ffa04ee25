/** Pieces every analytics tab uses: loading state, stat tiles, sections, "vs previous" text. */
import type { inferRouterOutputs } from "@trpc/server";
import type { ReactNode } from "react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage } from "@/lib/trpc/client";
import type { AppRouter } from "@/server/api/root";
import { ago, change, fmtInt, fmtPct } from "./format";

/** The report type each tab renders (tRPC output). */
export type Out = inferRouterOutputs<AppRouter>["analytics"];

export function Loading({ error }: { error: unknown }) {
  if (error)
    return (
      <p role="alert" className="rounded-lg border border-destructive/40 p-3 text-sm text-destructive">
        {errorMessage(error)}
      </p>
    );
  return (
    <div className="grid gap-4">
      <Skeleton className="h-24" />
      <Skeleton className="h-64" />
    </div>
  );
}

export function Stat({
  label,
  value,
  prev,
  hint,
  testId,
}: {
  label: string;
  value: ReactNode;
  prev?: string;
  hint?: string;
  testId?: string;
}) {
  return (
    <div className="rounded-lg border p-3" data-testid={testId}>
      <p className="text-xs text-muted-foreground">{label}</p>
      <p className="text-xl font-semibold tabular-nums" data-testid={testId && `${testId}-value`}>
        {value}
      </p>
      {prev && <p className="text-xs text-muted-foreground">{prev}</p>}
      {hint && <p className="text-xs text-muted-foreground">{hint}</p>}
    </div>
  );
}

export const vs = (
  value: number,
  previous: number | null | undefined,
  fmt: (n: number) => string = fmtInt,
) => {
  if (previous === null || previous === undefined) return undefined;
  const c = change(value, previous);
  return `${c === null ? "new" : `${c > 0 ? "+" : ""}${fmtPct(c)}`} vs ${fmt(previous)}`;
};

export function Fresh({ at, what }: { at: string | null; what: string }) {
  const a = ago(at);
  return (
    <span className="text-xs text-muted-foreground">
      {a ? `${what} ${a}` : `No ${what.toLowerCase()} yet`}
    </span>
  );
}

export function Section({
  title,
  description,
  children,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        {description && <CardDescription>{description}</CardDescription>}
      </CardHeader>
      <CardContent>{children}</CardContent>
    </Card>
  );
}
