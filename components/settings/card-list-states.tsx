"use client";

import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage } from "@/lib/trpc/client";
import { cn } from "@/lib/utils";

/**
 * A settings card's list: its error, skeleton rows while it loads, an empty state, or `children`
 * given the loaded rows.
 */
export function CardListStates<T>({
  query,
  skeletonRows,
  icon,
  emptyTitle,
  emptyDescription,
  children,
}: {
  query: { isError: boolean; error: unknown; data: T[] | undefined };
  skeletonRows: number;
  icon: LucideIcon;
  emptyTitle: string;
  emptyDescription: string;
  children: (rows: T[]) => ReactNode;
}) {
  if (query.isError) {
    return (
      <p role="alert" className="mx-6 text-destructive text-sm sm:mx-0">
        {errorMessage(query.error)}
      </p>
    );
  }
  if (!query.data) {
    return (
      <div className="grid gap-2 px-6 sm:px-0">
        {Array.from({ length: skeletonRows }, (_, i) => (
          <Skeleton key={i} className="h-10" />
        ))}
      </div>
    );
  }
  if (query.data.length === 0) {
    return (
      <EmptyState className="mx-6 sm:mx-0" icon={icon} title={emptyTitle} description={emptyDescription} />
    );
  }
  return children(query.data);
}

/** A settings card's "could not load": the error and a Try again button. */
export function CardLoadError({
  query,
  className = "mx-6 sm:mx-0",
}: {
  query: { error: unknown; refetch: () => unknown };
  className?: string;
}) {
  return (
    <div role="alert" className={cn("flex flex-col items-start gap-3 text-sm", className)}>
      <p className="text-destructive">{errorMessage(query.error)}</p>
      <Button variant="outline" size="sm" onClick={() => query.refetch()}>
        Try again
      </Button>
    </div>
  );
}
