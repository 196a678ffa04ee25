"use client";

import { type LucideIcon, Search } from "lucide-react";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { errorMessage } from "@/lib/trpc/client";

export interface ListQueryState {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
}

/**
 * The states of a list page around its table: loading (the list's own skeleton), could not load
 * (with Try again), nothing yet, and nothing matching the filters (with Clear filters). Renders
 * `children` once there are rows.
 */
export function ListStates({
  query,
  isEmpty,
  filtered,
  icon,
  loading,
  errorTitle,
  empty,
  noResults,
  children,
}: {
  query: ListQueryState;
  /** The loaded list has no rows. */
  isEmpty: boolean;
  /** Filters or a search are applied: an empty list means "no match", not "nothing yet". */
  filtered: boolean;
  icon: LucideIcon;
  loading: ReactNode;
  errorTitle: string;
  empty: { title: string; description: ReactNode; action?: ReactNode };
  noResults: { title: string; description: ReactNode; onClear: () => void };
  children: ReactNode;
}) {
  if (query.isError) {
    return (
      <EmptyState
        icon={icon}
        title={errorTitle}
        description={errorMessage(query.error)}
        action={
          <Button variant="outline" onClick={() => query.refetch()}>
            Try again
          </Button>
        }
      />
    );
  }
  if (query.isPending) return loading;
  if (!isEmpty) return children;
  if (filtered) {
    return (
      <EmptyState
        icon={Search}
        title={noResults.title}
        description={noResults.description}
        action={
          <Button variant="outline" onClick={noResults.onClear}>
            Clear filters
          </Button>
        }
      />
    );
  }
  return <EmptyState icon={icon} title={empty.title} description={empty.description} action={empty.action} />;
}
