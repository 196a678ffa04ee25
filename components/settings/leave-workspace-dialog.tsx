"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type ReactNode, useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";

/** Confirms and performs leaving the current workspace; `trigger` is the button that opens it. */
export function LeaveWorkspaceDialog({ trigger }: { trigger: ReactNode }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const leave = useMutation(
    trpc.workspace.members.leave.mutationOptions({
      onSuccess: async () => {
        toast.success(`You left ${ws.name}`);
        setOpen(false);
        await queryClient.invalidateQueries({ queryKey: trpc.workspace.list.queryKey() });
        router.push("/");
        router.refresh();
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );

  return (
    <ConfirmDialog
      open={open}
      onOpenChange={(next) => {
        if (!leave.isPending) setOpen(next);
        if (!next) leave.reset();
      }}
      trigger={trigger}
      title={`Leave ${ws.name}?`}
      description="You will lose access to its content, leads and campaigns straight away. To come back, an admin has to invite you again."
      confirmLabel="Leave workspace"
      confirmTestId="leave-confirm"
      destructive
      pending={leave.isPending}
      // Stay open until the server answers, so a refusal can be read here.
      keepOpen
      onConfirm={() => leave.mutate({ workspaceId: ws.id })}
    >
      {leave.error && (
        <p role="alert" className="rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive">
          {errorMessage(leave.error)}
        </p>
      )}
    </ConfirmDialog>
  );
}
