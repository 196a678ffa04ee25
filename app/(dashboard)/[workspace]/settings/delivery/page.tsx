import type { Metadata } from "next";
import { BounceMailboxCard } from "@/components/email/bounce-mailbox-card";
import { QuietHoursCard } from "@/components/email/quiet-hours-card";
import { SuppressionListCard } from "@/components/email/suppression-list-card";

export const metadata: Metadata = { title: "Delivery" };

/** What happens around a send: when mail may leave, what comes back, and who is never mailed. */
export default function DeliverySettingsPage() {
  return (
    <div className="grid gap-6">
      <QuietHoursCard />
      <BounceMailboxCard />
      <SuppressionListCard />
    </div>
  );
}
