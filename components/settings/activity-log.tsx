"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { History } from "lucide-react";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { CardSection } from "@/components/ui/card-section";
import { EmptyState } from "@/components/ui/empty-state";
import { PaginationBar } from "@/components/ui/pagination";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { describeAction } from "@/lib/activity-labels";
import { useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";
import { CardLoadError } from "./card-list-states";

const PAGE_SIZE = 25;

export function ActivityLog() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const activity = useQuery({
    ...trpc.workspace.activity.list.queryOptions({ workspaceId: ws.id, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const data = activity.data;

  return (
    <CardSection
      title="Activity log"
      description={`Everything that changed in ${ws.name}, newest first. Times are in ${ws.timeZone}.`}
      contentClassName="grid gap-2 px-0 sm:px-6"
    >
      {activity.isError ? (
        <CardLoadError query={activity} />
      ) : data && data.total === 0 ? (
        <EmptyState
          className="mx-6 sm:mx-0"
          icon={History}
          title="No activity yet"
          description="Changes to settings, members, content and campaigns are recorded here."
        />
      ) : (
        <>
          <Table
            data-testid="activity-table"
            aria-label="Activity log"
            aria-busy={activity.isFetching}
            className={activity.isPlaceholderData ? "opacity-60 transition-opacity" : undefined}
          >
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                <TableHead className="pl-6 sm:pl-2">When</TableHead>
                <TableHead>Who</TableHead>
                <TableHead>What</TableHead>
                <TableHead>Entity</TableHead>
                <TableHead>IP address</TableHead>
                <TableHead className="pr-6 sm:pr-2">User agent</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {!data
                ? Array.from({ length: 8 }, (_, i) => (
                    <TableRow key={i}>
                      {[28, 24, 48, 20, 20, 36].map((w, j) => (
                        <TableCell
                          key={j}
                          className={j === 0 ? "pl-6 sm:pl-2" : j === 5 ? "pr-6 sm:pr-2" : ""}
                        >
                          <Skeleton className="h-4" style={{ width: `${w * 4}px` }} />
                        </TableCell>
                      ))}
                    </TableRow>
                  ))
                : data.items.map((a) => {
                    const who = a.user ? a.user.name || a.user.email : "System";
                    return (
                      <TableRow key={a.id}>
                        <TableCell className="pl-6 text-muted-foreground tabular-nums sm:pl-2">
                          <time dateTime={a.createdAt.toISOString()}>
                            {formatDateTime(a.createdAt, ws.timeZone)}
                          </time>
                        </TableCell>
                        <TableCell>
                          <span className="block max-w-40 truncate font-medium" title={a.user?.email}>
                            {who}
                          </span>
                        </TableCell>
                        <TableCell>
                          <span
                            className="block max-w-80 truncate"
                            title={describeAction(a.action, a.metadata)}
                          >
                            {describeAction(a.action, a.metadata)}
                          </span>
                        </TableCell>
                        <TableCell className="text-muted-foreground">
                          {a.entityType ? (
                            <span title={a.entityId ?? undefined}>
                              {a.entityType}
                              {a.entityId && (
                                <span className="ml-1 font-mono text-xs">{a.entityId.slice(0, 8)}</span>
                              )}
                            </span>
                          ) : (
                            "—"
                          )}
                        </TableCell>
                        <TableCell className="font-mono text-muted-foreground text-xs">
                          {a.ipAddress ?? "—"}
                        </TableCell>
                        <TableCell className="pr-6 text-muted-foreground text-xs sm:pr-2">
                          {a.userAgent ? (
                            <span className="block max-w-56 truncate" title={a.userAgent}>
                              {a.userAgent}
                            </span>
                          ) : (
                            "—"
                          )}
                        </TableCell>
                      </TableRow>
                    );
                  })}
            </TableBody>
          </Table>
          {data && (
            <PaginationBar
              className="px-6 sm:px-0"
              page={page}
              pageSize={data.pageSize}
              total={data.total}
              onPageChange={setPage}
            />
          )}
        </>
      )}
    </CardSection>
  );
}
