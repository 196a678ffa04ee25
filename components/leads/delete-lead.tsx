"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";

export function DeleteLead({ id, email }: { id: string; email: string }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.leads.delete.mutationOptions({
      onSuccess: () => {
        toast.success(`Deleted ${email}`);
        void queryClient.invalidateQueries({ queryKey: trpc.leads.pathKey() });
        router.push(`/${ws.slug}/leads`);
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  return (
    <>
      <Button variant="outline" onClick={() => setOpen(true)} data-testid="lead-delete">
        <Trash2 aria-hidden />
        Delete
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Delete ${email}?`}
        description="Their tags, custom fields and email history are removed for everyone. This cannot be undone."
        confirmLabel="Delete"
        destructive
        onConfirm={() => remove.mutate({ workspaceId: ws.id, id })}
      />
    </>
  );
}
