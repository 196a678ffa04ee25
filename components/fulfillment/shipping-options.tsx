"use client";

import type { inferRouterOutputs } from "@trpc/server";
import { Badge } from "@/components/ui/badge";
import type { AppRouter } from "@/server/api/root";
import type { ShippingSpeed } from "@/server/services/integrations/amazon/schemas";
import { date } from "./fulfillment-format";

type ShippingOption = inferRouterOutputs<AppRouter>["fulfillment"]["preview"]["options"][number];

/** Amazon's delivery speeds for the draft: fee and arrival when it can ship, the reasons when not. */
export function ShippingOptions({
  options,
  speed,
  onPick,
}: {
  options: ShippingOption[];
  speed: ShippingSpeed | null;
  onPick: (speed: ShippingSpeed) => void;
}) {
  return (
    <>
      {options.map((o) => (
        <label
          key={o.shippingSpeedCategory}
          className="flex cursor-pointer flex-col gap-1 rounded-lg border p-3 has-[:checked]:border-primary has-[:checked]:bg-primary/5 has-[:disabled]:cursor-not-allowed has-[:disabled]:opacity-80"
        >
          <span className="flex items-center justify-between gap-2">
            <span className="flex items-center gap-2 font-medium">
              <input
                type="radio"
                name="speed"
                value={o.shippingSpeedCategory}
                disabled={!o.isFulfillable}
                checked={speed === o.shippingSpeedCategory}
                onChange={() => onPick(o.shippingSpeedCategory as ShippingSpeed)}
              />
              {o.shippingSpeedCategory}
            </span>
            {o.isFulfillable ? (
              <span className="font-medium tabular-nums">
                {o.totalFee ? `${o.totalFee.value} ${o.totalFee.currencyCode}` : "—"}
              </span>
            ) : (
              <Badge variant="destructive">Can't ship</Badge>
            )}
          </span>
          {o.isFulfillable ? (
            <span className="text-muted-foreground text-xs">
              Arrives {date(o.earliestArrival)}–{date(o.latestArrival)}
              {o.estimatedWeight ? ` · ${o.estimatedWeight}` : ""} ·{" "}
              {o.fees.map((f) => `${f.name.replace(/^FBA/, "")} ${f.value}`).join(", ")}
            </span>
          ) : (
            <span className="text-destructive text-xs" data-testid="unfulfillable-reasons">
              {[
                ...o.orderUnfulfillableReasons,
                ...o.unfulfillableItems.map((i) => `${i.sellerSku}: ${i.reasons.join(", ")}`),
              ].join(" · ") || "Amazon cannot fulfil this"}
            </span>
          )}
        </label>
      ))}
    </>
  );
}
