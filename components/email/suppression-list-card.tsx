"use client";

import { ShieldBan } from "lucide-react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { CardSection } from "@/components/ui/card-section";
import { LinkButton } from "@/components/ui/link-button";

/** Settings → Delivery: where the suppression list lives (Email → Suppression list). */
export function SuppressionListCard() {
  const ws = useWorkspace();
  return (
    <CardSection
      title="Suppression list"
      description="Addresses and domains this workspace never mails: hard bounces, spam complaints and unsubscribes land there by themselves; add or import others by hand."
      action={
        <LinkButton
          href={`/${ws.slug}/email/suppressions`}
          icon={ShieldBan}
          testId="open-suppressions-settings"
        >
          Open the list
        </LinkButton>
      }
    >
      {null}
    </CardSection>
  );
}
