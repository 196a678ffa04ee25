"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, LayoutTemplate, Pencil, Trash2 } from "lucide-react";
import { useState } from "react";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { BarsSkeleton, TableHeadRow } from "@/components/ui/data-table-parts";
import { DialogFooter } from "@/components/ui/dialog";
import { DialogShell } from "@/components/ui/dialog-shell";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { LinkButton } from "@/components/ui/link-button";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableRow } from "@/components/ui/table";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import type { EmailTemplate } from "@/server/services/email/templates";

/** Email → Templates: the workspace's saved emails, to rename or delete (they are used in the editor). */
export function TemplateList() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const list = useQuery(trpc.emailTemplates.list.queryOptions({ workspaceId: ws.id }));
  const rows = list.data ?? [];
  return (
    <>
      <PageHeader
        title="Email templates"
        description='Saved emails. Use "Save as template" and "Start from template" in a campaign’s email.'
        actions={
          <LinkButton href={`/${ws.slug}/email`} icon={ArrowLeft}>
            Campaigns
          </LinkButton>
        }
      />
      {list.isPending ? (
        <BarsSkeleton count={3} />
      ) : rows.length === 0 ? (
        <EmptyState
          icon={LayoutTemplate}
          title="No templates yet"
          description="Open a campaign, build its email and choose “Save as template”."
        />
      ) : (
        <div className="rounded-lg border">
          <Table>
            <TableHeadRow
              columns={[
                { label: "Name" },
                { label: "Format", className: "hidden sm:table-cell" },
                { label: "Subject", className: "hidden md:table-cell" },
                { label: "Updated", className: "hidden sm:table-cell" },
                { label: "", className: "w-24" },
              ]}
            />
            <TableBody>
              {rows.map((t) => (
                <TableRow key={t.id} data-testid="template-row">
                  <TableCell className="max-w-64 truncate font-medium">{t.name}</TableCell>
                  <TableCell className="hidden sm:table-cell">
                    {t.format === "blocks" ? "Blocks" : "Markdown"}
                  </TableCell>
                  <TableCell className="hidden max-w-80 truncate text-muted-foreground md:table-cell">
                    {t.subject || "—"}
                  </TableCell>
                  <TableCell className="hidden text-muted-foreground sm:table-cell">
                    {new Date(t.updatedAt).toLocaleDateString()}
                  </TableCell>
                  <TableCell className="text-right">
                    {ws.canWrite && (
                      <div className="flex justify-end gap-1">
                        <RenameDialog template={t} />
                        <DeleteButton template={t} />
                      </div>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </>
  );
}

function useInvalidateTemplates() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: trpc.emailTemplates.list.queryKey() });
}

function RenameDialog({ template }: { template: EmailTemplate }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const invalidate = useInvalidateTemplates();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(template.name);
  const rename = useMutation(
    trpc.emailTemplates.rename.mutationOptions({
      onSuccess: () => {
        toast.success("Template renamed");
        invalidate();
        setOpen(false);
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  return (
    <DialogShell
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) setName(template.name);
      }}
      trigger={
        <Button type="button" size="icon" variant="ghost" aria-label={`Rename ${template.name}`}>
          <Pencil aria-hidden />
        </Button>
      }
      title="Rename template"
      form={{
        onSubmit: (e) => {
          e.preventDefault();
          rename.mutate({ workspaceId: ws.id, id: template.id, name });
        },
      }}
    >
      <Field label="Name" htmlFor={`rename-${template.id}`}>
        <Input
          id={`rename-${template.id}`}
          value={name}
          maxLength={255}
          onChange={(e) => setName(e.target.value)}
        />
      </Field>
      <DialogFooter>
        <Button type="submit" disabled={rename.isPending || !name.trim()}>
          {rename.isPending && <Spinner />}
          Rename
        </Button>
      </DialogFooter>
    </DialogShell>
  );
}

function DeleteButton({ template }: { template: EmailTemplate }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const invalidate = useInvalidateTemplates();
  const remove = useMutation(
    trpc.emailTemplates.delete.mutationOptions({
      onSuccess: () => {
        toast.success("Template deleted");
        invalidate();
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  return (
    <ConfirmDialog
      trigger={
        <Button type="button" size="icon" variant="ghost" aria-label={`Delete ${template.name}`}>
          <Trash2 aria-hidden />
        </Button>
      }
      title={`Delete "${template.name}"?`}
      description="Emails already started from it keep their content."
      confirmLabel="Delete"
      destructive
      pending={remove.isPending}
      onConfirm={() => remove.mutate({ workspaceId: ws.id, id: template.id })}
    />
  );
}
