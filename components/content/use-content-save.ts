"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { z } from "zod";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { toast } from "@/lib/toast";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";
import type { createContentInput, updateContentInput } from "@/server/services/content/schemas";
import type { ContentItem } from "./content-meta";

export type CreateInput = z.input<typeof createContentInput>;

export type UpdateInput = Omit<z.input<typeof updateContentInput>, "id">;

type SetFieldError = (field: string, message: string) => boolean;

/**
 * Create and update with one set of side effects: toasts, cache refresh, field errors from the
 * server (slug taken, body too long) placed on their inputs.
 */
export function useContentSave({
  item,
  setFieldError,
}: {
  item?: ContentItem;
  setFieldError: SetFieldError;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();

  const onError = (err: unknown) => {
    let placed = false;
    for (const [field, message] of Object.entries(fieldErrors(err))) {
      if (message && setFieldError(field, message)) placed = true;
    }
    toast.error(placed ? "Check the highlighted fields" : errorMessage(err), {
      description: placed ? errorMessage(err) : undefined,
    });
  };
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.content.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.content.calendar.queryKey() });
  };

  const create = useMutation(
    trpc.content.create.mutationOptions({
      onSuccess: (row) => {
        toast.success(
          row.status === "scheduled" && row.scheduledAt
            ? `Scheduled for ${formatDateTime(row.scheduledAt, ws.timeZone)}`
            : "Draft saved",
        );
        refresh();
        router.push(`/${ws.slug}/content/${row.id}`);
      },
      onError,
    }),
  );
  const update = useMutation(
    trpc.content.update.mutationOptions({
      onSuccess: () => {
        toast.success("Changes saved");
        refresh();
        if (item) void queryClient.invalidateQueries({ queryKey: trpc.content.get.queryKey() });
        if (item) void queryClient.invalidateQueries({ queryKey: trpc.content.readiness.queryKey() });
      },
      onError,
    }),
  );

  return {
    pending: create.isPending || update.isPending,
    create: (input: CreateInput, opts?: { onSuccess?: () => void }) =>
      create.mutate({ workspaceId: ws.id, ...input }, { onSuccess: () => opts?.onSuccess?.() }),
    update: (input: UpdateInput, opts?: { onSuccess?: () => void }) => {
      if (!item) return;
      update.mutate({ workspaceId: ws.id, id: item.id, ...input }, { onSuccess: () => opts?.onSuccess?.() });
    },
  };
}
