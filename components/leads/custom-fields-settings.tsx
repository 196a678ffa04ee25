"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ListPlus, type LucideIcon, Pencil, Plus, SlidersHorizontal, Trash2 } from "lucide-react";
import { type FormEvent, useState } from "react";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { HiddenHead } from "@/components/ui/data-table-parts";
import { DialogShell, FormFooter } from "@/components/ui/dialog-shell";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { FormError, InputField } from "@/components/ui/form-field";
import { OptionSelect, optionsOf } from "@/components/ui/option-select";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { toast } from "@/lib/toast";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import type { CustomFieldType } from "@/server/db/schema";
import { BackToLeads } from "./back-to-leads";
import { FIELD_TYPE_LABEL } from "./lead-meta";

const TYPE_OPTIONS = optionsOf(
  Object.keys(FIELD_TYPE_LABEL) as CustomFieldType[],
  (t) => FIELD_TYPE_LABEL[t],
);

type Def = { id: string; key: string; label: string; type: CustomFieldType; options: string[] };

export function CustomFieldsSettings() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const fields = useQuery(trpc.leads.fields.list.queryOptions({ workspaceId: ws.id }));
  const [editing, setEditing] = useState<Def | "new" | null>(null);
  const [deleting, setDeleting] = useState<Def | null>(null);
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.leads.fields.delete.mutationOptions({
      onSuccess: () => {
        toast.success(`Deleted “${deleting?.label}”`);
        void queryClient.invalidateQueries({ queryKey: trpc.leads.pathKey() });
        setDeleting(null);
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  const rows = fields.data ?? [];

  return (
    <>
      <BackToLeads slug={ws.slug} />
      <PageHeader
        title="Custom fields"
        description="Extra facts you keep about each lead. Values are checked against the field's type."
        actions={
          ws.canWrite && (
            <Button onClick={() => setEditing("new")} data-testid="add-field">
              <Plus aria-hidden />
              Add field
            </Button>
          )
        }
      />
      {fields.isError ? (
        <EmptyState
          icon={SlidersHorizontal}
          title="Fields could not be loaded"
          description={errorMessage(fields.error)}
        />
      ) : fields.isPending ? (
        <Skeleton className="h-40 w-full" />
      ) : rows.length === 0 ? (
        <EmptyState
          icon={ListPlus}
          title="No custom fields yet"
          description="Add fields such as plan, birthday or city; they appear on every lead, in filters, imports and exports."
          action={
            ws.canWrite && (
              <Button onClick={() => setEditing("new")}>
                <Plus aria-hidden />
                Add field
              </Button>
            )
          }
        />
      ) : (
        <div className="rounded-lg border">
          <Table data-testid="fields-table">
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                <TableHead>Label</TableHead>
                <TableHead className="hidden sm:table-cell">Key</TableHead>
                <TableHead>Type</TableHead>
                <TableHead className="hidden md:table-cell">Options</TableHead>
                {ws.canWrite && <HiddenHead label="Actions" className="w-24" />}
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((d) => (
                <TableRow key={d.id} data-testid={`field-row-${d.key}`}>
                  <TableCell className="font-medium">{d.label}</TableCell>
                  <TableCell className="hidden font-mono text-muted-foreground text-xs sm:table-cell">
                    {d.key}
                  </TableCell>
                  <TableCell>
                    <Badge variant="secondary">{FIELD_TYPE_LABEL[d.type]}</Badge>
                  </TableCell>
                  <TableCell className="hidden max-w-xs truncate text-muted-foreground md:table-cell">
                    {d.type === "select" ? d.options.join(", ") : "—"}
                  </TableCell>
                  {ws.canWrite && (
                    <TableCell className="pr-2 text-right">
                      <RowAction icon={Pencil} label={`Edit ${d.label}`} onClick={() => setEditing(d)} />
                      {ws.canAdmin && (
                        <RowAction icon={Trash2} label={`Delete ${d.label}`} onClick={() => setDeleting(d)} />
                      )}
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {editing && <FieldDialog def={editing === "new" ? null : editing} onClose={() => setEditing(null)} />}
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(v) => !v && setDeleting(null)}
        title={`Delete “${deleting?.label}”?`}
        description="Its value is removed from every lead. Segments that use it stop matching. This cannot be undone."
        confirmLabel="Delete"
        destructive
        onConfirm={() => deleting && remove.mutate({ workspaceId: ws.id, id: deleting.id })}
      />
    </>
  );
}

function RowAction({ icon: Icon, label, onClick }: { icon: LucideIcon; label: string; onClick: () => void }) {
  return (
    <Button variant="ghost" size="icon-sm" aria-label={label} onClick={onClick}>
      <Icon aria-hidden />
    </Button>
  );
}

function FieldDialog({ def, onClose }: { def: Def | null; onClose: () => void }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [label, setLabel] = useState(def?.label ?? "");
  const [type, setType] = useState<CustomFieldType>(def?.type ?? "text");
  const [options, setOptions] = useState((def?.options ?? []).join("\n"));
  const done = (msg: string) => {
    toast.success(msg);
    void queryClient.invalidateQueries({ queryKey: trpc.leads.fields.list.queryKey() });
    onClose();
  };
  const create = useMutation(
    trpc.leads.fields.create.mutationOptions({ onSuccess: (d) => done(`Added “${d.label}”`) }),
  );
  const update = useMutation(
    trpc.leads.fields.update.mutationOptions({ onSuccess: (d) => done(`Saved “${d.label}”`) }),
  );
  const error = create.error ?? update.error;
  const errors = error ? fieldErrors(error) : {};
  const optionList = options
    .split(/\n|,/)
    .map((o) => o.trim())
    .filter(Boolean);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (def) {
      update.mutate({
        workspaceId: ws.id,
        id: def.id,
        label,
        ...(def.type === "select" && { options: optionList }),
      });
    } else create.mutate({ workspaceId: ws.id, label, type, options: optionList });
  };
  return (
    <DialogShell
      open
      onOpenChange={(v) => !v && onClose()}
      className="sm:max-w-md"
      form={{ onSubmit: submit, className: "grid gap-4", noValidate: true }}
      title={def ? "Edit field" : "Add a custom field"}
      description={
        def ? `Key ${def.key}; the type cannot change once created.` : "The key is derived from the label."
      }
    >
      <InputField
        id="field-label"
        label="Label"
        error={errors.label}
        value={label}
        maxLength={120}
        autoFocus
        onChange={(e) => setLabel(e.target.value)}
        data-testid="field-label-input"
      />
      <Field label="Type" htmlFor="field-type">
        <OptionSelect
          id="field-type"
          testId="field-type"
          value={type}
          onChange={(v) => v && setType(v as CustomFieldType)}
          options={TYPE_OPTIONS}
          disabled={Boolean(def)}
        />
      </Field>
      {type === "select" && (
        <Field label="Options" htmlFor="field-options" hint="One per line." error={errors.options}>
          <textarea
            id="field-options"
            className="min-h-24 rounded-md border bg-transparent px-3 py-2 text-sm shadow-xs outline-none focus-visible:ring-2 focus-visible:ring-ring/50"
            value={options}
            onChange={(e) => setOptions(e.target.value)}
          />
        </Field>
      )}
      {error && Object.keys(errors).length === 0 && <FormError>{errorMessage(error)}</FormError>}
      <FormFooter
        onCancel={onClose}
        submitDisabled={create.isPending || update.isPending}
        submitTestId="field-save"
      >
        Save
      </FormFooter>
    </DialogShell>
  );
}
