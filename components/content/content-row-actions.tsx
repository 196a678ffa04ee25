"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Copy, MoreHorizontal, Pencil, Trash2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/lazy-dropdown-menu";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import type { ContentListRow } from "./content-meta";

/** A row's menu: edit, duplicate as a draft, delete (after a confirmation). */
export function RowActions({ row }: { row: ContentListRow }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.content.list.queryKey() });

  const duplicate = useMutation(
    trpc.content.duplicate.mutationOptions({
      onSuccess: (copy) => {
        toast.success("Duplicated as a draft");
        void refresh();
        router.push(`/${ws.slug}/content/${copy.id}`);
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  const remove = useMutation(
    trpc.content.delete.mutationOptions({
      onSuccess: () => {
        toast.success(`Deleted “${row.title}”`);
        void refresh();
        void queryClient.invalidateQueries({ queryKey: trpc.content.calendar.queryKey() });
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );

  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon-sm" aria-label={`Actions for ${row.title}`}>
            <MoreHorizontal aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem asChild>
            <Link href={`/${ws.slug}/content/${row.id}`}>
              <Pencil aria-hidden />
              Edit
            </Link>
          </DropdownMenuItem>
          <DropdownMenuItem
            disabled={duplicate.isPending}
            onSelect={() => duplicate.mutate({ workspaceId: ws.id, id: row.id })}
          >
            <Copy aria-hidden />
            Duplicate
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          <DropdownMenuItem
            variant="destructive"
            disabled={row.status === "publishing"}
            onSelect={() => setConfirm(true)}
          >
            <Trash2 aria-hidden />
            Delete
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <ConfirmDialog
        open={confirm}
        onOpenChange={setConfirm}
        title={`Delete “${row.title}”?`}
        description={
          row.status === "published"
            ? "It is already published: deleting removes it here and from your blog, and its metrics are lost."
            : "This removes it for everyone in the workspace. It cannot be undone."
        }
        confirmLabel="Delete"
        destructive
        onConfirm={() => remove.mutate({ workspaceId: ws.id, id: row.id })}
      />
    </>
  );
}
