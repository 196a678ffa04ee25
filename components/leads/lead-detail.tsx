"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  ArrowLeft,
  Ban,
  CircleAlert,
  Eye,
  Mail,
  MousePointerClick,
  Pencil,
  RefreshCw,
  Trash2,
  UserPlus,
} from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { TagsInput } from "@/components/content/tags-input";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";
import type { LeadStatus } from "@/server/db/schema";
import type { TimelineEntry } from "@/server/services/leads/leads";
import {
  CustomFieldInput,
  type FieldValue,
  formatFieldValue,
  LEAD_STATUS_LABEL,
  LEAD_STATUS_LIST,
  LeadStatusBadge,
} from "./lead-meta";

const TIMELINE_ICON: Record<TimelineEntry["kind"], typeof Mail> = {
  created: UserPlus,
  sent: Mail,
  opened: Eye,
  clicked: MousePointerClick,
  unsubscribed: Ban,
  bounced: CircleAlert,
  complained: CircleAlert,
  status: RefreshCw,
  updated: Pencil,
};

export function LeadDetail({ id }: { id: string }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const lead = useQuery(trpc.leads.get.queryOptions({ workspaceId: ws.id, id }));
  const fields = useQuery(trpc.leads.fields.list.queryOptions({ workspaceId: ws.id }));
  const [editing, setEditing] = useState(false);

  if (lead.isError) {
    return (
      <EmptyState
        icon={CircleAlert}
        title={
          lead.error.data?.code === "NOT_FOUND" ? "This lead does not exist" : "The lead could not be loaded"
        }
        description={errorMessage(lead.error)}
        action={
          <Button variant="outline" asChild>
            <Link href={`/${ws.slug}/leads`}>Back to leads</Link>
          </Button>
        }
      />
    );
  }
  if (!lead.data) {
    return (
      <div className="grid gap-4" aria-busy>
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-48 w-full" />
        <Skeleton className="h-64 w-full" />
      </div>
    );
  }
  const l = lead.data;
  const defs = fields.data ?? [];
  return (
    <>
      <Link
        href={`/${ws.slug}/leads`}
        className="mb-3 inline-flex items-center gap-1 text-muted-foreground text-sm hover:text-foreground"
      >
        <ArrowLeft className="size-4" aria-hidden />
        Leads
      </Link>
      <PageHeader
        title={l.name || l.email}
        description={l.name ? l.email : undefined}
        actions={
          ws.canWrite && !editing ? (
            <>
              <Button variant="outline" onClick={() => setEditing(true)} data-testid="lead-edit">
                <Pencil aria-hidden />
                Edit
              </Button>
              <DeleteLead id={l.id} email={l.email} />
            </>
          ) : undefined
        }
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,22rem)]">
        <Card>
          <CardHeader>
            <CardTitle>Details</CardTitle>
          </CardHeader>
          <CardContent>
            {editing ? (
              <LeadEditForm lead={l} defs={defs} onDone={() => setEditing(false)} />
            ) : (
              <dl className="grid gap-x-6 gap-y-4 sm:grid-cols-2" data-testid="lead-fields">
                <Item label="Email">{l.email}</Item>
                <Item label="Name">{l.name ?? "—"}</Item>
                <Item label="Status">
                  <LeadStatusBadge status={l.status} />
                </Item>
                <Item label="Source">{l.source ?? "—"}</Item>
                <Item label="Added">{formatDateTime(l.createdAt, ws.timeZone)}</Item>
                <Item label="Tags">
                  {l.tags.length ? (
                    <span className="flex flex-wrap gap-1">
                      {l.tags.map((t) => (
                        <Badge key={t} variant="outline" className="font-normal">
                          {t}
                        </Badge>
                      ))}
                    </span>
                  ) : (
                    "—"
                  )}
                </Item>
                {defs.map((d) => (
                  <Item key={d.key} label={d.label}>
                    {formatFieldValue(d, l.customFields[d.key])}
                  </Item>
                ))}
              </dl>
            )}
            {!editing && defs.length === 0 && (
              <p className="mt-4 text-muted-foreground text-sm">
                Want to keep more about your leads (plan, birthday, city)?{" "}
                <Link href={`/${ws.slug}/leads/fields`} className="underline underline-offset-2">
                  Add custom fields
                </Link>
                .
              </p>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Timeline</CardTitle>
          </CardHeader>
          <CardContent>
            <ol className="grid gap-4" data-testid="lead-timeline">
              {l.timeline.map((e) => {
                const Icon = TIMELINE_ICON[e.kind];
                return (
                  <li key={e.id} className="flex gap-3" data-kind={e.kind}>
                    <span className="mt-0.5 flex size-7 shrink-0 items-center justify-center rounded-full border bg-muted">
                      <Icon className="size-3.5" aria-hidden />
                    </span>
                    <div className="min-w-0">
                      <p className="font-medium text-sm">{e.title}</p>
                      {e.detail && (
                        <p className="truncate text-muted-foreground text-xs" title={e.detail}>
                          {e.detail}
                        </p>
                      )}
                      <p className="text-muted-foreground text-xs">{formatDateTime(e.at, ws.timeZone)}</p>
                    </div>
                  </li>
                );
              })}
            </ol>
          </CardContent>
        </Card>
      </div>
    </>
  );
}

