"use client";

import { useQuery } from "@tanstack/react-query";
import { Ban, CircleAlert, Eye, Mail, MousePointerClick, Pencil, RefreshCw, UserPlus } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CardSection } from "@/components/ui/card-section";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";
import type { TimelineEntry } from "@/server/services/leads/timeline";
import { BackToLeads } from "./back-to-leads";
import { DeleteLead } from "./delete-lead";
import { LeadEditForm } from "./lead-edit-form";
import { formatFieldValue, LeadStatusBadge } from "./lead-meta";
import { LeadTimeZone } from "./lead-time-zone";

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
      <BackToLeads slug={ws.slug} />
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
        <CardSection title="Details">
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
              <Item label="Time zone">
                <LeadTimeZone leadId={l.id} timeZone={l.timeZone} />
              </Item>
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
        </CardSection>
        <CardSection title="Timeline">
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
        </CardSection>
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
