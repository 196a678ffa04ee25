import type { Metadata } from "next";
import { Suspense } from "react";
import { FulfillmentPage } from "@/components/fulfillment/fulfillment-page";

export const metadata: Metadata = { title: "Fulfillment" };

export default function Page() {
  return (
    <Suspense>
      <FulfillmentPage />
    </Suspense>
  );
}