function Item({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-muted-foreground text-xs">{label}</dt>
      <dd className="mt-1 break-words text-sm">{children}</dd>
    </div>
  );
}

type LeadData = {
  id: string;
  email: string;
  name: string | null;
  source: string | null;
  status: LeadStatus;
  tags: string[];
  customFields: Record<string, unknown>;
};

function LeadEditForm({
  lead,
  defs,
  onDone,
}: {
  lead: LeadData;
  defs: {
    key: string;
    label: string;
    type: "text" | "number" | "date" | "boolean" | "select";
    options: string[];
  }[];
  onDone: () => void;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState(lead.email);
  const [name, setName] = useState(lead.name ?? "");
  const [source, setSource] = useState(lead.source ?? "");
  const [status, setStatus] = useState<LeadStatus>(lead.status);
  const [tags, setTags] = useState(lead.tags);
  const [custom, setCustom] = useState<Record<string, FieldValue>>(
    Object.fromEntries(defs.map((d) => [d.key, (lead.customFields[d.key] ?? null) as FieldValue])),
  );
  const update = useMutation(
    trpc.leads.update.mutationOptions({
      onSuccess: () => {
        toast.success("Lead saved");
        void queryClient.invalidateQueries({ queryKey: trpc.leads.pathKey() });
        onDone();
      },
    }),
  );
  const errors = update.error ? fieldErrors(update.error) : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate({
      workspaceId: ws.id,
      id: lead.id,
      email,
      name,
      source,
      status,
      tags,
      customFields: custom,
    });
  };
  return (
    <form onSubmit={submit} className="grid gap-4" noValidate data-testid="lead-edit-form">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Email" htmlFor="edit-email" error={errors.email}>
          <Input
            id="edit-email"
            type="email"
            value={email}
            maxLength={255}
            onChange={(e) => setEmail(e.target.value)}
            data-testid="lead-email-input"
          />
        </Field>
        <Field label="Name" htmlFor="edit-name" error={errors.name}>
          <Input id="edit-name" value={name} maxLength={255} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Status" htmlFor="edit-status">
          <Select value={status} onValueChange={(v) => setStatus(v as LeadStatus)}>
            <SelectTrigger id="edit-status" className="w-full">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {LEAD_STATUS_LIST.map((s) => (
                <SelectItem key={s} value={s}>
                  {LEAD_STATUS_LABEL[s]}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </Field>
        <Field label="Source" htmlFor="edit-source" error={errors.source}>
          <Input
            id="edit-source"
            value={source}
            maxLength={255}
            onChange={(e) => setSource(e.target.value)}
          />
        </Field>
      </div>
      <Field label="Tags" htmlFor="edit-tags" hint="Enter or comma adds a tag.">
        <TagsInput id="edit-tags" value={tags} onChange={setTags} max={50} maxLength={50} />
      </Field>
      {defs.length > 0 && (
        <div className="grid gap-4 sm:grid-cols-2">
          {defs.map((d) => (
            <Field
              key={d.key}
              label={d.label}
              htmlFor={`edit-cf-${d.key}`}
              error={errors[`customFields.${d.key}`]}
            >
              <CustomFieldInput
                id={`edit-cf-${d.key}`}
                def={d}
                value={custom[d.key]}
                onChange={(v) => setCustom((c) => ({ ...c, [d.key]: v }))}
              />
            </Field>
          ))}
        </div>
      )}
      {update.error && Object.keys(errors).length === 0 && (
        <p role="alert" className="text-destructive text-sm">
          {errorMessage(update.error)}
        </p>
      )}
      <div className="flex justify-end gap-2">
        <Button type="button" variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" disabled={update.isPending} data-testid="lead-save">
          {update.isPending ? "Saving…" : "Save"}
        </Button>
      </div>
    </form>
  );
}

function DeleteLead({ id, email }: { id: string; email: string }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.leads.delete.mutationOptions({
      onSuccess: () => {
        toast.success(`Deleted ${email}`);
        void queryClient.invalidateQueries({ queryKey: trpc.leads.list.queryKey() });
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
      <AlertDialog open={open} onOpenChange={setOpen}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Delete {email}?</AlertDialogTitle>
            <AlertDialogDescription>
              Their tags, custom fields and email history are removed for everyone. This cannot be undone.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              variant="destructive"
              onClick={() => remove.mutate({ workspaceId: ws.id, id })}
            >
              Delete
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}
