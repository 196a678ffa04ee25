"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { Send } from "lucide-react";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { DialogFooter } from "@/components/ui/dialog";
import { DialogShell } from "@/components/ui/dialog-shell";
import { Field } from "@/components/ui/field";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import type { StepInput } from "@/server/services/email/campaign-schemas";

/**
 * Send a test: to a member of this workspace only (the server refuses anyone else), and — when the
 * mail leaves through SMTP or Gmail — to an address its owner has verified.
 */
export function SendTestDialog({ campaignId, step }: { campaignId?: string; step: StepInput }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [picked, setPicked] = useState("");
  const recipients = useQuery({
    ...trpc.email.campaigns.testRecipients.queryOptions({ workspaceId: ws.id }),
    enabled: open,
  });
  const list = recipients.data?.recipients ?? [];
  const allowed = list.filter((r) => r.allowed);
  const to = picked || allowed.find((r) => r.you)?.email || allowed[0]?.email || "";
  const send = useMutation(
    trpc.email.campaigns.sendTest.mutationOptions({
      onSuccess: () => {
        toast.success(`Test sent to ${to}`);
        setOpen(false);
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  return (
    <DialogShell
      open={open}
      onOpenChange={setOpen}
      trigger={
        <Button type="button" variant="outline" size="sm" data-testid="send-test">
          <Send aria-hidden />
          Send test
        </Button>
      }
      title="Send a test"
      description={
        <>
          This email, with sample data, to a member of this workspace. Links work; nothing is tracked.
          {recipients.data?.transport === "outbox"
            ? " No mail server is configured: the test lands in the outbox."
            : " Tests go only to verified addresses."}
        </>
      }
    >
      <form
        className="grid gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (to) send.mutate({ workspaceId: ws.id, campaignId, to, step });
        }}
      >
        <Field label="Send to" htmlFor="test-to">
          {recipients.isPending ? (
            <Skeleton className="h-9 w-full" />
          ) : (
            <Select value={to} onValueChange={setPicked}>
              <SelectTrigger id="test-to" className="w-full" data-testid="send-test-to">
                <SelectValue placeholder="No verified address yet" />
              </SelectTrigger>
              <SelectContent>
                {list.map((r) => (
                  <SelectItem key={r.email} value={r.email} disabled={!r.allowed}>
                    {r.name ? `${r.name} <${r.email}>` : r.email}
                    {r.you ? " (you)" : ""}
                    {r.allowed ? "" : " — not verified"}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          )}
        </Field>
        {recipients.isSuccess && allowed.length === 0 && (
          <p role="status" className="text-sm text-warning" data-testid="send-test-none">
            No member has verified their email address yet: verify yours from the sign-up email first.
          </p>
        )}
        <DialogFooter>
          <Button type="submit" disabled={send.isPending || !to} data-testid="send-test-submit">
            {send.isPending && <Spinner />}
            Send test
          </Button>
        </DialogFooter>
      </form>
    </DialogShell>
  );
}
