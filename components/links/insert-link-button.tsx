"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link2 } from "lucide-react";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { DialogShell, FormFooter } from "@/components/ui/dialog-shell";
import { toast } from "@/lib/toast";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import { LinkFields } from "./link-fields";

/**
 * "Add tracked link" beside a caption or body: makes a `/l/<code>` link to a destination, tied to
 * this content item or email step (its UTM parameters come from it), and hands its full address to
 * `onInsert` to put into the text. A new item or step has no id yet: saved first.
 */
export function InsertLinkButton({
  contentId,
  campaignStepId,
  disabled,
  onInsert,
}: {
  /** The item the link belongs to; or `campaignStepId`, the email step. Neither yet: "save first". */
  contentId?: string;
  campaignStepId?: string;
  disabled?: boolean;
  onInsert: (url: string, label: string) => void;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [destination, setDestination] = useState("");
  const [label, setLabel] = useState("");
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const create = useMutation(
    trpc.links.create.mutationOptions({
      onSuccess: (link) => {
        onInsert(`${window.location.origin}/l/${link.code}`, label.trim());
        toast.success("Tracked link added: save to keep it in the text");
        setOpen(false);
        void queryClient.invalidateQueries({ queryKey: trpc.links.list.queryKey() });
      },
      onError: (err) => {
        const byField = fieldErrors(err);
        setErrors(Object.keys(byField).length ? byField : { form: errorMessage(err) });
      },
    }),
  );
  if (!contentId && !campaignStepId)
    return (
      <span className="text-muted-foreground text-xs" data-testid="insert-link-save-first">
        Save to add tracked links
      </span>
    );
  return (
    <DialogShell
      open={open}
      onOpenChange={(next) => {
        if (next) {
          setDestination("");
          setLabel("");
          setErrors({});
        }
        setOpen(next);
      }}
      trigger={
        <Button type="button" variant="ghost" size="sm" disabled={disabled} data-testid="insert-link">
          <Link2 aria-hidden /> Add tracked link
        </Button>
      }
      title="Add a tracked link"
      description={`A short address that counts people's clicks and credits the orders they bring to this ${contentId ? "item" : "email"}.`}
    >
      <form
        className="grid gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          e.stopPropagation();
          if (!destination.trim()) return setErrors({ destination: "Enter the address the link leads to" });
          create.mutate({
            workspaceId: ws.id,
            destination: destination.trim(),
            label,
            contentId: contentId ?? null,
            campaignStepId: campaignStepId ?? null,
          });
        }}
      >
        <LinkFields
          idPrefix="insert-link"
          destination={destination}
          label={label}
          errors={errors}
          onDestination={setDestination}
          onLabel={setLabel}
        />
        {errors.form && (
          <p role="alert" className="text-destructive text-sm">
            {errors.form}
          </p>
        )}
        <FormFooter onCancel={() => setOpen(false)} submitDisabled={create.isPending}>
          Add link
        </FormFooter>
      </form>
    </DialogShell>
  );
}
