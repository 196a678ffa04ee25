"use client";

import { useQuery } from "@tanstack/react-query";
import { PackageOpen, Truck } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { useTRPC } from "@/lib/trpc/client";
import { date, statusVariant } from "./fulfillment-format";
import { NewShipment } from "./new-shipment";
import { OrderDetail } from "./order-detail";

/** Ship samples to leads through Amazon Multi-Channel Fulfillment: preview, create, follow, cancel. */
export function FulfillmentPage() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const status = useQuery(trpc.amazon.status.queryOptions({ workspaceId: ws.id }));
  const list = useQuery(trpc.fulfillment.list.queryOptions({ workspaceId: ws.id }));
  const [openId, setOpenId] = useState<string | null>(null);
  const connected = status.data && "accountName" in status.data && status.data.status === "connected";

  return (
    <>
      <PageHeader
        title="Fulfillment"
        description="Ship samples and orders to leads from your Amazon inventory (Multi-Channel Fulfillment)."
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        {status.isLoading ? (
          <Skeleton className="h-96 w-full" />
        ) : connected && ws.canWrite ? (
          <NewShipment onCreated={(id) => setOpenId(id)} />
        ) : (
          <Card>
            <CardContent>
              <EmptyState
                icon={PackageOpen}
                title={connected ? "Read-only" : "Connect Amazon to ship"}
                description={
                  connected
                    ? "Viewers can follow shipments; members create them."
                    : "Multi-Channel Fulfillment uses your Amazon seller account. Orders created before stay listed here."
                }
                action={
                  !connected && ws.canAdmin ? (
                    <Button asChild>
                      <Link href={`/${ws.slug}/integrations`}>Go to Integrations</Link>
                    </Button>
                  ) : undefined
                }
              />
            </CardContent>
          </Card>
        )}
        <div className="grid content-start gap-6">
          {openId && <OrderDetail id={openId} onClose={() => setOpenId(null)} />}
          <Card>
            <CardHeader>
              <CardTitle>Orders</CardTitle>
              <CardDescription>Fulfillment orders this workspace created.</CardDescription>
            </CardHeader>
            <CardContent>
              {list.isLoading ? (
                <Skeleton className="h-32 w-full" />
              ) : !list.data?.length ? (
                <EmptyState
                  icon={Truck}
                  title="No fulfillment orders yet"
                  description="Preview and create one to ship a sample."
                />
              ) : (
                <ul className="divide-y" data-testid="fulfillment-list">
                  {list.data.map((o) => (
                    <li key={o.id}>
                      <button
                        type="button"
                        className="flex w-full flex-wrap items-center justify-between gap-2 py-3 text-left hover:bg-muted/40 focus-visible:outline-2"
                        onClick={() => setOpenId(o.id)}
                        data-testid="fulfillment-row"
                      >
                        <span className="min-w-0">
                          <span className="block truncate font-medium">
                            {o.lead?.name || o.lead?.email || o.destination.name}
                          </span>
                          <span className="block truncate text-muted-foreground text-xs">
                            {o.sellerFulfillmentOrderId} · {o.shippingSpeedCategory} · {date(o.createdAt)}
                          </span>
                        </span>
                        <span className="flex items-center gap-2">
                          {o.estimatedTotal && (
                            <span className="text-muted-foreground text-xs tabular-nums">
                              {o.estimatedTotal.value} {o.estimatedTotal.currencyCode}
                            </span>
                          )}
                          <Badge variant={statusVariant(o.status)}>{o.status}</Badge>
                        </span>
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </CardContent>
          </Card>
        </div>
      </div>
    </>
  );
}
