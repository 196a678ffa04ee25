"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Tag, Trash2, X } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DialogShell, FormFooter } from "@/components/ui/dialog-shell";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { errorMessage, useTRPC } from "@/lib/trpc/client";

/** Actions on the selected leads: add or remove a tag, delete. */
export function LeadsBulkBar({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [tagDialog, setTagDialog] = useState<"addTag" | "removeTag" | null>(null);
  const [tag, setTag] = useState("");
  const [confirm, setConfirm] = useState(false);
  const bulk = useMutation(
    trpc.leads.bulk.mutationOptions({
      onSuccess: (r, vars) => {
        const n = r.changed.toLocaleString("en-US");
        toast.success(
          vars.action === "delete"
            ? `Deleted ${n} ${r.changed === 1 ? "lead" : "leads"}`
            : vars.action === "addTag"
              ? `Tagged ${n} with “${vars.tag}”`
              : `Removed “${vars.tag}” from ${n}`,
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
      <span className="mr-auto font-medium text-sm">{ids.length.toLocaleString("en-US")} selected</span>
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
              bulk.mutate({ workspaceId: ws.id, ids, action: tagDialog, tag: tag.trim() });
          },
        }}
        title={tagDialog === "removeTag" ? "Remove a tag" : "Add a tag"}
        description={
          <>
            {tagDialog === "removeTag" ? "From" : "To"} {ids.length.toLocaleString("en-US")} selected{" "}
            {ids.length === 1 ? "lead" : "leads"}.
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
        title={`Delete ${ids.length.toLocaleString("en-US")} ${ids.length === 1 ? "lead" : "leads"}?`}
        description="Their tags, custom fields and email history are removed for everyone. This cannot be undone."
        confirmLabel="Delete"
        confirmTestId="bulk-delete-confirm"
        destructive
        onConfirm={() => bulk.mutate({ workspaceId: ws.id, ids, action: "delete" })}
      />
    </div>
  );
}
