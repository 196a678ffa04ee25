"use client";

import { useQuery } from "@tanstack/react-query";
import { ShoppingBag } from "lucide-react";
import { useState } from "react";
import { fmtMoney } from "@/components/analytics/format";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { CardSection } from "@/components/ui/card-section";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useTRPC } from "@/lib/trpc/client";
import { cn } from "@/lib/utils";
import { CardListStates } from "./card-list-states";

const TOUCH_LABEL = { link_click: "Link click", email_click: "Email click", form_signup: "Sign-up" } as const;

const FILTERS = [
  { value: "all", label: "All" },
  { value: "attributed", label: "Credited" },
  { value: "unattributed", label: "Unattributed" },
] as const;

/** The latest orders of every source with what each was credited to, or that it was not. */
export function OrdersCard() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const [filter, setFilter] = useState<(typeof FILTERS)[number]["value"]>("all");
  const orders = useQuery(
    trpc.attribution.orders.queryOptions({ workspaceId: ws.id, attributed: filter, limit: 50 }),
  );
  return (
    <CardSection
      title="Latest orders"
      description="Every order of every source, and what it was credited to."
      action={
        <div role="group" aria-label="Show orders" className="inline-flex rounded-md border p-0.5">
          {FILTERS.map((f) => (
            <button
              key={f.value}
              type="button"
              aria-pressed={filter === f.value}
              onClick={() => setFilter(f.value)}
              className={cn(
                "rounded px-2.5 py-1 text-sm transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
                filter === f.value
                  ? "bg-primary text-primary-foreground"
                  : "text-muted-foreground hover:text-foreground",
              )}
            >
              {f.label}
            </button>
          ))}
        </div>
      }
      contentClassName="px-0 sm:px-6"
    >
      <CardListStates
        query={orders}
        skeletonRows={3}
        icon={ShoppingBag}
        emptyTitle={
          filter === "all"
            ? "No orders yet"
            : `No ${filter === "attributed" ? "credited" : "unattributed"} orders`
        }
        emptyDescription="Orders from Amazon, your stores and the API appear here as they arrive."
      >
        {(rows) => (
          <div className="overflow-x-auto">
            <Table data-testid="orders-table">
              <TableHeader>
                <TableRow>
                  <TableHead>Date</TableHead>
                  <TableHead>Order</TableHead>
                  <TableHead className="text-right">Total</TableHead>
                  <TableHead>Credited to</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((o) => (
                  <TableRow key={o.id}>
                    <TableCell className="whitespace-nowrap text-muted-foreground">
                      {new Date(o.purchasedAt).toLocaleDateString(undefined, { timeZone: ws.timeZone })}
                    </TableCell>
                    <TableCell>
                      <span className="font-medium">{o.externalId}</span>{" "}
                      <span className="text-muted-foreground text-xs">{o.source}</span>
                    </TableCell>
                    <TableCell className="text-right tabular-nums">
                      {o.total === null ? "—" : fmtMoney(o.total, o.currency)}
                    </TableCell>
                    <TableCell>
                      {o.credits.length === 0 ? (
                        <span className="text-muted-foreground">Unattributed</span>
                      ) : (
                        <ul className="grid gap-0.5">
                          {o.credits.map((c, i) => (
                            <li key={i} className="text-sm">
                              <span className="font-medium">{c.label || "(deleted)"}</span>{" "}
                              <span className="text-muted-foreground text-xs">
                                {TOUCH_LABEL[c.touch as keyof typeof TOUCH_LABEL] ?? c.touch}
                                {o.credits.length > 1 ? ` · ${fmtMoney(c.revenue, o.currency)}` : ""}
                              </span>
                            </li>
                          ))}
                        </ul>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </CardListStates>
    </CardSection>
  );
}
