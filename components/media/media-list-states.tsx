"use client";

import { ImageIcon } from "lucide-react";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PaginationBar } from "@/components/ui/pagination";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage } from "@/lib/trpc/client";

/**
 * The states of a page of the media library (the library page and the picker share them): could
 * not load (with Try again), loading, nothing here, else the grid in `children` and, past one page,
 * the pagination bar.
 */
export function MediaListStates({
  list,
  skeletonCount,
  empty,
  pagination,
  children,
}: {
  list: {
    isError: boolean;
    isPending: boolean;
    error: unknown;
    refetch: () => unknown;
    data?: { items: unknown[]; total: number };
  };
  skeletonCount?: number;
  empty: { title: string; description?: string };
  pagination: { page: number; pageSize: number; onPageChange: (page: number) => void; className: string };
  children: ReactNode;
}) {
  if (list.isError) {
    return (
      <div role="alert" className="flex flex-col items-start gap-3 text-sm">
        <p className="text-destructive">{errorMessage(list.error)}</p>
        <Button variant="outline" size="sm" onClick={() => list.refetch()}>
          Try again
        </Button>
      </div>
    );
  }
  if (list.isPending || !list.data) return <MediaGridSkeleton count={skeletonCount} />;
  if (list.data.items.length === 0) {
    return <EmptyState icon={ImageIcon} title={empty.title} description={empty.description} />;
  }
  return (
    <>
      {children}
      {list.data.total > pagination.pageSize && <PaginationBar {...pagination} total={list.data.total} />}
    </>
  );
}

export function MediaGridSkeleton({ count = 10 }: { count?: number }) {
  return (
    <div className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4 xl:grid-cols-5" aria-hidden>
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="overflow-hidden rounded-lg border">
          <Skeleton className="aspect-video rounded-none" />
          <div className="grid gap-2 p-3">
            <Skeleton className="h-3.5 w-3/4" />
            <Skeleton className="h-3 w-1/2" />
            <Skeleton className="mt-1 h-5 w-16" />
          </div>
        </div>
      ))}
    </div>
  );
}
