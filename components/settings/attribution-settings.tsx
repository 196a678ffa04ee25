"use client";

import { ModelCard } from "./attribution-model-card";
import { OrdersCard } from "./attribution-orders-card";
import { StoresCard } from "./attribution-stores-card";

/** Settings → Attribution: how orders are credited, the stores that send them, the latest orders. */
export function AttributionSettings() {
  return (
    <div className="grid gap-6">
      <ModelCard />
      <StoresCard />
      <OrdersCard />
    </div>
  );
}
