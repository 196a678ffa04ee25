"use client";

import { useMutation } from "@tanstack/react-query";
import { KeyRound } from "lucide-react";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import type { SenderDomainView } from "./sender-domain-records";

/**
 * "Rotate DKIM key": a new key under a new selector replaces the old one at once. Until the new
 * record checks ok, mail from the domain isn't signed with a key of its own — the dialog says so.
 */
export function RotateDkimButton({ domain, onDone }: { domain: SenderDomainView; onDone: () => unknown }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const rotate = useMutation(
    trpc.senderDomains.rotateDkim.mutationOptions({
      onSuccess: async (d) => {
        setOpen(false);
        toast.success(
          d.previousDkimSelector
            ? `New DKIM key for ${d.domain}: publish its record, then press Check records`
            : `DKIM key made for ${d.domain}: publish its record, then press Check records`,
        );
        await onDone();
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const first = !domain.dkim;
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={setOpen}
      keepOpen
      pending={rotate.isPending}
      trigger={
        <Button size="sm" variant="outline" data-testid="sender-domain-rotate">
          <KeyRound aria-hidden />
          {first ? "Make DKIM key" : "Rotate DKIM key"}
        </Button>
      }
      title={first ? `Make a DKIM key for ${domain.domain}?` : `Rotate the DKIM key of ${domain.domain}?`}
      description={
        first
          ? "A new key is made; publish its TXT record and press Check records to start signing with it."
          : "A new key with a new selector replaces the current one right away. Until you publish the new record and it checks OK, mail from this domain is not signed with a key of its own (the workspace key below signs it if one is set, otherwise it goes unsigned). Leave the old record in DNS for a few days, then delete it."
      }
      confirmLabel={first ? "Make key" : "Rotate key"}
      confirmTestId="sender-domain-rotate-confirm"
      onConfirm={() => rotate.mutate({ workspaceId: ws.id, id: domain.id })}
    />
  );
}
