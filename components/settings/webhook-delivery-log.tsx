"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { RotateCw } from "lucide-react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CardSection } from "@/components/ui/card-section";
import { HiddenHead } from "@/components/ui/data-table-parts";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";
import { CopyButton } from "./copy-button";

export function DeliveryLog({ endpointId, onDelete }: { endpointId: string; onDelete: () => void }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const deliveries = useQuery(
    trpc.webhooks.deliveries.queryOptions({ workspaceId: ws.id, endpointId, limit: 50 }),
  );
  const reveal = useMutation(
    trpc.webhooks.revealSecret.mutationOptions({ onError: (e) => toast.error(errorMessage(e)) }),
  );
  const resend = useMutation(
    trpc.webhooks.resend.mutationOptions({
      onSuccess: () => {
        toast.success("Queued for delivery");
        void qc.invalidateQueries({ queryKey: trpc.webhooks.deliveries.queryKey() });
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  return (
    <CardSection
      title="Delivery log"
      description="The latest 50 deliveries to this endpoint and what it answered."
      action={
        <div className="flex flex-wrap gap-2">
          <Button variant="outline" size="sm" onClick={() => deliveries.refetch()}>
            <RotateCw aria-hidden /> Refresh
          </Button>
          <Button
            variant="outline"
            size="sm"
            onClick={() => reveal.mutate({ workspaceId: ws.id, endpointId })}
          >
            Reveal secret
          </Button>
          <Button variant="outline" size="sm" className="text-destructive" onClick={onDelete}>
            Delete endpoint
          </Button>
        </div>
      }
      contentClassName="grid gap-4 px-0 sm:px-6"
    >
      {reveal.data ? (
        <div className="mx-6 flex items-center gap-2 sm:mx-0">
          <code className="min-w-0 flex-1 break-all rounded-md border bg-muted px-3 py-2 text-sm">
            {reveal.data.secret}
          </code>
          <CopyButton value={reveal.data.secret} />
        </div>
      ) : null}
      {!deliveries.data ? (
        <Skeleton className="mx-6 h-10 sm:mx-0" />
      ) : deliveries.data.length === 0 ? (
        <p className="mx-6 text-muted-foreground text-sm sm:mx-0">Nothing sent yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <Table aria-label="Webhook deliveries" data-testid="webhook-deliveries">
            <TableHeader>
              <TableRow>
                <TableHead>Event</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Response</TableHead>
                <TableHead className="hidden sm:table-cell">Attempts</TableHead>
                <TableHead className="hidden sm:table-cell">When</TableHead>
                <HiddenHead label="Actions" className="text-right" />
              </TableRow>
            </TableHeader>
            <TableBody>
              {deliveries.data.map((d) => (
                <TableRow key={d.id}>
                  <TableCell>
                    <code className="text-xs">{d.eventType}</code>
                  </TableCell>
                  <TableCell>
                    <Badge
                      variant={
                        d.status === "failed"
                          ? "destructive"
                          : d.status === "succeeded"
                            ? "secondary"
                            : "outline"
                      }
                    >
                      {d.status}
                    </Badge>
                  </TableCell>
                  <TableCell
                    className="max-w-56 truncate text-sm"
                    title={d.error ?? d.responseBody ?? undefined}
                  >
                    {d.responseStatus ? `HTTP ${d.responseStatus}` : (d.error ?? "—")}
                  </TableCell>
                  <TableCell className="hidden sm:table-cell">{d.attempts}</TableCell>
                  <TableCell className="hidden whitespace-nowrap sm:table-cell">
                    {formatDateTime(d.lastAttemptAt ?? d.createdAt, ws.timeZone)}
                  </TableCell>
                  <TableCell className="text-right">
                    <Button
                      variant="ghost"
                      size="sm"
                      disabled={resend.isPending}
                      onClick={() => resend.mutate({ workspaceId: ws.id, deliveryId: d.id })}
                    >
                      Resend
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </CardSection>
  );
}
