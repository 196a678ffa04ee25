"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Trash2 } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";

/** Delete with a confirmation; disabled, with the reason in a tooltip, while content uses the file. */
export function DeleteMediaButton({
  workspaceId,
  asset,
}: {
  workspaceId: string;
  asset: { id: string; filename: string; usageCount: number };
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.media.delete.mutationOptions({
      onSuccess: () => {
        toast.success(`Deleted ${asset.filename}`);
        setOpen(false);
        void queryClient.invalidateQueries({ queryKey: trpc.media.list.queryKey() });
      },
      onError: (err) => {
        toast.error("Could not delete the file", { description: errorMessage(err) });
        setOpen(false);
        void queryClient.invalidateQueries({ queryKey: trpc.media.list.queryKey() });
      },
    }),
  );

  if (asset.usageCount > 0) {
    const n = asset.usageCount;
    return (
      <Tooltip>
        <TooltipTrigger asChild>
          {/* aria-disabled, not disabled: a disabled button gets no focus or hover for the tooltip. */}
          <Button
            variant="ghost"
            size="icon-sm"
            aria-disabled
            className="cursor-not-allowed opacity-50 hover:bg-transparent"
            onClick={(e) => e.preventDefault()}
            aria-label={`Delete ${asset.filename} (in use)`}
            data-testid="delete-media-in-use"
          >
            <Trash2 aria-hidden />
          </Button>
        </TooltipTrigger>
        <TooltipContent>
          Used by {n} content {n === 1 ? "item" : "items"}. Remove it from {n === 1 ? "that item" : "them"} to
          delete it.
        </TooltipContent>
      </Tooltip>
    );
  }

  return (
    <ConfirmDialog
      open={open}
      onOpenChange={setOpen}
      trigger={
        <Button
          variant="ghost"
          size="icon-sm"
          className="text-muted-foreground hover:text-destructive"
          aria-label={`Delete ${asset.filename}`}
        >
          <Trash2 aria-hidden />
        </Button>
      }
      title={`Delete ${asset.filename}?`}
      description="The file is removed from storage and its link stops working. No content uses it. This can't be undone."
      confirmLabel="Delete"
      destructive
      pending={remove.isPending}
      keepOpen
      onConfirm={() => remove.mutate({ workspaceId, id: asset.id })}
    />
  );
}
