"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { XCircle } from "lucide-react";
import Link from "next/link";
import { useEffect } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { date, statusVariant } from "./fulfillment-format";

export function OrderDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const q = useQuery(trpc.fulfillment.get.queryOptions({ workspaceId: ws.id, id }));
  const freshStatus = q.data?.status;
  // Opening an order refreshes it from Amazon; keep the list's badge in step.
  useEffect(() => {
    if (freshStatus) void queryClient.invalidateQueries({ queryKey: trpc.fulfillment.list.queryKey() });
  }, [freshStatus, queryClient, trpc]);
  const cancel = useMutation(
    trpc.fulfillment.cancel.mutationOptions({
      onSuccess: async () => {
        toast.success("Order cancelled");
        await queryClient.invalidateQueries({ queryKey: trpc.fulfillment.list.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.fulfillment.get.queryKey() });
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const o = q.data;
  return (
    <Card data-testid="fulfillment-detail">
      <CardHeader>
        <div className="flex items-start justify-between gap-2">
          <div className="min-w-0">
            <CardTitle className="truncate">{o ? o.sellerFulfillmentOrderId : "Order"}</CardTitle>
            <CardDescription>
              {o ? `${o.shippingSpeedCategory} · created ${date(o.createdAt)}` : "Loading…"}
            </CardDescription>
          </div>
          {o && <Badge variant={statusVariant(o.status)}>{o.status}</Badge>}
        </div>
      </CardHeader>
      <CardContent className="grid gap-4 text-sm">
        {q.isLoading && <Skeleton className="h-24 w-full" />}
        {q.error && <p className="text-destructive">{errorMessage(q.error)}</p>}
        {o && (
          <>
            {o.refreshError && (
              <p className="rounded-md bg-warning/10 px-3 py-2 text-warning">{o.refreshError}</p>
            )}
            <div className="grid gap-1">
              <span className="text-muted-foreground text-xs uppercase tracking-wide">Ship to</span>
              <span>
                {o.destination.name}, {o.destination.addressLine1}, {o.destination.city}{" "}
                {o.destination.stateOrRegion} {o.destination.postalCode}, {o.destination.countryCode}
              </span>
              {o.lead && (
                <Link
                  className="text-primary text-xs hover:underline"
                  href={`/${ws.slug}/leads/${o.lead.id}`}
                >
                  Lead: {o.lead.name || o.lead.email}
                </Link>
              )}
            </div>
            <div className="grid gap-1">
              <span className="text-muted-foreground text-xs uppercase tracking-wide">Items</span>
              {o.items.map((i) => (
                <span key={i.sellerFulfillmentOrderItemId}>
                  {i.quantity} × {i.sellerSku}
                </span>
              ))}
              {o.estimatedTotal && (
                <span className="text-muted-foreground text-xs">
                  Estimated fees {o.estimatedTotal.value} {o.estimatedTotal.currencyCode}
                </span>
              )}
            </div>
            <div className="grid gap-2" data-testid="shipments">
              <span className="text-muted-foreground text-xs uppercase tracking-wide">Shipments</span>
              {o.shipments.length === 0 ? (
                <span className="text-muted-foreground">
                  No shipment yet — Amazon is preparing the order.
                </span>
              ) : (
                o.shipments.map((s) => (
                  <div key={s.amazonShipmentId} className="rounded-md border p-2">
                    <div className="flex items-center justify-between">
                      <span className="font-medium">{s.amazonShipmentId}</span>
                      <Badge variant={s.status === "SHIPPED" ? "success" : "secondary"}>{s.status}</Badge>
                    </div>
                    {s.packages.map((p) => (
                      <div key={p.packageNumber} className="text-muted-foreground text-xs">
                        Package {p.packageNumber}: {p.carrierCode} {p.trackingNumber ?? "(no tracking yet)"}
                      </div>
                    ))}
                  </div>
                ))
              )}
            </div>
          </>
        )}
      </CardContent>
      <CardFooter className="flex flex-wrap items-center gap-2">
        {o && ws.canWrite && (
          <>
            <Button
              variant="outline"
              disabled={Boolean(o.cancelBlockedReason) || cancel.isPending}
              onClick={() => {
                if (window.confirm("Cancel this fulfillment order at Amazon?"))
                  cancel.mutate({ workspaceId: ws.id, id });
              }}
            >
              {cancel.isPending ? <Spinner /> : <XCircle aria-hidden />}
              Cancel order
            </Button>
            {o.cancelBlockedReason && (
              <span className="text-muted-foreground text-xs">{o.cancelBlockedReason}</span>
            )}
          </>
        )}
        <Button variant="ghost" className="ml-auto" onClick={onClose}>
          Close
        </Button>
      </CardFooter>
    </Card>
  );
}
