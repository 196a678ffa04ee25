"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Tag, Trash2, X } from "lucide-react";
import { useState } from "react";
import type { z } from "zod";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DialogShell, FormFooter } from "@/components/ui/dialog-shell";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import type { bulkFilterSchema } from "@/server/services/leads/schemas";

/** The checked leads, or every lead matching the list's filters (`count` of them, as last counted). */
export type BulkTarget = { ids: string[] } | { filter: z.input<typeof bulkFilterSchema>; count: number };

const fmt = (n: number) => n.toLocaleString("en-US");
const leadsWord = (n: number) => (n === 1 ? "lead" : "leads");

/**
 * Actions on the selected leads: add or remove a tag, delete. When a whole page is checked and the
 * filters match more, it offers to select all of them; the server then applies the action by filter.
 */
export function LeadsBulkBar({
  target,
  onDone,
  selectAll,
}: {
  target: BulkTarget;
  onDone: () => void;
  /** Offered when every loaded row is checked and the filters match more (`total`). */
  selectAll?: { total: number; filtered: boolean; onSelect: () => void };
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [tagDialog, setTagDialog] = useState<"addTag" | "removeTag" | null>(null);
  const [tag, setTag] = useState("");
  const [confirm, setConfirm] = useState(false);
  const byFilter = "filter" in target;
  const n = byFilter ? target.count : target.ids.length;
  const scope = byFilter ? { filter: target.filter } : { ids: target.ids };
  const described = byFilter
    ? `all ${fmt(n)} matching ${leadsWord(n)}`
    : `${fmt(n)} selected ${leadsWord(n)}`;
  const bulk = useMutation(
    trpc.leads.bulk.mutationOptions({
      onSuccess: (r, vars) => {
        const changed = fmt(r.changed);
        toast.success(
          vars.action === "delete"
            ? `Deleted ${changed} ${leadsWord(r.changed)}`
            : vars.action === "addTag"
              ? `Tagged ${changed} with “${vars.tag}”`
              : `Removed “${vars.tag}” from ${changed}`,
        );
        void queryClient.invalidateQueries({ queryKey: trpc.leads.pathKey() });
        setTagDialog(null);
        setTag("");
        onDone();
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  return (
    <div
      className="mb-3 flex flex-wrap items-center gap-2 rounded-lg border bg-muted/40 px-3 py-2"
      data-testid="bulk-bar"
    >
      <div className="mr-auto flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <span className="font-medium" data-testid="bulk-count">
          {byFilter ? `All ${fmt(n)} ${leadsWord(n)} matching these filters selected` : `${fmt(n)} selected`}
        </span>
        {selectAll && !byFilter && (
          <Button
            size="sm"
            variant="link"
            className="h-auto p-0"
            onClick={selectAll.onSelect}
            data-testid="bulk-select-matching"
          >
            Select all {fmt(selectAll.total)} {leadsWord(selectAll.total)}
            {selectAll.filtered ? " matching these filters" : ""}
          </Button>
        )}
      </div>
      <Button size="sm" variant="outline" onClick={() => setTagDialog("addTag")} data-testid="bulk-add-tag">
        <Tag aria-hidden />
        Add tag
      </Button>
      <Button
        size="sm"
        variant="outline"
        onClick={() => setTagDialog("removeTag")}
        data-testid="bulk-remove-tag"
      >
        <X aria-hidden />
        Remove tag
      </Button>
      <Button size="sm" variant="outline" onClick={() => setConfirm(true)} data-testid="bulk-delete">
        <Trash2 aria-hidden />
        Delete
      </Button>
      <Button size="sm" variant="ghost" onClick={onDone}>
        Clear
      </Button>
      <DialogShell
        open={tagDialog !== null}
        onOpenChange={(v) => !v && setTagDialog(null)}
        className="sm:max-w-sm"
        form={{
          className: "grid gap-4",
          onSubmit: (e) => {
            e.preventDefault();
            if (tagDialog && tag.trim())
              bulk.mutate({ workspaceId: ws.id, ...scope, action: tagDialog, tag: tag.trim() });
          },
        }}
        title={tagDialog === "removeTag" ? "Remove a tag" : "Add a tag"}
        description={
          <>
            {tagDialog === "removeTag" ? "From" : "To"} {described}.
          </>
        }
      >
        <Field label="Tag" htmlFor="bulk-tag">
          <Input
            id="bulk-tag"
            value={tag}
            maxLength={50}
            autoFocus
            onChange={(e) => setTag(e.target.value)}
            data-testid="bulk-tag-input"
          />
        </Field>
        <FormFooter
          onCancel={() => setTagDialog(null)}
          submitDisabled={!tag.trim() || bulk.isPending}
          submitTestId="bulk-tag-apply"
        >
          {tagDialog === "removeTag" ? "Remove tag" : "Add tag"}
        </FormFooter>
      </DialogShell>
      <ConfirmDialog
        open={confirm}
        onOpenChange={setConfirm}
        title={`Delete ${byFilter ? "all " : ""}${fmt(n)} ${leadsWord(n)}?`}
        description="Their tags, custom fields and email history are removed for everyone. This cannot be undone."
        confirmLabel="Delete"
        confirmTestId="bulk-delete-confirm"
        destructive
        onConfirm={() =>
          bulk.mutate({
            workspaceId: ws.id,
            ...scope,
            ...(byFilter && { expected: n }),
            action: "delete",
          })
        }
      />
    </div>
  );
}
