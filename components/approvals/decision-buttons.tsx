"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Check, X } from "lucide-react";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { DialogShell, FormFooter } from "@/components/ui/dialog-shell";
import { Field } from "@/components/ui/field";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";

/** Approve (performs what was asked) or Reject with a reason the author sees. Admins only. */
export function DecisionButtons({ requestId, title }: { requestId: string; title: string }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string>();

  const refresh = () => {
    for (const queryKey of [
      trpc.approvals.list.queryKey(),
      trpc.approvals.forEntity.queryKey(),
      trpc.approvals.pendingIds.queryKey(),
      trpc.content.get.queryKey(),
      trpc.content.list.queryKey(),
      trpc.content.calendar.queryKey(),
      trpc.email.campaigns.get.queryKey(),
      trpc.email.campaigns.list.queryKey(),
    ])
      void queryClient.invalidateQueries({ queryKey });
  };
  const approve = useMutation(
    trpc.approvals.approve.mutationOptions({
      onSuccess: () => {
        toast.success(`Approved “${title}”`);
        refresh();
      },
      onError: (err) => {
        toast.error(errorMessage(err));
        refresh();
      },
    }),
  );
  const reject = useMutation(
    trpc.approvals.reject.mutationOptions({
      onSuccess: () => {
        toast.success(`Sent “${title}” back to its author`);
        setOpen(false);
        refresh();
      },
      onError: (err) => setError(errorMessage(err)),
    }),
  );
  const busy = approve.isPending || reject.isPending;

  return (
    <div className="flex flex-wrap gap-2">
      <Button
        size="sm"
        disabled={busy}
        onClick={() => approve.mutate({ workspaceId: ws.id, id: requestId })}
        data-testid="approve-request"
        aria-label={`Approve ${title}`}
      >
        {approve.isPending ? <Spinner /> : <Check aria-hidden />}
        Approve
      </Button>
      <DialogShell
        open={open}
        onOpenChange={(next) => {
          if (next) {
            setReason("");
            setError(undefined);
          }
          setOpen(next);
        }}
        trigger={
          <Button
            size="sm"
            variant="outline"
            disabled={busy}
            data-testid="reject-request"
            aria-label={`Reject ${title}`}
          >
            <X aria-hidden />
            Reject
          </Button>
        }
        title={`Reject “${title}”?`}
        description="It stays a draft. Its author sees your reason."
        className="sm:max-w-md"
      >
        <form
          className="grid gap-4"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!reason.trim()) return setError("Say why, so the author can fix it");
            reject.mutate({ workspaceId: ws.id, id: requestId, reason });
          }}
        >
          <Field label="Reason" htmlFor="reject-reason" error={error}>
            <Textarea
              id="reject-reason"
              data-testid="reject-reason"
              rows={3}
              maxLength={1000}
              value={reason}
              onChange={(e) => {
                setReason(e.target.value);
                setError(undefined);
              }}
            />
          </Field>
          <FormFooter onCancel={() => setOpen(false)} submitDisabled={busy} submitTestId="reject-confirm">
            {reject.isPending && <Spinner />}
            Reject
          </FormFooter>
        </form>
      </DialogShell>
    </div>
  );
}
