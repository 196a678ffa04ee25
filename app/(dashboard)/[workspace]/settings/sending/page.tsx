import type { Metadata } from "next";
import { BounceMailboxCard } from "@/components/email/bounce-mailbox-card";
import { QuietHoursCard } from "@/components/email/quiet-hours-card";
import { SenderSettingsForm } from "@/components/email/sender-settings-form";
import { SuppressionListCard } from "@/components/email/suppression-list-card";

export const metadata: Metadata = { title: "Sending" };

export default function SendingSettingsPage() {
  return (
    <div className="grid gap-6">
      <SenderSettingsForm />
      <QuietHoursCard />
      <BounceMailboxCard />
      <SuppressionListCard />
    </div>
  );
}
